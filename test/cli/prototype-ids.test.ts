import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayInGroups } from '../../src/cli/replay-groups.js';
import { Engine, parseJsonl, replay } from '../../src/index.js';
import { heedInProcess, line, scratch } from './helpers.js';

/**
 * Customer ids that name Object.prototype members ("__proto__", "toString") are valid ids: the
 * command line keys its output by customer id, and must print them as any other.
 */
const events = ['__proto__', 'toString', 'constructor'].flatMap((customerId, i) => [
  { customerId, type: 'MatterOpened', at: '2017-11-01T10:00:00Z', data: { matterId: customerId, title: `Claim ${i}` } },
  { customerId, type: 'PromiseMade', at: '2017-11-01T11:00:00Z', data: { promiseId: 'valueOf', what: 'call back', dueBy: '2017-11-02T11:00:00Z', party: '__proto__' } },
  { customerId, type: 'MatterResolved', at: '2017-11-06T10:00:00Z', data: { matterId: customerId } },
]);

describe('heed with customer ids that name Object.prototype members', () => {
  const dir = scratch({ 'journeys.jsonl': events.map(line).join('') });
  const file = join(dir, 'journeys.jsonl');

  it('replay prints every customer’s summary, as the engine gives it', async () => {
    const [result, { snapshot }] = await Promise.all([heedInProcess(['replay', file, '--format', 'json']), replay(events)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { summaries: object };
    expect(Object.keys(printed.summaries)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(result.stdout).toBe(`${JSON.stringify(snapshot, null, 2)}\n`);
  });

  it('the report’s grouped replay keeps a "__proto__" customer among the summaries', async () => {
    const parsed = parseJsonl(events.map(line).join(''));
    expect(parsed.errors).toEqual([]);
    const streams = new Map(['__proto__', 'toString', 'constructor'].map((id) => [id, parsed.events.filter((e) => e.customerId === id)]));
    const snapshot = await replayInGroups(new Engine(), streams);
    expect(Object.keys(snapshot.summaries)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(JSON.stringify(snapshot)).toBe(JSON.stringify((await replay(events)).snapshot));
  });

  it('report shows the summary of a customer called "__proto__"', async () => {
    const out = join(dir, 'report.html');
    const result = await heedInProcess(['report', file, '--out', out]);
    expect(result.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    const section = html.slice(html.indexOf('data-customer="__proto__"'));
    expect(section.slice(0, section.indexOf('</section>'))).toContain('Policy summaries');
  });
});
