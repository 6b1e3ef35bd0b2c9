import type { Immutable } from 'immer';
import type { CoreEventData, CoreEventDataInput, CoreEventType } from './core-types.js';

/** Free-form context: source system, actor, `correlationId`, `causationId`. Never interpreted. */
export type EventMeta = Readonly<Record<string, unknown>>;

/**
 * An event as a CRM writes it (one JSONL line, or an object passed to `engine.record`).
 * `at` is an ISO-8601 date-time with `Z` or an offset, or a `YYYY-MM-DD` date meaning 00:00 of
 * that day in the calendar's time zone. Any event: a variable of this type may hold a core type
 * with any data (its `type` may be any string). The entries that take events check each one
 * against its own type's data instead (`EventInputFor`).
 */
export type EventInput =
  | { [K in CoreEventType]: EventInputOf<K, CoreEventDataInput[K]> }[CoreEventType]
  | { [K in keyof CustomEventTypes & string]: EventInputOf<K, CustomEventTypes[K]> }[keyof CustomEventTypes & string]
  | EventInputOf<string, Readonly<Record<string, unknown>>>;

/**
 * The `data` of a plugin's custom event types as written, for the type checker only: empty in
 * heed, filled by declaration merging, so `engine.record` and the testing helpers check those
 * types' data as they check a core type's. Validation at run time is the plugin's schema's.
 *
 * ```ts
 * declare module 'heed' {
 *   interface CustomEventTypes {
 *     NoReplyNoticeSent: { readonly matterId: string; readonly notice?: string };
 *   }
 * }
 * ```
 */
export interface CustomEventTypes {}

/**
 * The `data` an event of type `T` is checked against where it is given: a core type's payload as
 * written (`CoreEventDataInput`), a registered custom type's (`CustomEventTypes`), else any
 * object (a plugin's type, or a misspelt type name, which validation reports as `unknown-type`).
 */
export type EventDataInput<T extends string> = T extends CoreEventType
  ? CoreEventDataInput[T]
  : T extends keyof CustomEventTypes
    ? CustomEventTypes[T]
    : Readonly<Record<string, unknown>>;

/** An event of type `T` as given to `engine.record`, its `data` checked as `EventDataInput<T>`. */
export type EventInputFor<T extends string> = EventInputOf<T, EventDataInput<T>>;

/**
 * A list of events, each checked against its own type's data. `Types` is inferred from the list
 * (one type name per element), so a custom type in a batch does not loosen its core events.
 */
export type EventInputsFor<Types extends readonly string[]> = { readonly [I in keyof Types]: EventInputFor<Types[I]> };

/**
 * An iterable that is not an array (a generator, a Set): taken as its element type says, as its
 * elements cannot be told apart by position. An array is not one (its `length`), so a list is
 * checked element by element by the entry's other form (`EventInputsFor`).
 */
export type NonArrayIterable<T> = Iterable<T> & { readonly length?: never };

/**
 * A type name as the checked entries take it: the core and registered names are offered by an
 * editor, and any other string is a plugin's type.
 */
export type EventTypeName = CoreEventType | (keyof CustomEventTypes & string) | (string & {});

export interface EventInputOf<T extends string, D> {
  readonly id?: string;
  readonly customerId: string;
  readonly type: T;
  readonly at: string;
  readonly data?: D;
  readonly meta?: EventMeta;
}

/**
 * An event that passed validation: payload normalised, `at` resolved once to epoch
 * milliseconds (`time`). Not yet in a store, so it may still lack an `id`.
 */
export interface ValidEvent<T extends string = string, D = unknown> {
  readonly id?: string;
  readonly customerId: string;
  readonly type: T;
  readonly at: string;
  /** `at` as epoch milliseconds, resolved once at validation. */
  readonly time: number;
  readonly data: D;
  readonly meta?: EventMeta;
  /** Where the event was read from, when it came from a file. Not stored. */
  readonly source?: EventSource;
}

export interface EventSource {
  readonly file: string;
  readonly line: number;
}

/** An event as stored and as policies see it. */
export interface HeedEvent<T extends string = string, D = unknown> {
  /** Unique within the stream; assigned as `<customerId>:<streamVersion>` when the writer gave none. */
  readonly id: string;
  readonly customerId: string;
  readonly type: T;
  readonly at: string;
  readonly time: number;
  readonly data: D;
  readonly meta?: EventMeta;
  /** 1-based position in the customer's stream, in append order. */
  readonly streamVersion: number;
  /** Position in the store's global order (increasing, not necessarily contiguous). */
  readonly globalPosition: number;
}

/**
 * A core event, discriminated on `type`: `switch (event.type)` narrows `event.data`. The payload is
 * deeply readonly: an event is history, and a write to it is a type error.
 */
export type CoreEvent = { [K in CoreEventType]: CoreEventOf<K> }[CoreEventType];

/** A core event of one type (its payload deeply readonly). */
export type CoreEventOf<K extends CoreEventType> = HeedEvent<K, Immutable<CoreEventData[K]>>;

/** Events of one stream are evaluated in `at` order; ties keep append order. */
export function compareEvents(
  a: { readonly time: number; readonly streamVersion: number },
  b: { readonly time: number; readonly streamVersion: number },
): number {
  return a.time - b.time || a.streamVersion - b.streamVersion;
}
