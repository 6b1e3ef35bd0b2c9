import { EventIdConflictError, UsageError } from '../errors.js';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
} from './event-store.js';
import { assertExpectedVersion } from './expected-version.js';
import { samePayload } from './same-payload.js';

interface Stream {
  readonly events: StoredEvent[];
  readonly byId: Map<string, StoredEvent>;
}

export interface InMemoryEventStoreOptions {
  /** Wall clock for `recordedAt` (default `Date.now`). Findings never depend on it. */
  readonly now?: () => number;
}

/**
 * An event store in process memory: for tests, replays and single-process use. Append costs
 * O(1) per event (a map lookup and array pushes), independent of how many streams exist; global
 * positions are contiguous, so `readAll` is a slice.
 */
export class InMemoryEventStore implements EventStore {
  readonly #streams = new Map<string, Stream>();
  readonly #all: StoredEvent[] = [];
  readonly #now: () => number;
  #lastNow = Number.NaN;
  #lastIso = '';

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  // Not `async`: an async wrapper costs a second promise per call (about a tenth of a one-event
  // append's main-thread time). Errors still arrive as rejections, never as throws.
  append(customerId: string, events: readonly NewEvent[], options: AppendOptions = NO_OPTIONS): Promise<AppendResult> {
    try {
      return Promise.resolve(events.length === 1 ? this.#appendOne(customerId, events[0] as NewEvent, options) : this.appendSync(customerId, events, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Synchronous append, for callers that own the store in-process (the engine's fast path). */
  appendSync(customerId: string, events: readonly NewEvent[], options: AppendOptions = {}): AppendResult {
    if (events.length === 1) return this.#appendOne(customerId, events[0] as NewEvent, options);
    const stream = this.#streams.get(customerId);
    const current = stream?.events.length ?? 0;

    // Before anything is written: events of another customer, and retries of stored events.
    let retried: Set<number> | undefined;
    const duplicates: StoredEvent[] = [];
    let withoutId = 0;
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as NewEvent;
      if (event.customerId !== customerId) {
        throw new UsageError(`append to stream "${customerId}" was given an event of customer "${event.customerId}"`);
      }
      if (event.id === undefined) withoutId++;
      const stored = event.id === undefined ? undefined : stream?.byId.get(event.id);
      if (stored === undefined) continue;
      if (!samePayload(stored, event)) throw new EventIdConflictError(customerId, event.id as string);
      duplicates.push(stored);
      (retried ??= new Set()).add(i);
    }
    if (duplicates.length === events.length) return { streamVersion: current, appended: [], duplicates };
    assertExpectedVersion(customerId, options.expectedVersion ?? 'any', current);

    let target = stream;
    if (target === undefined) {
      target = { events: [], byId: new Map() };
      this.#streams.set(customerId, target);
    }
    // A generated id must not take an id given later in the same batch (only a batch that mixes
    // both needs the list).
    const given = withoutId > 0 && withoutId < events.length ? new Set(events.flatMap((e) => (e.id === undefined ? [] : [e.id]))) : NO_IDS;
    const recordedAt = this.#recordedAt();
    const appended: StoredEvent[] = [];
    for (let i = 0; i < events.length; i++) {
      if (retried?.has(i) === true) continue;
      const event = events[i] as NewEvent;
      // An id already in the stream now was written earlier in this batch: a repeat is skipped,
      // a conflicting one undoes the batch, so a conflict still writes nothing.
      const earlier = event.id === undefined ? undefined : target.byId.get(event.id);
      if (earlier !== undefined) {
        if (samePayload(earlier, event)) continue;
        this.#undo(customerId, target, appended);
        throw new EventIdConflictError(customerId, event.id as string);
      }
      const stored = this.#store(customerId, event, target.events.length + 1, target.byId, given, recordedAt);
      target.events.push(stored);
      target.byId.set(stored.id, stored);
      this.#all.push(stored);
      appended.push(stored);
    }
    return { streamVersion: target.events.length, appended, duplicates };
  }

  /** Take back the events of an append that failed part-way (they are the latest of the stream and of the store). */
  #undo(customerId: string, stream: Stream, appended: readonly StoredEvent[]): void {
    for (const event of appended) stream.byId.delete(event.id);
    stream.events.length -= appended.length;
    this.#all.length -= appended.length;
    if (stream.events.length === 0) this.#streams.delete(customerId);
  }

  /** One event, the live case: the same rules as a batch without the batch's bookkeeping. */
  #appendOne(customerId: string, event: NewEvent, options: AppendOptions): AppendResult {
    if (event.customerId !== customerId) {
      throw new UsageError(`append to stream "${customerId}" was given an event of customer "${event.customerId}"`);
    }
    let stream = this.#streams.get(customerId);
    const current = stream === undefined ? 0 : stream.events.length;
    if (event.id !== undefined && stream !== undefined) {
      const stored = stream.byId.get(event.id);
      if (stored !== undefined) {
        if (!samePayload(stored, event)) throw new EventIdConflictError(customerId, event.id);
        return { streamVersion: current, appended: NO_EVENTS, duplicates: [stored] };
      }
    }
    const expected = options.expectedVersion;
    // The usual case (the exact version the caller last saw) needs no call.
    if (expected !== current && expected !== undefined) assertExpectedVersion(customerId, expected, current);
    if (stream === undefined) {
      stream = { events: [], byId: new Map() };
      this.#streams.set(customerId, stream);
    }
    const stored = this.#store(customerId, event, current + 1, stream.byId, NO_IDS, this.#recordedAt());
    stream.events.push(stored);
    stream.byId.set(stored.id, stored);
    this.#all.push(stored);
    return { streamVersion: current + 1, appended: [stored], duplicates: NO_EVENTS };
  }

  #store(customerId: string, event: NewEvent, streamVersion: number, taken: ReadonlyMap<string, unknown>, given: ReadonlySet<string>, recordedAt: string): StoredEvent {
    const stored: { -readonly [K in keyof StoredEvent]: StoredEvent[K] } = {
      id: event.id ?? autoId(customerId, streamVersion, taken, given),
      customerId,
      type: event.type,
      at: event.at,
      time: event.time,
      data: event.data,
      streamVersion,
      globalPosition: this.#all.length + 1,
      schemaVersion: event.schemaVersion ?? 1,
      recordedAt,
    };
    if (event.meta !== undefined) stored.meta = event.meta;
    return stored;
  }

  /** The wall clock as ISO text, formatted once per distinct millisecond (appends come in bursts). */
  #recordedAt(): string {
    const now = this.#now();
    if (now !== this.#lastNow) {
      this.#lastNow = now;
      this.#lastIso = new Date(now).toISOString();
    }
    return this.#lastIso;
  }

  async readStream(customerId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const events = this.#streams.get(customerId)?.events ?? [];
    const from = Math.max(0, (options.fromVersion ?? 1) - 1);
    return events.slice(from, options.limit === undefined ? undefined : from + options.limit);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const from = Math.max(0, options.after ?? 0);
    return this.#all.slice(from, options.limit === undefined ? undefined : from + options.limit);
  }

  async readByIds(customerId: string, ids: readonly string[]): Promise<StoredEvent[]> {
    const stream = this.#streams.get(customerId);
    if (stream === undefined) return [];
    return ids.flatMap((id) => {
      const event = stream.byId.get(id);
      return event === undefined ? [] : [event];
    });
  }

  async streamVersion(customerId: string): Promise<number> {
    return this.#streams.get(customerId)?.events.length ?? 0;
  }

  async close(): Promise<void> {}

  /** Number of events in the store. */
  get size(): number {
    return this.#all.length;
  }
}

const NO_IDS: ReadonlySet<string> = new Set();
/** Shared by every result with nothing to list (frozen: results are read-only). */
const NO_EVENTS: readonly StoredEvent[] = Object.freeze([]);
const NO_OPTIONS: AppendOptions = Object.freeze({});

/** `<customerId>:<streamVersion>`, unless a writer already used or is about to use that id; then a suffix keeps it unique. */
function autoId(customerId: string, version: number, taken: ReadonlyMap<string, unknown>, given: ReadonlySet<string>): string {
  const base = `${customerId}:${version}`;
  let id = base;
  for (let n = 2; taken.has(id) || given.has(id); n++) id = `${base}~${n}`;
  return id;
}
