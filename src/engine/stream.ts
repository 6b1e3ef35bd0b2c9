import { freeze } from 'immer';
import { Lifecycle } from '../events/lifecycle.js';
import type { Finding } from './finding.js';
import { WakeQueue } from './wake-queue.js';

/** One finding as the engine keeps it: the contract object plus what the engine needs about it. */
export interface FindingRecord {
  readonly key: string;
  readonly finding: Finding;
  /** `detectedAt` as a number with the text's order (`isoOrderKey`), for sorting without string compares. */
  readonly order: number;
  /** Index of the policy that reported it. */
  readonly policy: number;
  readonly ongoing: boolean;
}

/** Every policy's initial state, and which of them are fresh copies the engine owns (`Stream.fresh`). */
export interface InitialStates {
  readonly states: unknown[];
  readonly fresh: boolean[];
}

/**
 * The engine's runtime for one customer: policy states, pending wake-ups, findings, and the
 * instants that tell whether a new event can be folded on top (it is not earlier than anything
 * already evaluated) or the stream must be re-evaluated from its first event.
 */
export class Stream {
  readonly customerId: string;
  /** Creation order: a deterministic tie-break between streams due at the same instant. */
  readonly seq: number;
  /** Stream version in the store, as of the engine's last append or load. */
  version = 0;
  lifecycle = new Lifecycle();
  states: unknown[];
  /**
   * Per policy: `states[p]` is still the engine's own fresh copy of the initial state, not yet
   * folded and never handed out. Its first run may then change it in place rather than through an
   * immer draft: copy-on-write would protect a state nobody else can see (see fold.ts).
   */
  fresh: boolean[];
  wakes: WakeQueue[];
  findings = new Map<string, FindingRecord>();
  /**
   * The id of every event folded since the stream's first, and its place in fold order (0, 1, …:
   * by time, ties in append order, as runs fold them). What a finding may cite as evidence: an
   * event of this stream at or before the place being evaluated (`FindingBook.report`).
   */
  eventIds = new Map<string, number>();
  /**
   * The id of every matter opened since the stream's first event, and the place in fold order
   * (`eventIds`) of the `MatterOpened` that opened it: what a finding's `matterId` may name, a
   * matter opened at or before the place being evaluated (`FindingBook.report`).
   */
  matters = new Map<string, number>();
  /** Number of ongoing findings per policy (those `refresh` restates when read). */
  ongoing: number[];
  lastEventTime = Number.NEGATIVE_INFINITY;
  lastTickTime = Number.NEGATIVE_INFINITY;
  /** The instant of this stream's live entry in the engine's wake heap, if any. */
  scheduledAt: number | undefined;
  /** The clock value at which ongoing findings were last refreshed. */
  refreshedAt: number | undefined;
  /** A policy failed mid-run: the state is not trustworthy until re-evaluated from the store. */
  dirty = false;
  /**
   * Why the last evaluation of this stream failed (`fail`): until a re-evaluation from the store
   * succeeds, reads of this customer throw it rather than show a state that missed events.
   */
  failure: unknown;
  /** Another writer appended to the stream in the store: reload it before the next append (record.ts). */
  stale = false;

  constructor(customerId: string, seq: number, initial: InitialStates) {
    this.customerId = customerId;
    this.seq = seq;
    this.states = initial.states;
    this.fresh = initial.fresh;
    this.wakes = initial.states.map(() => new WakeQueue());
    this.ongoing = initial.states.map(() => 0);
  }

  /** Forget everything derived, ready to fold the stream again from its first event. */
  reset(initial: InitialStates): void {
    this.states = initial.states;
    this.fresh = initial.fresh;
    this.wakes = initial.states.map(() => new WakeQueue());
    this.ongoing = initial.states.map(() => 0);
    this.findings = new Map();
    this.eventIds = new Map();
    this.matters = new Map();
    this.lifecycle = new Lifecycle();
    this.lastEventTime = Number.NEGATIVE_INFINITY;
    this.lastTickTime = Number.NEGATIVE_INFINITY;
    this.scheduledAt = undefined;
    this.refreshedAt = undefined;
    this.dirty = false;
    this.failure = undefined;
  }

  /**
   * The evaluation failed (a policy threw, or the store could not be read): re-evaluate before use,
   * refuse reads until then. Its entry in the wake heap, if any, is dropped (`WakeSchedule.takeDue`
   * skips an entry not at `scheduledAt`): a failed stream is evaluated again by its next event or a
   * `hydrate`, not by the clock passing a wake-up it asked for before it failed.
   */
  fail(error: unknown): void {
    this.dirty = true;
    this.failure ??= error;
    this.scheduledAt = undefined;
  }

  /**
   * A policy's state for code outside the fold, deeply frozen: once handed out, it is only ever
   * changed through immer, which copies rather than changes it (fold.ts freezes a state before
   * drafting it too, so freezing again costs only what the last run changed).
   */
  stateForReading(p: number, frozen: boolean): unknown {
    this.fresh[p] = false;
    return frozen ? freeze(this.states[p], true) : this.states[p];
  }

  /** Earliest pending wake-up over all policies. */
  nextWake(): number | undefined {
    let next: number | undefined;
    for (const queue of this.wakes) {
      const candidate = queue.next();
      if (candidate !== undefined && (next === undefined || candidate < next)) next = candidate;
    }
    return next;
  }

  /** Can events starting at `time` be folded on top of the current state? */
  acceptsInOrder(time: number): boolean {
    // Ties with an earlier event keep append order (fine); a tie with a processed wake-up is not,
    // because at one instant events come before wake-ups.
    return !this.dirty && time >= this.lastEventTime && time > this.lastTickTime;
  }
}
