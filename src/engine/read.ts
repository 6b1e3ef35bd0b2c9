import { freeze } from 'immer';
import { PolicyError } from '../errors.js';
import { isBuiltinPolicy } from '../policies/define-policy.js';
import type { EventStore, StoredEvent } from '../store/event-store.js';
import { iterateAll } from '../store/event-store.js';
import { toIso } from '../time/instant.js';
import { compareFindingRecords, compareStrings, type Finding } from './finding.js';
import { jsonProblem } from '../json-data.js';
import type { Runtime } from './runtime.js';
import type { FindingRecord, Stream } from './stream.js';
import type { Snapshot } from './snapshot.js';
import { setEntry } from '../set-entry.js';

/** The read side of the engine: findings, summaries and snapshots, as of the journey clock. */

export interface FindingFilter {
  readonly customerId?: string;
  readonly kind?: string;
}

/** Current findings, ongoing ones brought up to the clock, in the contract's order. */
export function findingRecords(rt: Runtime, filter: FindingFilter): FindingRecord[] {
  const records: FindingRecord[] = [];
  const collect = (stream: Stream): void => {
    evaluated(stream);
    rt.refresh(stream);
    for (const record of stream.findings.values()) {
      if (filter.kind === undefined || record.finding.kind === filter.kind) records.push(record);
    }
  };
  if (filter.customerId === undefined) for (const stream of rt.streams.values()) collect(stream);
  else {
    const stream = rt.streams.get(filter.customerId);
    if (stream !== undefined) collect(stream);
  }
  return records.sort(compareFindingRecords);
}

/**
 * A stream whose last evaluation failed (a policy threw, the store could not be read) holds events
 * its state never saw: reading it throws that failure again rather than answer from such a state.
 * Its next event (or `hydrate`) evaluates it again from the store.
 */
function evaluated(stream: Stream): void {
  if (stream.failure !== undefined) throw stream.failure;
}

/** The findings of `findingRecords`, as the contract's objects. */
export function findings(rt: Runtime, filter: FindingFilter): Finding[] {
  return findingRecords(rt, filter).map((record) => record.finding);
}

/**
 * Per-policy summaries of one customer, keyed by policy name (policies without a summary omitted),
 * deeply frozen: a summary may hold parts of the state, which a caller must not change. A summary
 * that writes to the (frozen) state fails as a PolicyError naming the policy.
 */
export function summary(rt: Runtime, customerId: string): Record<string, unknown> {
  const stream = rt.streams.get(customerId);
  if (stream === undefined) return Object.freeze({});
  evaluated(stream);
  const { policies, options, calendar } = rt.env;
  const out: Record<string, unknown> = {};
  policies.forEach((policy, p) => {
    if (policy.summary === undefined) return;
    try {
      const made = policy.summary(stream.stateForReading(p, rt.env.freezeReads), {
        customerId,
        options: options[p],
        calendar,
        now: rt.now ?? stream.lastEventTime,
      });
      // A plugin's summary is checked as its findings' details are (built-ins are trusted): written
      // as JSON later, a BigInt or a cycle would fail naming no policy, a Map be written as {}.
      const notJson = made === undefined || isBuiltinPolicy(policy) ? undefined : jsonProblem(made, 'summary', 0);
      if (notJson !== undefined) throw new Error(notJson);
      out[policy.name] = made;
    } catch (error) {
      throw new PolicyError(policy.name, customerId, undefined, error, 'summary');
    }
  });
  return rt.env.freezeReads ? freeze(out, true) : out;
}

/** Customer ids with at least one event, sorted. */
export function customers(rt: Runtime): string[] {
  return [...rt.streams.keys()].sort(compareStrings);
}

/** Everything known now: the `--format json` object of the CLI. Deeply frozen, as its summaries and findings are. */
export function snapshot(rt: Runtime): Snapshot {
  const summaries: Record<string, Record<string, unknown>> = {};
  for (const customerId of customers(rt)) setEntry(summaries, customerId, summary(rt, customerId));
  const snapshot: Snapshot = {
    asOf: rt.now === undefined ? null : toIso(rt.now),
    customers: rt.streams.size,
    events: [...rt.streams.values()].reduce((sum, stream) => sum + stream.version, 0),
    findings: findings(rt, {}),
    summaries,
  };
  return rt.env.freezeReads ? freeze(snapshot, true) : snapshot;
}

/** The earliest pending wake-up of one customer, or of every customer. */
export function nextWakeAt(rt: Runtime, customerId: string | undefined): number | undefined {
  if (customerId !== undefined) return rt.streams.get(customerId)?.nextWake();
  let next: number | undefined;
  for (const stream of rt.streams.values()) {
    const candidate = stream.nextWake();
    if (candidate !== undefined && (next === undefined || candidate < next)) next = candidate;
  }
  return next;
}

/** The store's events up to `limit` (epoch ms), per customer, in store order: what `asOf` replays. */
export async function storedUpTo(store: EventStore, limit: number): Promise<Map<string, StoredEvent[]>> {
  const byCustomer = new Map<string, StoredEvent[]>();
  for await (const event of iterateAll(store)) {
    if (event.time > limit) continue;
    let list = byCustomer.get(event.customerId);
    if (list === undefined) byCustomer.set(event.customerId, (list = []));
    list.push(event);
  }
  return byCustomer;
}
