import { EventEmitter } from 'eventemitter3';
import { enableArrayMethods, Immer } from 'immer';

enableArrayMethods();
import type * as z from 'zod';
import { resolveConfig, type HeedConfig, type ResolvedConfig } from '../config/config.js';
import { InvalidInputError, UsageError, ValidationError } from '../errors.js';
import { coreEventTypes } from '../events/core-types.js';
import type { EventInput, ValidEvent } from '../events/event.js';
import { EventRegistry } from '../events/registry.js';
import { builtinPolicies } from '../policies/builtin.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import type { EventStore, StoredEvent } from '../store/event-store.js';
import { iterateAll } from '../store/event-store.js';
import { InMemoryEventStore } from '../store/in-memory-store.js';
import { Calendar } from '../time/calendar.js';
import { toIso } from '../time/instant.js';
import { compareFindings, compareStrings, type Finding, type FindingChange } from './finding.js';
import { FindingBook } from './finding-book.js';
import { foldRun, type FoldEnv } from './fold.js';
import { MinHeap } from './min-heap.js';
import { planStream, type StreamPlan } from './plan.js';
import type { Snapshot } from './snapshot.js';
import { Stream } from './stream.js';

export interface EngineOptions {
  /** Policies to run, in this order. Default: the built-in policies. */
  readonly policies?: readonly AnyPolicy[];
  /** Configuration (CONTRACT.md §3) as an object, or as returned by `loadConfigFile`. */
  readonly config?: HeedConfig | ResolvedConfig;
  /** Where events are kept. Default: a new `InMemoryEventStore`. */
  readonly store?: EventStore;
}

/** Listeners: `finding` for every change, and one event per finding kind (`promise.broken`, ...). */
export type EngineEvents = { finding: (change: FindingChange) => void } & {
  [kind: `${string}.${string}`]: (change: FindingChange) => void;
};

export interface RecordResult {
  /** Events written to the store by this call. */
  readonly appended: number;
  /** Events skipped as idempotent retries (same id, same payload). */
  readonly duplicates: number;
  /** How findings changed, in the order they were emitted. */
  readonly changes: readonly FindingChange[];
}

interface HeapEntry {
  readonly time: number;
  readonly stream: Stream;
}

/**
 * The engine: records events per customer, folds each stream through every policy, keeps the
 * findings, and moves journey time forward. Findings depend only on the events and the clock, so
 * the same input gives the same findings byte for byte, whether it is fed at once, one event at a
 * time, or with backdated events (which re-evaluate their stream).
 *
 * Operations run one at a time, in call order (an internal queue), so concurrent callers never
 * interleave half-applied batches.
 */
export class Engine {
  readonly calendar: Calendar;
  readonly policies: readonly AnyPolicy[];
  readonly registry: EventRegistry;
  readonly store: EventStore;

  readonly #env: FoldEnv;
  readonly #streams = new Map<string, Stream>();
  readonly #heap = new MinHeap<HeapEntry>((a, b) => a.time < b.time || (a.time === b.time && a.stream.seq < b.stream.seq));
  readonly #emitter = new EventEmitter<EngineEvents>();
  readonly #live = new Set<Stream>();
  #now: number | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: EngineOptions = {}) {
    this.policies = [...(options.policies ?? builtinPolicies)];
    const names = new Set<string>();
    for (const policy of this.policies) {
      if (names.has(policy.name)) throw new UsageError(`policy "${policy.name}" is installed twice`);
      names.add(policy.name);
    }
    const resolved = isResolved(options.config) ? options.config : resolveConfig(options.config ?? {}, this.policies);
    this.calendar = resolved.calendar;
    this.registry = new EventRegistry();
    const accepts = this.policies.map((policy) => {
      const own = Object.entries((policy.events ?? {}) as Record<string, z.ZodType>);
      for (const [type, schema] of own) this.registry.register(type, schema, policy.name);
      return new Set<string>([...coreEventTypes, ...own.map(([type]) => type)]);
    });
    this.#env = {
      policies: this.policies,
      options: this.policies.map((p) => resolved.options.get(p.name) ?? p.options.parse({})),
      calendar: this.calendar,
      immer: new Immer({ autoFreeze: false, useStrictIteration: false }),
      accepts,
    };
    this.store = options.store ?? new InMemoryEventStore();
  }

  /** The journey clock (epoch ms): the latest event time recorded or instant advanced to. */
  get now(): number | undefined {
    return this.#now;
  }

  on<K extends keyof EngineEvents & string>(event: K, listener: EngineEvents[K]): this {
    this.#emitter.on(event, listener as never);
    return this;
  }

  once<K extends keyof EngineEvents & string>(event: K, listener: EngineEvents[K]): this {
    this.#emitter.once(event, listener as never);
    return this;
  }

  off<K extends keyof EngineEvents & string>(event: K, listener?: EngineEvents[K]): this {
    this.#emitter.off(event, listener as never);
    return this;
  }

  /**
   * Record one event or a batch. Every event is validated (schema, then lifecycle rules in stream
   * order) before anything is written: a batch with a problem throws `InvalidInputError` listing
   * all of them, and nothing is appended. Before an event at time T is applied, the clock moves
   * to T: wake-ups due before it fire first.
   */
  record(input: EventInput | readonly EventInput[] | readonly unknown[]): Promise<RecordResult> {
    return this.#exclusive(() => this.#record(Array.isArray(input) ? input : [input]));
  }

  /**
   * Record events that were already validated against this engine's registry and calendar (for
   * example by `readLines` or `parseJsonl`): skips the schema step, keeps each event's file and
   * line for lifecycle errors. Same all-or-nothing rule as `record`.
   */
  recordValidated(events: readonly ValidEvent[]): Promise<RecordResult> {
    return this.#exclusive(() => this.#recordValid(events, [], events.length));
  }

  /** Move the journey clock forward, firing every wake-up due up to `instant`. Never moves back. */
  advanceTo(instant: string | number | Date): Promise<readonly FindingChange[]> {
    const target = this.#instant(instant, 'advanceTo');
    return this.#exclusive(async () => {
      const changes: FindingChange[] = [];
      await this.#advance(target, changes);
      this.#emit(changes);
      return changes;
    });
  }

  /** Fold every event already in the store (an engine started over an existing database). */
  hydrate(): Promise<void> {
    return this.#exclusive(async () => {
      const customers = new Set<string>();
      let latest = this.#now ?? Number.NEGATIVE_INFINITY;
      for await (const event of iterateAll(this.store)) {
        customers.add(event.customerId);
        if (event.time > latest) latest = event.time;
      }
      if (customers.size === 0) return;
      const until = latest;
      const changes: FindingChange[] = [];
      for (const customerId of customers) await this.#refold(this.#stream(customerId), until, changes);
      this.#now = until;
      await this.#advance(until, changes);
      this.#emit(changes);
    });
  }

  /** Current findings (all customers, or one), in the contract's order. */
  findings(filter: { readonly customerId?: string; readonly kind?: string } = {}): Finding[] {
    return this.findingEntries(filter).map((entry) => entry.finding);
  }

  /**
   * The same findings with their stable identity `key` (kind, customer, subject, start): what a
   * read model stores to update a finding in place rather than duplicate it.
   */
  findingEntries(filter: { readonly customerId?: string; readonly kind?: string } = {}): { readonly key: string; readonly finding: Finding }[] {
    const streams = filter.customerId === undefined ? [...this.#streams.values()] : [this.#streams.get(filter.customerId)].filter((s) => s !== undefined);
    const records = [];
    for (const stream of streams) {
      this.#refresh(stream);
      for (const record of stream.findings.values()) {
        if (filter.kind === undefined || record.finding.kind === filter.kind) records.push(record);
      }
    }
    return records.sort(compareFindings).map(({ key, finding }) => ({ key, finding }));
  }

  /**
   * The earliest pending wake-up (epoch ms) of one customer, or of every customer: the next
   * instant at which `advanceTo` can change findings without a new event. Undefined when nothing
   * is pending. A durable projection stores it to know when to look at the customer again.
   */
  nextWakeAt(customerId?: string): number | undefined {
    if (customerId !== undefined) return this.#streams.get(customerId)?.nextWake();
    let next: number | undefined;
    for (const stream of this.#streams.values()) {
      const candidate = stream.nextWake();
      if (candidate !== undefined && (next === undefined || candidate < next)) next = candidate;
    }
    return next;
  }

  /** Per-policy summaries of one customer, keyed by policy name (policies without a summary omitted). */
  summary(customerId: string): Record<string, unknown> {
    const stream = this.#streams.get(customerId);
    if (stream === undefined) return {};
    const out: Record<string, unknown> = {};
    this.policies.forEach((policy, p) => {
      if (policy.summary === undefined) return;
      out[policy.name] = policy.summary(stream.states[p], {
        customerId,
        options: this.#env.options[p],
        calendar: this.calendar,
        now: this.#now ?? stream.lastEventTime,
      });
    });
    return out;
  }

  /** Customer ids with at least one event, sorted. */
  customers(): string[] {
    return [...this.#streams.keys()].sort(compareStrings);
  }

  /** A policy's current state for one customer (for tests and debugging). */
  state<S = unknown>(customerId: string, policyName: string): S | undefined {
    const index = this.policies.findIndex((p) => p.name === policyName);
    if (index < 0) throw new UsageError(`no policy named "${policyName}" is installed`);
    return this.#streams.get(customerId)?.states[index] as S | undefined;
  }

  /**
   * The parsed options (defaults applied) of an installed policy, as the engine runs it. Lets code
   * outside the fold (such as `assessNextStep`) read a policy's state with the same settings.
   */
  policyOptions<O = unknown>(policyName: string): O {
    const index = this.policies.findIndex((p) => p.name === policyName);
    if (index < 0) throw new UsageError(`no policy named "${policyName}" is installed`);
    return this.#env.options[index] as O;
  }

  /** Everything known now: the `--format json` object of the CLI. */
  snapshot(): Snapshot {
    const summaries: Record<string, Record<string, unknown>> = {};
    for (const customerId of this.customers()) summaries[customerId] = this.summary(customerId);
    return {
      asOf: this.#now === undefined ? null : toIso(this.#now),
      customers: this.#streams.size,
      events: [...this.#streams.values()].reduce((sum, stream) => sum + stream.version, 0),
      findings: this.findings(),
      summaries,
    };
  }

  /**
   * What was known at an instant ("what did we know on 2017-12-12?"): the store's events up to
   * that instant, replayed in a fresh engine with the same policies and configuration.
   */
  async asOf(instant: string | number | Date): Promise<Snapshot> {
    const limit = this.#instant(instant, 'asOf');
    const replica = new Engine({
      policies: this.policies,
      config: { calendar: this.calendar, options: new Map(this.policies.map((p, i) => [p.name, this.#env.options[i]])) },
    });
    const byCustomer = new Map<string, StoredEvent[]>();
    await this.#exclusive(async () => {
      for await (const event of iterateAll(this.store)) {
        if (event.time > limit) continue;
        let list = byCustomer.get(event.customerId);
        if (list === undefined) byCustomer.set(event.customerId, (list = []));
        list.push(event);
      }
    });
    // Stored events were validated when recorded: the replica folds them without parsing them again.
    for (const events of byCustomer.values()) await replica.recordValidated(events);
    await replica.advanceTo(limit);
    return replica.snapshot();
  }

  // ---------------------------------------------------------------------------------------------

  async #record(inputs: readonly unknown[]): Promise<RecordResult> {
    const errors: ValidationError[] = [];
    const valid: ValidEvent[] = [];
    inputs.forEach((raw, index) => {
      const result = this.registry.validate(raw, this.calendar, { index });
      if (result.ok) valid.push(result.event);
      else errors.push(...result.errors);
    });
    return this.#recordValid(valid, errors, inputs.length);
  }

  async #recordValid(events: readonly ValidEvent[], errors: ValidationError[], count: number): Promise<RecordResult> {
    const groups = new Map<string, { event: ValidEvent; index: number }[]>();
    events.forEach((event, index) => {
      let group = groups.get(event.customerId);
      if (group === undefined) groups.set(event.customerId, (group = []));
      group.push({ event, index });
    });

    const plans: StreamPlan[] = [];
    for (const [customerId, items] of groups) {
      const plan = await planStream(customerId, items, this.#streams.get(customerId), this.store);
      errors.push(...plan.errors);
      plans.push(plan);
    }
    if (errors.length > 0) {
      throw new InvalidInputError(errors.sort(byLocation), count === 1 ? 'the event' : 'the batch');
    }

    let appended = 0;
    let duplicates = 0;
    let failure: unknown;
    const written: { stream: Stream; plan: StreamPlan; events: StoredEvent[] }[] = [];
    for (const plan of plans) {
      duplicates += plan.duplicates;
      if (plan.fresh.length === 0) continue;
      const stream = this.#streams.get(plan.customerId);
      try {
        const result = await this.store.append(plan.customerId, plan.fresh, { expectedVersion: stream?.version ?? 0 });
        const target = stream ?? this.#stream(plan.customerId);
        target.version = result.streamVersion;
        target.lifecycle = plan.lifecycle;
        appended += result.appended.length;
        written.push({ stream: target, plan, events: sortedByTime(result.appended) });
      } catch (error) {
        failure = error; // streams appended before the failure are still folded, then it is rethrown
        break;
      }
    }

    const changes: FindingChange[] = [];
    let until = this.#now ?? Number.NEGATIVE_INFINITY;
    for (const { events } of written) until = Math.max(until, events.at(-1)?.time ?? until);
    for (const { stream, plan, events } of written) {
      if (plan.inOrder && stream.acceptsInOrder(events[0]?.time ?? until)) {
        foldRun(stream, events, until, this.#env, this.#incrementalSink(stream, changes));
        this.#track(stream);
      } else {
        await this.#refold(stream, until, changes);
      }
      this.#schedule(stream);
    }
    if (written.length > 0) {
      this.#now = until;
      await this.#advance(until, changes);
    }
    this.#emit(changes);
    if (failure !== undefined) throw failure;
    return { appended, duplicates, changes };
  }

  /** Fire due wake-ups in time order, up to `target`. Costs O(due · log n), not O(customers). */
  async #advance(target: number, changes: FindingChange[]): Promise<void> {
    for (let entry = this.#heap.peek(); entry !== undefined && entry.time <= target; entry = this.#heap.peek()) {
      this.#heap.pop();
      const { stream } = entry;
      if (stream.scheduledAt !== entry.time) continue; // superseded by an earlier entry
      stream.scheduledAt = undefined;
      if (stream.dirty) await this.#refold(stream, target, changes);
      else {
        foldRun(stream, [], target, this.#env, this.#incrementalSink(stream, changes));
        this.#track(stream);
      }
      this.#schedule(stream);
    }
    if (this.#now === undefined || target > this.#now) this.#now = target;
  }

  /** Re-evaluate a stream from its first event (after a backdated event or a policy failure). */
  async #refold(stream: Stream, until: number, changes: FindingChange[]): Promise<void> {
    const events = (await this.store.readStream(stream.customerId)).sort(byTimeThenVersion);
    const before = stream.findings;
    stream.reset(this.#initialStates());
    for (const event of events) stream.lifecycle.apply(event);
    stream.version = events.reduce((max, e) => Math.max(max, e.streamVersion), 0);
    const book = new FindingBook(stream, undefined);
    foldRun(stream, events, until, this.#env, (policy, input) => book.report(policy, input));
    FindingBook.diff(before, stream.findings, changes);
    this.#track(stream);
    this.#schedule(stream);
  }

  #incrementalSink(stream: Stream, changes: FindingChange[]) {
    const book = new FindingBook(stream, changes);
    return (policy: number, input: Parameters<FindingBook['report']>[1]) => book.report(policy, input);
  }

  /** Bring ongoing findings up to the clock, once per clock value (reads only the state). */
  #refresh(stream: Stream): void {
    const now = this.#now;
    if (now === undefined || !this.#live.has(stream) || stream.refreshedAt === now) return;
    const book = new FindingBook(stream, undefined);
    this.policies.forEach((policy, p) => {
      if ((stream.ongoing[p] ?? 0) === 0 || policy.refresh === undefined) return;
      policy.refresh(stream.states[p], {
        customerId: stream.customerId,
        options: this.#env.options[p],
        calendar: this.calendar,
        now,
        report: (input) => book.report(p, input),
      });
    });
    stream.refreshedAt = now;
    this.#track(stream);
  }

  #track(stream: Stream): void {
    if (stream.ongoing.some((n) => n > 0)) this.#live.add(stream);
    else this.#live.delete(stream);
  }

  #schedule(stream: Stream): void {
    const next = stream.nextWake();
    if (next === undefined) return;
    if (stream.scheduledAt !== undefined && stream.scheduledAt <= next) return;
    stream.scheduledAt = next;
    this.#heap.push({ time: next, stream });
  }

  #stream(customerId: string): Stream {
    let stream = this.#streams.get(customerId);
    if (stream === undefined) {
      stream = new Stream(customerId, this.#streams.size, this.#initialStates());
      this.#streams.set(customerId, stream);
    }
    return stream;
  }

  #initialStates(): unknown[] {
    return this.policies.map((policy, p) => policy.initialState(this.#env.options[p]));
  }

  #emit(changes: readonly FindingChange[]): void {
    for (const change of changes) {
      this.#emitter.emit('finding', change);
      this.#emitter.emit(change.finding.kind as `${string}.${string}`, change);
    }
  }

  #instant(instant: string | number | Date, what: string): number {
    const ms =
      typeof instant === 'number' ? instant : instant instanceof Date ? instant.getTime() : this.calendar.parseInstant(instant);
    if (ms === undefined || !Number.isFinite(ms)) {
      throw new UsageError(`${what}: expected an ISO-8601 date-time with Z or an offset, a YYYY-MM-DD date, epoch ms or a Date; got ${JSON.stringify(instant)}`);
    }
    return ms;
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function isResolved(config: HeedConfig | ResolvedConfig | undefined): config is ResolvedConfig {
  return config !== undefined && (config as ResolvedConfig).calendar instanceof Calendar;
}

/** In `at` order (ties: stream version); a batch that already is (the usual case) is not copied. */
function sortedByTime(events: readonly StoredEvent[]): StoredEvent[] {
  for (let i = 1; i < events.length; i++) {
    if (byTimeThenVersion(events[i - 1] as StoredEvent, events[i] as StoredEvent) > 0) return [...events].sort(byTimeThenVersion);
  }
  return events as StoredEvent[];
}

function byTimeThenVersion(a: StoredEvent, b: StoredEvent): number {
  return a.time - b.time || a.streamVersion - b.streamVersion;
}

/** Errors in input order: file and line when known, else position in the batch. */
function byLocation(a: ValidationError, b: ValidationError): number {
  return compareStrings(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.index ?? 0) - (b.index ?? 0);
}
