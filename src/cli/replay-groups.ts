import { Engine, UNFROZEN_READS, type EngineOptions, type InternalEngineOptions } from '../engine/engine.js';
import { compareStrings, type Finding } from '../engine/finding.js';
import type { Snapshot } from '../engine/snapshot.js';
import { partAsOf } from '../engine/replay-part.js';
import type { ValidEvent } from '../events/event.js';
import { toIso } from '../time/instant.js';
import { OneShotStore } from './one-shot-store.js';
import { PolicyError } from '../errors.js';
import { setEntry } from '../set-entry.js';

/** Streams evaluated per engine: enough to amortise an engine, few enough that their states are small. */
const GROUP = 256;

/**
 * Customers folded in groups, each in a fresh engine (like `engine`, over a OneShotStore) whose
 * clock is first moved to `end`: each stream is folded straight to the end, and once a group's
 * findings and summaries are handed to `onSettled` its engine, with every policy state and event
 * of the group, is dropped. A customer's findings and summary depend only on its own events and
 * the clock, so the parts together are what one engine would give over the same streams.
 */
export class GroupFolder {
  readonly #template: Engine;
  readonly #config: NonNullable<EngineOptions['config']>;
  readonly #end: number;
  readonly #until: number | undefined;
  readonly #onSettled: (part: Snapshot) => void;
  #group: Engine | undefined;
  /**
   * The first failure of a policy, by customer id, of all customers folded here. Every customer is
   * still folded (its outputs dropped), so the one named does not depend on how the input was cut
   * into buckets or shared between worker threads: the same input names the same customer.
   */
  failure: PolicyError | undefined;
  #size = 0;

  /** `end` is the clock of every group (`until`, or the latest event); events after `until` are left out. */
  constructor(engine: Engine, end: number, until: number | undefined, onSettled: (part: Snapshot) => void) {
    this.#template = engine;
    this.#config = { calendar: engine.calendar, options: new Map(engine.policies.map((p) => [p.name, engine.policyOptions(p.name)])) };
    this.#end = end;
    this.#until = until;
    this.#onSettled = onSettled;
  }

  /** Fold one customer's whole stream (in input order). Takes ownership of `all`. */
  async fold(all: ValidEvent[]): Promise<void> {
    const until = this.#until;
    if (!all.some((event) => until === undefined || event.time <= until)) return;
    if (this.#group === undefined) {
      // Its snapshots are serialised at once and dropped: nothing to freeze them against.
      const options: InternalEngineOptions = { policies: this.#template.policies, config: this.#config, store: new OneShotStore(), [UNFROZEN_READS]: true };
      this.#group = new Engine(options);
      await this.#group.advanceTo(this.#end);
    }
    // In input order: ids and stream versions as `engine.record` assigns them (the engine folds by
    // time); the ids of events without one as in the whole stream, whatever `until` leaves out.
    const list = await partAsOf(this.#group.store, all, until);
    try {
      await this.#group.recordValidated(list);
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      this.failure = earlierFailure(this.failure, error);
    }
    if (++this.#size === GROUP) {
      this.settle();
      // Folding resolves only promises, which never let the event loop turn: give it a turn per
      // group, so a signal (Ctrl-C, and its clean-up) or the progress bar is not held up for long.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Hand over the current group's part, if any (at the end, or before its customers' findings are needed). */
  settle(): void {
    const done = this.#group;
    if (done === undefined) return;
    this.#group = undefined;
    this.#size = 0;
    let part: Snapshot | undefined;
    try {
      // Once a policy failed nothing is written: no part to hand over (reading it would rethrow).
      if (this.failure === undefined) part = done.snapshot();
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
    }
    if (part !== undefined) return this.#onSettled(part);
    // A policy failed, here or before. The snapshot stops at the first summary that throws, in its
    // own order: each customer's summary is asked for on its own, so that the customer named is the
    // first by id whatever the groups, buckets and threads.
    for (const customerId of done.customers()) {
      try {
        done.summary(customerId);
      } catch (error) {
        if (!(error instanceof PolicyError)) throw error;
        this.failure = earlierFailure(this.failure, error);
      }
    }
  }
}

/**
 * `heed report`'s evaluation of a whole input held in memory, as of `until` (default: the latest
 * event), in groups (`GroupFolder`). Takes ownership of `streams` (emptied as it goes). The result
 * is the snapshot one engine would give over the same events.
 */
export async function replayInGroups(engine: Engine, streams: Map<string, ValidEvent[]>, until?: number): Promise<Snapshot> {
  let end = until;
  if (end === undefined) for (const list of streams.values()) for (const event of list) if (end === undefined || event.time > end) end = event.time;

  const findings: Finding[] = [];
  const summaries = new Map<string, Snapshot['summaries'][string]>();
  let customers = 0;
  let events = 0;
  if (end !== undefined) {
    const folder = new GroupFolder(engine, end, until, (part) => {
      for (const finding of part.findings) findings.push(finding);
      for (const [customerId, summary] of Object.entries(part.summaries)) summaries.set(customerId, summary);
      customers += part.customers;
      events += part.events;
    });
    for (const [customerId, all] of streams) {
      streams.delete(customerId);
      await folder.fold(all);
    }
    folder.settle();
    if (folder.failure !== undefined) throw folder.failure;
  }

  // Each part is in the contract's order; two customers never tie on customerId, so a stable
  // sort on (detectedAt, customerId, kind) is the order one engine would give.
  findings.sort(compareFindingOrder);
  const sortedSummaries: Record<string, Snapshot['summaries'][string]> = {};
  for (const customerId of [...summaries.keys()].sort(compareStrings)) setEntry(sortedSummaries, customerId, summaries.get(customerId) ?? {});
  return { asOf: end === undefined ? null : toIso(end), customers, events, findings, summaries: sortedSummaries };
}

/** The contract's order of findings without their keys: enough across parts, whose ties keep their order. */
export function compareFindingOrder(a: Finding, b: Finding): number {
  return compareStrings(a.detectedAt, b.detectedAt) || compareStrings(a.customerId, b.customerId) || compareStrings(a.kind, b.kind);
}

/** Of two policy failures, the one of the customer first by id (either when one is missing). */
export function earlierFailure<E extends { readonly customerId: string }>(a: E | undefined, b: E | undefined): E | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareStrings(b.customerId, a.customerId) < 0 ? b : a;
}
