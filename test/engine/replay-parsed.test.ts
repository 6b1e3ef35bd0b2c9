import { describe, expect, it } from 'vitest';
import { InvalidInputError, parseJsonl, replay } from '../../src/index.js';

describe('replay of parsed JSONL', () => {
  const text = [
    '{"id":"o","customerId":"c","type":"MatterOpened","at":"2017-11-20","data":{"matterId":"m"}}',
    '{"id":"p","customerId":"c","type":"PromiseMade","at":"2017-11-20T10:00:00-07:00","data":{"promiseId":"p","what":"call back","dueBy":"2017-11-21T17:00:00-07:00","matterId":"m"}}',
  ].join('\n');
  const config = { calendar: { timeZone: 'America/Denver' } };

  it('accepts the events parseJsonl yields, re-reading date-only instants in the engine calendar', async () => {
    const { events, errors } = parseJsonl(text, 'journey.jsonl'); // parsed on the default UTC calendar
    expect(errors).toEqual([]);
    const { snapshot } = await replay(events, { config, asOf: '2017-11-22T09:00:00-07:00' });
    expect(snapshot.findings.map((f) => f.kind)).toContain('promise.broken');
    const gap = snapshot.findings.find((f) => f.kind === 'inattention.gap');
    expect(gap?.details['since']).toBe('2017-11-20T07:00:00.000Z'); // Denver midnight, not UTC midnight
  });

  it('keeps file and line in the errors of a parsed event that breaks a rule', async () => {
    const { events } = parseJsonl(`${text}\n{"id":"k","customerId":"c","type":"PromiseKept","at":"2017-11-22","data":{"promiseId":"nope"}}`, 'journey.jsonl');
    const error = await replay(events, { config }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).errors.map((e) => [e.file, e.line, e.rule])).toEqual([['journey.jsonl', 3, 'unknown-promise']]);
  });
});
