import { EventEmitter } from 'eventemitter3';
import { PolicyError, UsageError } from '../errors.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import type { EventStore, StoredEvent } from '../store/event-store.js';
import { iterateAll } from '../store/event-store.js';
import type { Calendar } from '../time/calendar.js';
import type { CoreFindingKind, Finding, FindingChange } from './finding.js';
import type { FindingOf } from '../policies/core-findings.js';
import { FindingBook } from './finding-book.js';
import { checkFindingInput } from './finding-input.js';
import { foldRun, type FoldEnv } from './fold.js';
import { initialStateOf } from './fresh-state.js';
import { Stream, type InitialStates } from './stream.js';
import { readStoredStream, type StoredStream } from './stored-stream.js';
import { WakeSchedule } from './wake-schedule.js';

/**
 * The emitter's event map: `finding` for every change, and one event per finding kind
 * (`promise.broken`, ...). `engine.on`/`once`/`off` take `EngineEventName` and `EngineListener`,
 * which type a core kind's finding; this map is the untyped shape underneath, kept for callers
 * that typed listeners by it.
 */
export type EngineEvents = { finding: (change: FindingChange) => void } & {
  [kind: `${string}.${string}`]: (change: FindingChange) => void;
};

/**
 * What `engine.on` listens to: `finding`, or a finding kind. The core kinds are offered as
 * completions; any other `name.what` (a plugin's kind) is accepted as well (the `& {}` keeps the
 * pattern from absorbing the core literals, which would lose the completions).
 */
export type EngineEventName = 'finding' | CoreFindingKind | (`${string}.${string}` & {});

/**
 * The listener of event `K`: for a core kind its change carries that kind's typed finding
 * (`FindingOf`), for `finding` or a plugin's kind the general `Finding`. Types only: every
 * listener receives the same change objects as before.
 */
export type EngineListener<K extends EngineEventName> = (change: FindingChange<K extends 'finding' ? Finding : FindingOf<K>>) => void;

/**
 * The engine's moving parts behind its public face: the streams, the journey clock and its
 * timers, and the ways a stream is evaluated (folded on top, re-folded from the store, refreshed
 * when read). The record path and the read side (record.ts, read.ts) work through it.
 */
export class Runtime {
  readonly env: FoldEnv;
  readonly store: EventStore;
  readonly streams = new Map<string, Stream>();
  readonly emitter = new EventEmitter<EngineEvents>();
  /** Streams with ongoing findings: the only ones a read must bring up to the clock. */
  readonly #live = new Set<Stream>();
  readonly #wakes = new WakeSchedule();
  /** The journey clock (epoch ms): the latest event time recorded or instant advanced to. */
  now: number | undefined;
  /**
   * Customers this engine does not hold whose append failed without the store saying whether it
   * was written (record.ts): their next record reads the store first. Not streams: a customer the
   * store may not hold is not listed.
   */
  readonly unsure = new Set<string>();

  constructor(env: FoldEnv, store: EventStore) {
    this.env = env;
    this.store = store;
  }

  /**
   * A customer's stream, created (in creation order, the timers' tie-break) on first use. When a
   * policy's `initialState` throws, the stream is created failed (`Stream.fail`), as one whose
   * evaluation failed: the customer's events are in the store by then, or about to be read from it,
   * so the engine knows the customer, reads of it throw the PolicyError, the other customers of the
   * batch or hydrate go on, and its next event evaluates it again from the store.
   */
  stream(customerId: string): Stream {
    let stream = this.streams.get(customerId);
    if (stream === undefined) {
      let initial: InitialStates;
      let failure: unknown;
      try {
        initial = this.initialStates(customerId);
      } catch (error) {
        failure = error;
        initial = { states: this.env.policies.map(() => undefined), fresh: this.env.policies.map(() => false) };
      }
      stream = new Stream(customerId, this.streams.size, initial);
      this.streams.set(customerId, stream);
      if (failure !== undefined) stream.fail(failure);
    }
    return stream;
  }

  /** Each policy's initial state for a customer; a policy whose `initialState` throws is named. */
  initialStates(customerId: string): InitialStates {
    const states: unknown[] = [];
    const fresh: boolean[] = [];
    for (let p = 0; p < this.env.policies.length; p++) {
      const policy = this.env.policies[p] as AnyPolicy;
      let initial: ReturnType<typeof initialStateOf>;
      try {
        initial = initialStateOf(policy, this.env.options[p]);
      } catch (error) {
        throw new PolicyError(policy.name, customerId, undefined, error, 'initialState');
      }
      const { state, isFresh } = initial;
      states.push(state);
      fresh.push(isFresh);
    }
    return { states, fresh };
  }

  /** Fold new events (sorted by time, then version) on top of a stream's state, up to `until`. */
  foldOn(stream: Stream, events: readonly StoredEvent[], until: number, changes: FindingChange[]): void {
    const book = new FindingBook(stream, changes);
    foldRun(stream, events, until, this.env, (policy, input, folded) => book.report(policy, input, folded));
    // The run may have restated an ongoing finding as of an event or wake-up earlier than the
    // clock (an event later than a read but not than the clock): the next read refreshes it again.
    stream.refreshedAt = undefined;
    this.#track(stream);
  }

  /**
   * Re-evaluate a stream from its first event (after a backdated event or a policy failure), as
   * the store holds it, or as `read` (what the caller read of it just now, `readStoredStream`).
   */
  async refold(stream: Stream, until: number, changes: FindingChange[], read?: StoredStream): Promise<void> {
    const { events, lifecycle, version, lastEventTime } = read ?? (await readStoredStream(this.store, stream.customerId));
    const before = stream.findings;
    const ongoing = stream.ongoing;
    let initial: InitialStates | undefined;
    let failure: { error: unknown } | undefined;
    try {
      initial = this.initialStates(stream.customerId);
    } catch (error) {
      failure = { error };
    }
    if (initial !== undefined) stream.reset(initial);
    // The head (version, lifecycle, where the events end) is the store's, whether or not the fold
    // succeeds, and even when a policy cannot start (its `initialState` throws): the stream then
    // fails before any event is folded, its findings those listeners were told of, and its next
    // append is made at the store's version rather than refused (VersionConflictError) at the one
    // the engine held before.
    stream.lifecycle = lifecycle;
    stream.version = version;
    stream.lastEventTime = lastEventTime;
    if (failure !== undefined) {
      stream.fail(failure.error);
      throw failure.error;
    }
    const book = new FindingBook(stream, undefined);
    try {
      foldRun(stream, events, until, this.env, (policy, input, folded) => book.report(policy, input, folded));
    } catch (error) {
      // The findings listeners were told of stay the stream's (reads throw until it recovers): the
      // evaluation that recovers it is diffed against them, so a finding it no longer has is retracted.
      stream.findings = before;
      stream.ongoing = ongoing;
      throw error;
    }
    FindingBook.diff(before, stream.findings, changes);
    this.#track(stream);
    this.schedule(stream);
  }

  /**
   * Evaluate one stream; if that fails, mark the stream failed (`Stream.fail`) and return the error
   * rather than throw it, so the caller goes on with the other customers and throws it after.
   */
  async attempt(stream: Stream, evaluate: () => void | Promise<void>): Promise<unknown> {
    try {
      await evaluate();
      return undefined;
    } catch (error) {
      stream.fail(error);
      return error;
    }
  }

  /** Fire due wake-ups in time order, up to `target`, then move the clock there (never back). */
  async advance(target: number, changes: FindingChange[]): Promise<void> {
    let failure: unknown;
    for (let stream = this.#wakes.takeDue(target); stream !== undefined; stream = this.#wakes.takeDue(target)) {
      // One customer's failure does not hold the others' wake-ups back; it is thrown once all are done.
      const error = await this.attempt(stream, async () => {
        if (stream.dirty) await this.refold(stream, target, changes);
        else this.foldOn(stream, [], target, changes);
      });
      failure ??= error;
      // A failed stream is not rescheduled: its next event evaluates it again.
      if (error === undefined) this.schedule(stream);
    }
    if (this.now === undefined || target > this.now) this.now = target;
    if (failure !== undefined) throw failure;
  }

  /** Fold every event already in the store (an engine started over an existing database). */
  async hydrate(changes: FindingChange[]): Promise<void> {
    const customers = new Set<string>();
    let latest = this.now ?? Number.NEGATIVE_INFINITY;
    for await (const event of iterateAll(this.store)) {
      customers.add(event.customerId);
      if (event.time > latest) latest = event.time;
    }
    if (customers.size === 0) return;
    const until = latest;
    let failure: unknown;
    for (const customerId of customers) {
      const stream = this.stream(customerId);
      // The other customers are still evaluated; the first failure is thrown at the end.
      const error = await this.attempt(stream, () => this.refold(stream, until, changes));
      failure ??= error; // evaluated first: `??=` would skip the attempt once a failure is held
    }
    this.now = until;
    await this.advance(until, changes);
    if (failure !== undefined) throw failure;
  }

  schedule(stream: Stream): void {
    this.#wakes.schedule(stream);
  }

  /** Bring ongoing findings up to the clock, once per clock value (reads only the state). */
  refresh(stream: Stream): void {
    const now = this.now;
    if (now === undefined || !this.#live.has(stream) || stream.refreshedAt === now) return;
    const book = new FindingBook(stream, undefined);
    const { policies, options, calendar } = this.env;
    policies.forEach((policy, p) => {
      if ((stream.ongoing[p] ?? 0) === 0 || policy.refresh === undefined) return;
      try {
        policy.refresh(stream.stateForReading(p, this.env.freezeReads), {
          customerId: stream.customerId,
          options: options[p],
          calendar,
          now,
          report: (input) => {
            checkFindingInput(policy, input, now, stream);
            // As of the clock: every event the stream has folded is at or before it.
            book.report(p, input, Number.POSITIVE_INFINITY);
          },
        });
      } catch (error) {
        throw new PolicyError(policy.name, stream.customerId, undefined, error, 'refresh');
      }
    });
    stream.refreshedAt = now;
    this.#track(stream);
  }

  emit(changes: readonly FindingChange[]): void {
    for (const change of changes) {
      this.emitter.emit('finding', change);
      this.emitter.emit(change.finding.kind as `${string}.${string}`, change);
    }
  }

  #track(stream: Stream): void {
    if (stream.ongoing.some((n) => n > 0)) this.#live.add(stream);
    else this.#live.delete(stream);
  }
}

/**
 * An instant argument of the public API as epoch ms; `what` names the method in the error, `path`
 * the argument or option (the error's `path`, `rule` `invalid-instant`).
 */
export function instantArgument(calendar: Calendar, instant: string | number | Date, what: string, path = 'instant'): number {
  const ms = typeof instant === 'number' ? instant : instant instanceof Date ? instant.getTime() : calendar.parseInstant(instant);
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new UsageError(`${what}: expected an ISO-8601 date-time with Z or an offset, a YYYY-MM-DD date, epoch ms or a Date; got ${JSON.stringify(instant)}`, {
      path,
      rule: 'invalid-instant',
    });
  }
  return ms;
}
