import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, replay, type Finding } from '../../src/index.js';
import { heed, line, scratch } from './helpers.js';

/**
 * Events without an id are numbered in input order (the store's append order) on every path: the
 * CLI, `replay()` and `engine.record` give the same `<customerId>:<n>` ids, so a finding's
 * evidence names the same line whichever way the journey was read, even when the input is not in
 * time order.
 */
const events = [
  { customerId: 'a', type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm', title: 'Refund' } },
  { customerId: 'a', type: 'PromiseMade', at: '2024-03-01T10:00:00Z', data: { promiseId: 'p', what: 'call back', dueBy: '2024-03-02T10:00:00Z' } },
  // Backdated: earlier than the line above, later in the input.
  { customerId: 'a', type: 'ContactMade', at: '2024-03-01T09:30:00Z', data: { channel: 'phone', direction: 'outbound', matterId: 'm' } },
];
const until = '2024-03-04T12:00:00Z';

const broken = (findings: readonly Finding[]) => findings.filter((f) => f.kind === 'promise.broken').map((f) => f.evidence);

describe('ids assigned to events without one', () => {
  it('follow the input order in heed replay, replay() and engine.record alike', async () => {
    const dir = scratch({ 'journey.jsonl': events.map(line).join('') });
    const cli = await heed(['replay', join(dir, 'journey.jsonl'), '--until', until, '--format', 'json']);
    expect(cli.stderr).toBe('');
    const fromCli = broken((JSON.parse(cli.stdout) as { findings: Finding[] }).findings);

    const fromReplay = broken((await replay(events, { asOf: until })).snapshot.findings);

    const engine = new Engine();
    for (const event of events) await engine.record(event);
    await engine.advanceTo(until);
    const oneByOne = broken(engine.findings());

    const batch = new Engine();
    await batch.record(events);
    await batch.advanceTo(until);

    expect(oneByOne).toEqual([['a:2']]); // the PromiseMade is the second event appended
    expect(broken(batch.findings())).toEqual(oneByOne);
    expect(fromReplay).toEqual(oneByOne);
    expect(fromCli).toEqual(oneByOne);
  });

  it('do not depend on --until (asOf): an event left out for being later does not renumber the events before it', async () => {
    // In input order, a line after --until comes before lines within it: leaving it out must not
    // shift the numbers the later lines get, or one finding's evidence names different events
    // depending on the instant asked for.
    const input = [
      { customerId: 'a', type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm', title: 'Refund' } },
      { customerId: 'a', type: 'ContactMade', at: '2024-03-10T09:00:00Z', data: { channel: 'phone', direction: 'outbound', matterId: 'm' } },
      { customerId: 'a', type: 'PromiseMade', at: '2024-03-01T10:00:00Z', data: { promiseId: 'p', what: 'call back', dueBy: '2024-03-02T10:00:00Z' } },
      // A given id of the assigned form after the line left out: the next line without id is numbered around it as in the whole input.
      { id: 'a:5', customerId: 'a', type: 'ContactMade', at: '2024-03-01T11:00:00Z', data: { channel: 'email', direction: 'inbound', matterId: 'm' } },
      // An identical retry: skipped, it takes no number.
      { id: 'a:5', customerId: 'a', type: 'ContactMade', at: '2024-03-01T11:00:00Z', data: { channel: 'email', direction: 'inbound', matterId: 'm' } },
      { customerId: 'a', type: 'PromiseMade', at: '2024-03-01T12:00:00Z', data: { promiseId: 'q', what: 'refund', dueBy: '2024-03-03T10:00:00Z' } },
    ];
    const dir = scratch({ 'journey.jsonl': input.map(line).join('') });
    const cli = async (flags: readonly string[], env: Record<string, string> = {}) => {
      const result = await heed(['replay', join(dir, 'journey.jsonl'), '--format', 'json', ...flags], { env });
      expect(result.stderr).toBe('');
      return (JSON.parse(result.stdout) as { findings: Finding[] }).findings;
    };
    const runs = {
      cliWhole: await cli([]),
      cliUntil: await cli(['--until', until]),
      // Spilled to buckets, folded in worker threads: the same ids.
      bucketsUntil: await cli(['--until', until], { HEED_REPLAY_BUCKETS: '2', HEED_REPLAY_WORKERS: '2' }),
      replayWhole: (await replay(input)).snapshot.findings,
      replayUntil: (await replay(input, { asOf: until })).snapshot.findings,
    };
    for (const findings of Object.values(runs)) expect(broken(findings)).toEqual([['a:3'], ['a:5~2']]);
    // Every finding detected by --until names, among its evidence, only events the whole replay's
    // finding names too (the whole replay's may name later events besides: a gap closed after it).
    const byKey = (findings: readonly Finding[]) => new Map(findings.map((f) => [`${f.kind} ${f.customerId} ${f.detectedAt}`, f.evidence]));
    for (const [whole, part] of [[runs.cliWhole, runs.cliUntil], [runs.cliWhole, runs.bucketsUntil], [runs.replayWhole, runs.replayUntil]] as const) {
      const all = byKey(whole);
      expect(part.length).toBeGreaterThan(2);
      for (const finding of part) expect(all.get(`${finding.kind} ${finding.customerId} ${finding.detectedAt}`)).toEqual(expect.arrayContaining([...finding.evidence]));
    }
  });
});
