import { Engine } from '../engine/engine.js';
import { compareStrings, type Finding } from '../engine/finding.js';
import type { Snapshot } from '../engine/snapshot.js';
import type { ValidEvent } from '../events/event.js';
import { toIso } from '../time/instant.js';
import { OneShotStore } from './one-shot-store.js';

/** Streams evaluated per engine: enough to amortise an engine, few enough that their states are small. */
const GROUP = 256;

/**
 * `heed replay`'s evaluation of a whole input as of `until` (default: the latest event), in
 * bounded memory. A customer's findings and summary depend only on its own events and the
 * clock, so customers are evaluated in groups, each in a fresh engine (like `engine`, over a
 * OneShotStore) whose clock is first moved to the end: each stream is folded straight to the end,
 * and once a group's findings and summaries are taken its engine, with every policy state and
 * event of the group, is dropped. Takes ownership of `streams` (emptied as it goes). The result is
 * the snapshot one engine would give over the same events.
 */
export async function replayInGroups(engine: Engine, streams: Map<string, ValidEvent[]>, until?: number): Promise<Snapshot> {
  let end = until;
  if (end === undefined) for (const list of streams.values()) for (const event of list) if (end === undefined || event.time > end) end = event.time;
  const config = { calendar: engine.calendar, options: new Map(engine.policies.map((p) => [p.name, engine.policyOptions(p.name)])) };

  const findings: Finding[] = [];
  const summaries = new Map<string, Snapshot['summaries'][string]>();
  let customers = 0;
  let events = 0;
  let group: Engine | undefined;
  let size = 0;
  const settle = (done: Engine) => {
    const part = done.snapshot();
    for (const finding of part.findings) findings.push(finding);
    for (const [customerId, summary] of Object.entries(part.summaries)) summaries.set(customerId, summary);
    customers += part.customers;
    events += part.events;
  };
  for (const [customerId, all] of streams) {
    streams.delete(customerId);
    const list = until === undefined ? all : all.filter((event) => event.time <= until);
    if (list.length === 0 || end === undefined) continue;
    if (group === undefined) {
      group = new Engine({ policies: engine.policies, config, store: new OneShotStore() });
      await group.advanceTo(end);
    }
    if (!sortedByTime(list)) list.sort((a, b) => a.time - b.time); // stable: ties keep input order
    await group.recordValidated(list);
    if (++size === GROUP) {
      settle(group);
      group = undefined;
      size = 0;
    }
  }
  if (group !== undefined) settle(group);

  // Each part is in the contract's order; two customers never tie on customerId, so a stable
  // sort on (detectedAt, customerId, kind) is the order one engine would give.
  findings.sort((a, b) => compareStrings(a.detectedAt, b.detectedAt) || compareStrings(a.customerId, b.customerId) || compareStrings(a.kind, b.kind));
  const sortedSummaries: Record<string, Snapshot['summaries'][string]> = {};
  for (const customerId of [...summaries.keys()].sort(compareStrings)) sortedSummaries[customerId] = summaries.get(customerId) ?? {};
  return { asOf: end === undefined ? null : toIso(end), customers, events, findings, summaries: sortedSummaries };
}

function sortedByTime(events: readonly ValidEvent[]): boolean {
  for (let i = 1; i < events.length; i++) if ((events[i] as ValidEvent).time < (events[i - 1] as ValidEvent).time) return false;
  return true;
}
