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
});
