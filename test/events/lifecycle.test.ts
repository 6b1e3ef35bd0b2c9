import { describe, expect, it } from 'vitest';
import { Calendar, lifecycleErrors, parseJsonl } from '../../src/index.js';

/** Validate JSONL lines and return the lifecycle problems as "line: rule". */
function problems(lines: readonly object[]): string[] {
  const text = lines.map((l) => JSON.stringify({ customerId: 'c', ...l })).join('\n');
  const { events, errors } = parseJsonl(text, 'j.jsonl', { calendar: new Calendar() });
  expect(errors).toEqual([]);
  return lifecycleErrors(events).map((e) => `${e.line}: ${e.rule}`);
}

const opened = (at: string, matterId = 'm') => ({ type: 'MatterOpened', at, data: { matterId } });
const resolved = (at: string, matterId = 'm') => ({ type: 'MatterResolved', at, data: { matterId } });

describe('lifecycle rules', () => {
  it('accepts a valid journey', () => {
    expect(
      problems([
        { type: 'RelationshipStarted', at: '2017-01-01' },
        opened('2017-11-20'),
        { type: 'PromiseMade', at: '2017-11-20T10:00:00Z', data: { promiseId: 'p', what: 'tow', dueBy: '2017-11-21T17:00:00Z', matterId: 'm' } },
        { type: 'PromiseKept', at: '2017-11-22', data: { promiseId: 'p' } },
        resolved('2017-11-23'),
        { type: 'ContactMade', at: '2017-11-24', data: { matterId: 'm', direction: 'outbound', channel: 'email' } },
      ]),
    ).toEqual([]);
  });

  it('rejects references to unknown matters, promises, surveys and feedback', () => {
    expect(
      problems([
        resolved('2017-11-20'),
        { type: 'PromiseKept', at: '2017-11-20', data: { promiseId: 'nope' } },
        { type: 'SurveyAnswered', at: '2017-11-20', data: { surveyId: 's' } },
        { type: 'FeedbackAnswered', at: '2017-11-20', data: { feedbackId: 'f' } },
        { type: 'ContactMade', at: '2017-11-20', data: { matterId: 'ghost', direction: 'inbound', channel: 'phone' } },
      ]),
    ).toEqual(['1: unknown-matter', '2: unknown-promise', '3: unknown-survey', '4: unknown-feedback', '5: unknown-matter']);
  });

  it('rejects resolving a resolved matter and reopening an open one', () => {
    expect(problems([opened('2017-11-20'), resolved('2017-11-21'), resolved('2017-11-22'), { type: 'MatterReopened', at: '2017-11-23', data: { matterId: 'm' } }, { type: 'MatterReopened', at: '2017-11-24', data: { matterId: 'm' } }])).toEqual([
      '3: matter-resolved',
      '5: matter-not-resolved',
    ]);
  });

  it('rejects opening a matter twice and fixing a resolved matter', () => {
    expect(
      problems([
        opened('2017-11-20'),
        opened('2017-11-21'),
        resolved('2017-11-22'),
        { type: 'FixAttempted', at: '2017-11-23', data: { matterId: 'm', method: 'visit', outcome: 'failed' } },
      ]),
    ).toEqual(['2: matter-already-opened', '4: matter-resolved']);
  });

  it('rejects settling a promise twice (keeping a cancelled promise), but allows keeping it late', () => {
    const made = { type: 'PromiseMade', at: '2017-11-20', data: { promiseId: 'p', what: 'call back', dueBy: '2017-11-21T00:00:00Z' } };
    expect(problems([made, { type: 'PromiseCancelled', at: '2017-11-21', data: { promiseId: 'p' } }, { type: 'PromiseKept', at: '2017-11-22', data: { promiseId: 'p' } }])).toEqual([
      '3: promise-settled',
    ]);
    expect(problems([made, { type: 'PromiseKept', at: '2017-12-25', data: { promiseId: 'p' } }])).toEqual([]);
  });

  it('rejects a promise made or revised with a due time before the event itself; due at that very instant is allowed', () => {
    const made = (at: string, dueBy: string, promiseId = 'p') => ({ type: 'PromiseMade', at, data: { promiseId, what: 'call back', dueBy } });
    const revised = (at: string, dueBy: string) => ({ type: 'PromiseRevised', at, data: { promiseId: 'p', dueBy } });
    expect(
      problems([
        made('2017-11-20T10:00:00Z', '2017-11-20T09:59:59Z', 'early'),
        made('2017-11-20T10:00:00Z', '2017-11-20T10:00:00Z'),
        revised('2017-11-20T12:00:00Z', '2017-11-20T11:00:00Z'),
        revised('2017-11-20T12:00:00Z', '2017-11-20T05:00:00-07:00'), // 12:00Z: the same instant
        revised('2017-11-21T12:00:00Z', '2017-11-22T12:00:00Z'), // after the due time passed: a new later one is fine
      ]),
    ).toEqual(['1: due-before-event', '3: due-before-event']);
    const { events } = parseJsonl(JSON.stringify({ customerId: 'c', ...made('2017-11-20T10:00:00Z', '2017-11-19T17:00:00-07:00') }), 'j.jsonl', { calendar: new Calendar() });
    expect(lifecycleErrors(events).map((e) => [e.path, e.detail])).toEqual([
      ['data.dueBy', 'due 2017-11-19T17:00:00-07:00, before the promise was made (2017-11-20T10:00:00.000Z): a promise cannot fall due before it is made'],
    ]);
  });

  it('allows contacts after the relationship ended (the agent who calls after the customer left)', () => {
    expect(
      problems([
        { type: 'RelationshipStarted', at: '2014-08-01' },
        { type: 'RelationshipEnded', at: '2018-02-09' },
        { type: 'ContactMade', at: '2018-02-10', data: { direction: 'outbound', channel: 'phone' } },
        { type: 'RelationshipEnded', at: '2018-02-11' },
      ]),
    ).toEqual(['4: relationship-already-ended']);
  });

  it('checks in time order, not file order: an earlier line may come later in the file', () => {
    expect(problems([resolved('2017-11-22'), opened('2017-11-20')])).toEqual([]);
  });
});
