import { enableArrayMethods, Immer } from 'immer';

enableArrayMethods();
import { isResolvedConfig, resolveConfig } from '../config/config.js';
import { coreEventTypes, isCoreEventType } from '../events/core-types.js';
import type { EventInputFor, EventInputsFor, EventTypeName, ValidEvent } from '../events/event.js';
import { EventRegistry } from '../events/registry.js';
import { checkOptionNames, optionNames } from '../option-names.js';
import { runnable, type AnyPolicy, type EventSchemas } from '../policies/define-policy.js';
import type { EventStore } from '../store/event-store.js';
import { engineOptionsPolicies, policyIndex, type EngineOptions } from './engine-options.js';
import { InMemoryEventStore } from '../store/in-memory-store.js';
import { Calendar } from '../time/calendar.js';
import type { CoreFindingKind, Finding, FindingChange } from './finding.js';
import type { FindingOf } from '../policies/core-findings.js';
import * as read from './read.js';
import { recordValid, validateInputs, type RecordResult } from './record.js';
import { instantArgument, Runtime, type EngineEventName, type EngineListener } from './runtime.js';
import type { Snapshot } from './snapshot.js';
import type { PlannedRead } from './plan.js';

export type { EngineEventName, EngineEvents, EngineListener } from './runtime.js';
export type { RecordResult } from './record.js';
export type { EngineOptions } from './engine-options.js';

/** What `findings` and `findingEntries` select: one customer, one kind, or both. */
export interface FindingsFilter {
  readonly customerId?: string;
  readonly kind?: string;
}

// Checked once per read (option-names.ts): a misspelt name would do nothing.
const FILTERS = optionNames<FindingsFilter>({ customerId: true, kind: true });
const FILTER_WORDING = { noun: 'filter', argument: 'the filter' };

/**
 * Internal, not exported from the package: `[UNFROZEN_READS]: true` leaves states, summaries and
 * snapshots unfrozen when they are read. Only for an engine whose reads nobody else holds: the
 * CLI's one-shot replay serialises each snapshot at once and drops it, and deep-freezing every
 * state and finding of a 1M-event replay costs about a twentieth of its time. A symbol, so it is
 * no option name: a caller cannot pass it by accident, and unknown names stay refused.
 */
export const UNFROZEN_READS: unique symbol = Symbol('heed.unfrozenReads');

export interface InternalEngineOptions extends EngineOptions {
  readonly [UNFROZEN_READS]?: true;
}

/**
 * Internal, not exported from the package: `recordAfterRead(engine, events, read)` is
 * `engine.recordValidated(events)` for customers the engine does not hold whose streams the caller
 * has just read from the store and planned its events on (`PlannedRead`, by customer): they are
 * recorded as planned and, once the store takes the append at their versions, evaluated from
 * those reads, without reading them or looking their ids up again (replay.ts, whose pre-pass made
 * both). Should another writer have appended since, the append is refused (VersionConflictError)
 * and the customer's next record reads the store. A function beside the class rather than a
 * member of it: a member, even one keyed by an unexported symbol, is in Engine's public type
 * declarations.
 */
export function recordAfterRead(engine: Engine, events: readonly ValidEvent[], read: ReadonlyMap<string, PlannedRead>): Promise<RecordResult> {
  return recordAfterReadIn(engine, events, read);
}

/** Set by Engine's static block: only code in the class body can reach an engine's runtime and queue. */
let recordAfterReadIn: typeof recordAfterRead;

/**
 * The engine: records events per customer, folds each stream through every policy, keeps the
 * findings, and moves journey time forward. Findings depend only on the events and the clock, so
 * the same input gives the same findings byte for byte, whether it is fed at once, one event at a
 * time, or with backdated events (which re-evaluate their stream).
 *
 * Operations run one at a time, in call order (an internal queue), so concurrent callers never
 * interleave half-applied batches. The work is done elsewhere: record.ts (the write path),
 * runtime.ts (streams, clock, timers), read.ts (findings, summaries, snapshots).
 */
export class Engine {
  readonly calendar: Calendar;
  readonly policies: readonly AnyPolicy[];
  readonly registry: EventRegistry;
  readonly store: EventStore;

  readonly #rt: Runtime;
  #queue: Promise<unknown> = Promise.resolve();

  static {
    recordAfterReadIn = (engine, events, read) => engine.#exclusive(() => recordValid(engine.#rt, events, [], events.length, read));
  }

  constructor(options: EngineOptions = {}) {
    this.policies = engineOptionsPolicies(options);
    const resolved = isResolvedConfig(options.config) ? options.config : resolveConfig(options.config ?? {}, this.policies);
    this.calendar = resolved.calendar;
    this.registry = new EventRegistry();
    const accepts = this.policies.map((policy) => {
      const own = Object.entries((policy.events ?? {}) as EventSchemas);
      for (const [type, schema] of own) this.registry.register(type, runnable(schema), policy.name);
      return new Set<string>([...coreEventTypes, ...own.map(([type]) => type)]);
    });
    this.store = options.store ?? new InMemoryEventStore();
    // A store that upcasts validates the upcast payloads of this engine's custom types too.
    const registry = this.registry;
    this.store.useEventSchemas?.((type) => (isCoreEventType(type) ? undefined : registry.get(type)?.schema));
    this.#rt = new Runtime(
      {
        policies: this.policies,
        options: this.policies.map((p) => resolved.options.get(p.name) ?? runnable(p.options).parse({})),
        calendar: this.calendar,
        immer: new Immer({ autoFreeze: false, useStrictIteration: false }),
        accepts,
        freezeEvents: options.freezeEvents === true,
        freezeReads: (options as InternalEngineOptions)[UNFROZEN_READS] !== true,
      },
      this.store,
    );
  }

  /** The journey clock (epoch ms): the latest event time recorded or instant advanced to. */
  get now(): number | undefined {
    return this.#rt.now;
  }

  on<K extends EngineEventName>(event: K, listener: EngineListener<K>): this {
    this.#rt.emitter.on(event, listener as never);
    return this;
  }

  once<K extends EngineEventName>(event: K, listener: EngineListener<K>): this {
    this.#rt.emitter.once(event, listener as never);
    return this;
  }

  off<K extends EngineEventName>(event: K, listener?: EngineListener<K>): this {
    this.#rt.emitter.off(event, listener as never);
    return this;
  }

  /**
   * Record one event or a batch. Every event is validated (schema, then lifecycle rules in stream
   * order) before anything is written: a batch with a problem throws `InvalidInputError` listing
   * all of them, and nothing is appended. Before an event at time T is applied, the clock moves
   * to T: wake-ups due before it fire first.
   *
   * A policy that throws (PolicyError) is the policy's fault, not the events': the batch stays
   * stored, every other customer in it is evaluated, and the call rejects. Until the failed
   * customer is evaluated again without failure (its next event, or `hydrate` of an engine with
   * the policy fixed), reading it (`findings`, `summary`, `snapshot`) throws that PolicyError
   * rather than answer from a state that missed events.
   * Each event's `data` is type-checked against its `type` (`EventInputFor`), a list's one by one.
   */
  record<const T extends EventTypeName, const Types extends readonly EventTypeName[]>(input: EventInputFor<T> | EventInputsFor<Types>): Promise<RecordResult> {
    const inputs: readonly unknown[] = Array.isArray(input) ? input : [input];
    return this.#exclusive(() => {
      const { valid, errors } = validateInputs(this.registry, this.calendar, inputs);
      return recordValid(this.#rt, valid, errors, inputs.length);
    });
  }

  /**
   * Record events that were already validated against this engine's registry and calendar (for
   * example by `readLines` or `parseJsonl`): skips the schema step, keeps each event's file and
   * line for lifecycle errors. Same all-or-nothing rule as `record`. The store takes their `data`
   * and `meta` as the registry left them (JSON data) and does not walk them again.
   */
  recordValidated(events: readonly ValidEvent[]): Promise<RecordResult> {
    return this.#exclusive(() => recordValid(this.#rt, events, [], events.length));
  }

  /**
   * Move the journey clock forward, firing every wake-up due up to `instant`. Never moves back.
   * A bad instant rejects (UsageError). A policy failing on one customer's wake-up does not hold
   * the others back: their changes are emitted, then the first failure rejects.
   */
  async advanceTo(instant: string | number | Date): Promise<readonly FindingChange[]> {
    const target = instantArgument(this.calendar, instant, 'advanceTo');
    return this.#exclusive(async () => {
      const changes: FindingChange[] = [];
      try {
        await this.#rt.advance(target, changes);
      } finally {
        this.#rt.emit(changes);
      }
      return changes;
    });
  }

  /** Fold every event already in the store (an engine started over an existing database); as `advanceTo` when a policy fails. */
  hydrate(): Promise<void> {
    return this.#exclusive(async () => {
      const changes: FindingChange[] = [];
      try {
        await this.#rt.hydrate(changes);
      } finally {
        this.#rt.emit(changes);
      }
    });
  }

  /**
   * Current findings (all customers, or one), in the contract's order. Filtered on a core kind,
   * typed as that kind's (`FindingOf`); an overload rather than a type parameter on the filter,
   * so an editor offers the core kinds and a misspelt filter name stays a type error.
   */
  findings<K extends CoreFindingKind>(filter: FindingsFilter & { readonly kind: K }): FindingOf<K>[];
  findings(filter?: FindingsFilter): Finding[];
  findings(filter: FindingsFilter = {}): Finding[] {
    checkOptionNames('findings', filter, FILTERS, FILTER_WORDING);
    return read.findings(this.#rt, filter);
  }

  /**
   * The same findings with their stable identity `key` (kind, customer, subject, start): what a
   * read model stores to update a finding in place rather than duplicate it.
   */
  findingEntries<K extends CoreFindingKind>(filter: FindingsFilter & { readonly kind: K }): { readonly key: string; readonly finding: FindingOf<K> }[];
  findingEntries(filter?: FindingsFilter): { readonly key: string; readonly finding: Finding }[];
  findingEntries(filter: FindingsFilter = {}): { readonly key: string; readonly finding: Finding }[] {
    checkOptionNames('findingEntries', filter, FILTERS, FILTER_WORDING);
    return read.findingRecords(this.#rt, filter).map(({ key, finding }) => ({ key, finding }));
  }

  /**
   * The earliest pending wake-up (epoch ms) of one customer, or of every customer: the next
   * instant at which `advanceTo` can change findings without a new event. Undefined when nothing
   * is pending. A durable projection stores it to know when to look at the customer again.
   */
  nextWakeAt(customerId?: string): number | undefined {
    return read.nextWakeAt(this.#rt, customerId);
  }

  /** Per-policy summaries of one customer, keyed by policy name (policies without a summary omitted). Deeply frozen. */
  summary(customerId: string): Record<string, unknown> {
    return read.summary(this.#rt, customerId);
  }

  /** Customer ids with at least one event, sorted. */
  customers(): string[] {
    return read.customers(this.#rt);
  }

  /**
   * A policy's current state for one customer (for tests and debugging), deeply frozen: a write
   * throws a TypeError. Later events never change it; read the state again to see them.
   */
  state<S = unknown>(customerId: string, policyName: string): S | undefined {
    const index = this.#policyIndex(policyName);
    return this.#rt.streams.get(customerId)?.stateForReading(index, this.#rt.env.freezeReads) as S | undefined;
  }

  /**
   * The parsed options (defaults applied) of an installed policy, as the engine runs it. Lets code
   * outside the fold (such as `assessNextStep`) read a policy's state with the same settings.
   */
  policyOptions<O = unknown>(policyName: string): O {
    return this.#rt.env.options[this.#policyIndex(policyName)] as O;
  }

  /** Everything known now: the `--format json` object of the CLI. Deeply frozen. */
  snapshot(): Snapshot {
    return read.snapshot(this.#rt);
  }

  /**
   * What was known at an instant ("what did we know on 2017-12-12?"): the store's events up to
   * that instant, replayed in a fresh engine with the same policies and configuration.
   */
  async asOf(instant: string | number | Date): Promise<Snapshot> {
    const limit = instantArgument(this.calendar, instant, 'asOf');
    const options = this.#rt.env.options;
    const replica = engineWith({
      policies: this.policies,
      freezeEvents: this.#rt.env.freezeEvents,
      config: { calendar: this.calendar, options: new Map(this.policies.map((p, i) => [p.name, options[i]])) },
    });
    const byCustomer = await this.#exclusive(() => read.storedUpTo(this.store, limit));
    // Stored events were validated when recorded: the replica folds them without parsing them again.
    for (const events of byCustomer.values()) await replica.recordValidated(events);
    await replica.advanceTo(limit);
    return replica.snapshot();
  }

  #policyIndex(policyName: string): number {
    return policyIndex(this.policies, policyName);
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}


/**
 * A new Engine, made outside the class body: a reference to the class from inside it makes the
 * bundler name the built class `_Engine` (Engine.name would read "_Engine").
 */
function engineWith(options: EngineOptions): Engine {
  return new Engine(options);
}
