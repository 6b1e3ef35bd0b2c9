import { EventIdConflictError, InvalidInputError, UsageError } from '../errors.js';
import { checkOptionNames, optionNames } from '../option-names.js';
import { checkAppendOptions } from './append-options.js';
import type {
  AppendOptions,
  AppendResult,
  EventSchemaLookup,
  EventStore,
  NewEvent,
  NewEventsFor,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
} from './event-store.js';
import type { EventTypeName } from '../events/event.js';
import { assignedId } from './assigned-id.js';
import { checkStream, isValidated } from './event-input.js';
import { EventSchemas } from './event-schemas.js';
import { checkEvents, RefusedEvent, storedForm, type PayloadReading } from './stored-form.js';
import { assertExpectedVersion } from './expected-version.js';
import { checkReadAllOptions, checkReadStreamOptions } from './read-options.js';
import { samePayload } from './same-payload.js';
import { addEvent, findEvent, newStream, type Stream } from './stream-index.js';

export interface InMemoryEventStoreOptions {
  /** Wall clock for `recordedAt` (default `Date.now`). Findings never depend on it. */
  readonly now?: () => number;
}

const STORE_OPTIONS = optionNames<InMemoryEventStoreOptions>({ now: true });

/**
 * An event store in process memory: for tests, replays and single-process use. Append costs
 * O(1) per event (a map lookup and array pushes), independent of how many streams exist; global
 * positions are contiguous, so `readAll` is a slice.
 *
 * It keeps the `data` and `meta` objects it is given, without a copy (a copy per append would
 * cost more than the append): a writer must not change them after appending. A payload of a type
 * it knows is kept as its type's schema parsed it (a new object for each core type: stored-form.ts);
 * the engine appends payloads that are its own (zod's output, or a copy: registry.ts), never the
 * caller's objects.
 */
export class InMemoryEventStore implements EventStore {
  readonly #streams = new Map<string, Stream>();
  readonly #all: StoredEvent[] = [];
  readonly #now: () => number;
  /** The payload schemas of the types it validates: the core types, and a plugin's once an engine on the store handed them over. */
  readonly #reading: PayloadReading = { schemas: new EventSchemas() };
  #lastNow = Number.NaN;
  #lastIso = '';

  constructor(options: InMemoryEventStoreOptions = {}) {
    checkOptionNames('InMemoryEventStore', options, STORE_OPTIONS);
    this.#now = options.now ?? Date.now;
  }

  // Not `async`: an async wrapper costs a second promise per call (about a tenth of a one-event
  // append's main-thread time). Errors still arrive as rejections, never as throws.
  append<const Types extends readonly EventTypeName[]>(customerId: string, events: NewEventsFor<Types>, options: AppendOptions = NO_OPTIONS): Promise<AppendResult> {
    try {
      return Promise.resolve(this.appendSync(customerId, events, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Synchronous append, for callers that own the store in-process (the engine's fast path). A
   * batch settles ids exactly as appending its events one at a time would, in order: an event
   * without id is given `<customerId>:<version>` (suffixed `~n` when a stored event or an earlier
   * event of the batch already has it), and a later event bringing that id as its own is a retry
   * of it (skipped) or a conflict (the whole batch refused). What every store refuses is refused
   * first (event-input.ts, stored-form.ts): an event of another customer, a customer id or id
   * outside 1–200 characters, an envelope field of the wrong type, `data` that is not an object, a
   * known type's `data` its schema refuses, `data` or `meta` that is not JSON data. A known type's
   * payload is kept as its schema parses it, defaults filled in.
   */
  appendSync<const Types extends readonly EventTypeName[]>(customerId: string, events: NewEventsFor<Types>, options: AppendOptions = NO_OPTIONS): AppendResult {
    checkStream(customerId, events);
    // Kept as the engine would have recorded them, not serialised: what PostgreSQL could not write
    // must not be kept here either. The engine's appends (validated) carry known options, parsed
    // payloads and the time their `at` denotes: its hot path skips the option-name check, the
    // payload's parse and the reading of `at`, not the envelope's typeof checks.
    const validated = isValidated(options);
    if (!validated) checkAppendOptions(options);
    if (events.length !== 1) return this.#append(customerId, checkEvents(events, !validated, this.#reading), options);
    // One event, the live case: no batch copied.
    const event = storedForm(events[0] as NewEvent, 0, !validated, this.#reading);
    if (event instanceof RefusedEvent) throw new InvalidInputError(event.errors, 'the batch');
    return this.#appendOne(customerId, event, options);
  }

  /**
   * A plugin's payload schemas (`EventStore.useEventSchemas`; an engine built on the store hands
   * over its registry's), so a direct append validates and normalises its types as the engine would.
   */
  useEventSchemas(schemaOf: EventSchemaLookup): void {
    this.#reading.schemas.use(schemaOf);
  }

  /** The checked events appended. */
  #append(customerId: string, events: readonly NewEvent[], options: AppendOptions): AppendResult {
    if (events.length === 1) return this.#appendOne(customerId, events[0] as NewEvent, options);
    const stream = this.#streams.get(customerId);
    const current = stream?.events.length ?? 0;

    // Separate retries from new events and give ids before anything is written, so a conflict writes nothing.
    const fresh: NewEvent[] = [];
    const ids: string[] = [];
    const duplicates: StoredEvent[] = [];
    // Ids of earlier events of this batch, given or assigned (one-event appends take #appendOne);
    // an assigned id maps to an event whose own `id` is undefined.
    const batchIds = new Map<string, NewEvent | StoredEvent>();
    for (const event of events) {
      let id = event.id;
      if (id === undefined) {
        id = autoId(customerId, current + fresh.length + 1, stream, batchIds);
      } else {
        const stored = stream === undefined ? undefined : findEvent(stream, id);
        if (stored !== undefined) {
          if (!samePayload(stored, event)) throw new EventIdConflictError(customerId, id);
          duplicates.push(stored);
          continue;
        }
        const earlier = batchIds.get(id);
        if (earlier !== undefined) {
          if (!samePayload(earlier, event)) throw new EventIdConflictError(customerId, id, earlier.id === undefined);
          continue;
        }
      }
      batchIds.set(id, event);
      fresh.push(event);
      ids.push(id);
    }
    if (fresh.length === 0) return { streamVersion: current, appended: [], duplicates };
    assertExpectedVersion(customerId, options.expectedVersion ?? 'any', current);

    let target = stream;
    if (target === undefined) {
      target = newStream();
      this.#streams.set(customerId, target);
    }
    const recordedAt = this.#recordedAt();
    const appended: StoredEvent[] = [];
    for (let i = 0; i < fresh.length; i++) {
      const stored = this.#store(customerId, fresh[i] as NewEvent, ids[i] as string, target.events.length + 1, recordedAt);
      addEvent(target, stored);
      this.#all.push(stored);
      appended.push(stored);
    }
    return { streamVersion: target.events.length, appended, duplicates };
  }

  /** One event, the live case: the same rules as a batch without the batch's bookkeeping. */
  #appendOne(customerId: string, event: NewEvent, options: AppendOptions): AppendResult {
    let stream = this.#streams.get(customerId);
    const current = stream === undefined ? 0 : stream.events.length;
    if (event.id !== undefined && stream !== undefined) {
      const stored = findEvent(stream, event.id);
      if (stored !== undefined) {
        if (!samePayload(stored, event)) throw new EventIdConflictError(customerId, event.id);
        return { streamVersion: current, appended: NO_EVENTS, duplicates: [stored] };
      }
    }
    const expected = options.expectedVersion;
    // The usual case (the exact version the caller last saw) needs no call.
    if (expected !== current && expected !== undefined) assertExpectedVersion(customerId, expected, current);
    if (stream === undefined) {
      stream = newStream();
      this.#streams.set(customerId, stream);
    }
    const id = event.id ?? autoId(customerId, current + 1, stream, NO_IDS);
    const stored = this.#store(customerId, event, id, current + 1, this.#recordedAt());
    addEvent(stream, stored);
    this.#all.push(stored);
    return { streamVersion: current + 1, appended: [stored], duplicates: NO_EVENTS };
  }

  #store(customerId: string, event: NewEvent, id: string, streamVersion: number, recordedAt: string): StoredEvent {
    const stored: { -readonly [K in keyof StoredEvent]: StoredEvent[K] } = {
      id,
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
    checkReadStreamOptions(options, customerId);
    const events = this.#streams.get(customerId)?.events ?? [];
    const from = Math.max(0, (options.fromVersion ?? 1) - 1);
    return events.slice(from, options.limit === undefined ? undefined : from + options.limit);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    checkReadAllOptions(options);
    const from = Math.max(0, options.after ?? 0);
    return this.#all.slice(from, options.limit === undefined ? undefined : from + options.limit);
  }

  async readByIds(customerId: string, ids: readonly string[]): Promise<StoredEvent[]> {
    const stream = this.#streams.get(customerId);
    if (stream === undefined) return [];
    // As PostgreSQL answers it: each event once, in stream order, whatever the order or repeats of `ids`.
    const found = new Set<StoredEvent>();
    for (const id of ids) {
      // Only a string is an event's id: anything else a caller's types let through finds nothing, as before.
      const event = typeof id === 'string' ? findEvent(stream, id) : undefined;
      if (event !== undefined) found.add(event);
    }
    return [...found].sort((a, b) => a.streamVersion - b.streamVersion);
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

/** `assignedId`, avoiding the ids of the stream's events and those of earlier events of the batch. */
function autoId(customerId: string, version: number, stream: Stream | undefined, batch: ReadonlyMap<string, unknown>): string {
  return assignedId(customerId, version, (id) => (stream !== undefined && findEvent(stream, id) !== undefined) || batch.has(id));
}
