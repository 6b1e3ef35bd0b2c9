import type * as z from 'zod';
import type { CoreEventDataInput, CoreEventType } from '../events/core-types.js';
import type { CustomEventTypes, EventMeta, EventTypeName, HeedEvent } from '../events/event.js';

/**
 * Where events live. One stream per customer, append-only, with optimistic concurrency. Every
 * store (in-memory, PostgreSQL through PGlite or `pg`) passes the same contract test suite
 * (test/store/store-contract.ts), so the engine treats them alike.
 *
 * Positions: `streamVersion` counts a stream's events from 1 in append order; `globalPosition`
 * identifies an event's place in the store's global order (not necessarily contiguous: a SQL store
 * may leave holes). Continue `readAll` from the last event it returned: in the PostgreSQL store
 * the global order is (committing transaction, position), so a position can be lower than one
 * read before it, and `readAll` returns only events no still-open transaction can precede.
 */
export interface EventStore {
  /**
   * Append events to one stream, atomically: all or none. Events whose `id` already exists in
   * the stream with an identical payload are idempotent retries: they are skipped and returned in
   * `duplicates`. An existing id with a different payload throws `EventIdConflictError`. When
   * nothing is left to append the call succeeds whatever `expectedVersion` says (the retry already
   * happened). Otherwise a stream not at `expectedVersion` throws `VersionConflictError`. What the
   * engine's validation refuses is refused here too, before anything is written (event-input.ts,
   * stored-form.ts): a customer id that is empty or over 200 characters, or an event of another
   * customer (`UsageError`); an event whose `id` is empty or over 200 characters, whose `type` is
   * empty, whose `type`, `at`, `time` or `schemaVersion` is of the wrong type, whose `data` is not
   * an object or `meta` (when given) not one, whose `data` its type's schema refuses (a core type,
   * or a plugin's once an engine on the store handed over its schemas), or whose `data` or `meta`
   * is not JSON data (`InvalidInputError`, naming each such event). Such a type's `data` is kept as
   * the engine's validation leaves it, defaults filled in; a type the store does not know, as given.
   *
   * A list's events are type-checked each against its own type's data (`NewEventsFor`); a list
   * typed `NewEvent[]` is taken as typed. A store of your own may declare `events` as
   * `readonly NewEvent[]`: its class still implements the interface.
   */
  append<const Types extends readonly EventTypeName[]>(customerId: string, events: NewEventsFor<Types>, options?: AppendOptions): Promise<AppendResult>;

  /** A stream's events in append (stream version) order. Empty for an unknown stream. */
  readStream(customerId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;

  /**
   * Events of every stream in global order, after the event at position `after` (exclusive; a
   * position `readAll` returned, or 0 for the start), up to `limit`. Never skips an event whose
   * transaction commits late: such an event holds readers back until it commits.
   */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;

  /** Events of one stream with the given ids (those that exist), each once, in stream order. Used to detect retries early. */
  readByIds(customerId: string, ids: readonly string[]): Promise<StoredEvent[]>;

  /** Current version of a stream: the number of events in it; 0 if it does not exist. */
  streamVersion(customerId: string): Promise<number>;

  /** Release connections or handles. The in-memory store has nothing to release. */
  close(): Promise<void>;

  /**
   * Optional: the payload schemas of event types the store does not know itself (a plugin's), so
   * an appended payload of such a type is validated and normalised as the engine would, and an
   * upcast one validated as a new event's would be. An engine built on the store hands it its
   * registry's custom types.
   */
  useEventSchemas?(schemaOf: EventSchemaLookup): void;
}

/** The payload schema of a custom event type, or undefined for a type the caller does not know. */
export type EventSchemaLookup = (type: string) => z.ZodType | undefined;

/** What a writer appends: a validated event, `at` already resolved to `time`. */
export interface NewEvent {
  /** The event's id, 1–200 characters; absent (or undefined) for one the store assigns. */
  readonly id?: string | undefined;
  readonly customerId: string;
  readonly type: string;
  readonly at: string;
  readonly time: number;
  readonly data: unknown;
  readonly meta?: EventMeta;
  /** Version of the event type's payload schema (for upcasting). Default 1. */
  readonly schemaVersion?: number;
}

/**
 * The `data` a store takes for an event of type `T`, for the type checker: a core type's as
 * `engine.record` takes it (`CoreEventDataInput`: a store validates it as the engine does and fills
 * in the defaults, `severity`, `purpose`, `importance`), a type registered in `CustomEventTypes` as
 * registered, any other type's as a `NewEvent`'s (`unknown`).
 */
export type NewEventData<T extends string> = T extends CoreEventType ? CoreEventDataInput[T] : T extends keyof CustomEventTypes ? CustomEventTypes[T] : unknown;

/** A `NewEvent` of type `T` with `data` of type `D`. */
export interface NewEventOf<T extends string, D> extends Omit<NewEvent, 'type' | 'data'> {
  readonly type: T;
  readonly data: D;
}

/**
 * A list of events as a store's `append` takes it, each checked against its own type's data
 * (`NewEventData`), as `EventInputsFor` checks `engine.record`'s. `Types` is inferred from the
 * list: a `NewEvent[]` (another store's events, say) gives `string` types and `unknown` data.
 */
export type NewEventsFor<Types extends readonly string[]> = { readonly [I in keyof Types]: NewEventOf<Types[I], NewEventData<Types[I]>> };

/** An event as the store returns it. */
export interface StoredEvent extends HeedEvent {
  readonly schemaVersion: number;
  /** Wall-clock time of the append (store metadata; never used in findings). */
  readonly recordedAt: string;
}

/**
 * - a number: the stream must be exactly at that version (0 = must not exist yet);
 * - `'any'`: no check;
 * - `'no-stream'`: the stream must not exist (same as 0);
 * - `'stream-exists'`: the stream must have at least one event.
 */
export type ExpectedVersion = number | 'any' | 'no-stream' | 'stream-exists';

export interface AppendOptions {
  /** Default `'any'`. */
  readonly expectedVersion?: ExpectedVersion;
}

export interface AppendResult {
  /** The stream's version after the append. */
  readonly streamVersion: number;
  /** The events written now, with their ids and positions. */
  readonly appended: readonly StoredEvent[];
  /** Stored events matched by an idempotent retry (nothing was written for them). */
  readonly duplicates: readonly StoredEvent[];
}

export interface ReadStreamOptions {
  /** First stream version to return (inclusive). Default 1. */
  readonly fromVersion?: number;
  /** Maximum number of events. */
  readonly limit?: number;
}

export interface ReadAllOptions {
  /** Return events with a global position greater than this. Default 0 (from the start). */
  readonly after?: number;
  /** Maximum number of events. Default: all. */
  readonly limit?: number;
}

/** Iterate the whole store in global order, page by page (bounded memory on large stores). */
export async function* iterateAll(store: EventStore, pageSize = 10_000, after = 0): AsyncGenerator<StoredEvent> {
  let position = after;
  for (;;) {
    const page = await store.readAll({ after: position, limit: pageSize });
    for (const event of page) yield event;
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) return;
    position = last.globalPosition;
  }
}
