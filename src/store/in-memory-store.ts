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
 *
 * It keeps the `data` and `meta` objects it is given, without a copy (a copy per append would
 * cost more than the append): a writer must not change them after appending. The engine appends
 * payloads that are its own (zod's output, or a copy: registry.ts), never the caller's objects.
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

    // Separate retries from new events before anything is written, so a conflict writes nothing.
    const fresh: NewEvent[] = [];
    const duplicates: StoredEvent[] = [];
    // Ids seen earlier in this batch (one-event appends take #appendOne). For a new stream these
    // are all its ids: the map becomes its index below, each entry replaced by the stored event.
    const batchIds = new Map<string, NewEvent | StoredEvent>();
    for (const event of events) {
      if (event.customerId !== customerId) {
        throw new UsageError(`append to stream "${customerId}" was given an event of customer "${event.customerId}"`);
      }
      if (event.id === undefined) {
        fresh.push(event);
        continue;
      }
      const stored = stream?.byId.get(event.id);
      if (stored !== undefined) {
        if (!samePayload(stored, event)) throw new EventIdConflictError(customerId, event.id);
        duplicates.push(stored);
        continue;
      }
      const earlier = batchIds.get(event.id);
      if (earlier !== undefined) {
        if (!samePayload(earlier, event)) throw new EventIdConflictError(customerId, event.id);
        continue;
      }
      batchIds.set(event.id, event);
      fresh.push(event);
    }
    if (fresh.length === 0) return { streamVersion: current, appended: [], duplicates };
    assertExpectedVersion(customerId, options.expectedVersion ?? 'any', current);

    let target = stream;
    if (target === undefined) {
      // Every entry is overwritten with its stored event by the loop below (an id skipped as an
      // in-batch retry names the same event as its first occurrence), so it is the index it types.
      target = { events: [], byId: batchIds as Map<string, StoredEvent> };
      this.#streams.set(customerId, target);
    }
    const recordedAt = this.#recordedAt();
    const appended: StoredEvent[] = [];
    for (const event of fresh) {
      const stored = this.#store(customerId, event, target.events.length + 1, target.byId, batchIds, recordedAt);
      target.events.push(stored);
      target.byId.set(stored.id, stored);
      this.#all.push(stored);
      appended.push(stored);
    }
    return { streamVersion: target.events.length, appended, duplicates };
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

  #store(customerId: string, event: NewEvent, streamVersion: number, taken: ReadonlyMap<string, unknown>, batchIds: ReadonlyMap<string, unknown>, recordedAt: string): StoredEvent {
    const stored: { -readonly [K in keyof StoredEvent]: StoredEvent[K] } = {
      id: event.id ?? autoId(customerId, streamVersion, taken, batchIds),
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

const NO_IDS: Map<string, NewEvent> = new Map();
/** Shared by every result with nothing to list (frozen: results are read-only). */
const NO_EVENTS: readonly StoredEvent[] = Object.freeze([]);
const NO_OPTIONS: AppendOptions = Object.freeze({});

/** `<customerId>:<streamVersion>`, unless a writer already used that id; then a suffix keeps it unique. */
function autoId(customerId: string, version: number, taken: ReadonlyMap<string, unknown>, batch: ReadonlyMap<string, unknown>): string {
  const base = `${customerId}:${version}`;
  let id = base;
  for (let n = 2; taken.has(id) || batch.has(id); n++) id = `${base}~${n}`;
  return id;
}
