import type { Immutable } from 'immer';
import type { CoreEventData, CoreEventDataInput, CoreEventType } from './core-types.js';

/** Free-form context: source system, actor, `correlationId`, `causationId`. Never interpreted. */
export type EventMeta = Readonly<Record<string, unknown>>;

/**
 * An event as a CRM writes it (one JSONL line, or an object passed to `engine.record`).
 * `at` is an ISO-8601 date-time with `Z` or an offset, or a `YYYY-MM-DD` date meaning 00:00 of
 * that day in the calendar's time zone.
 */
export type EventInput =
  | { [K in CoreEventType]: EventInputOf<K, CoreEventDataInput[K]> }[CoreEventType]
  | EventInputOf<string, Readonly<Record<string, unknown>>>;

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
