import type { StoredEvent } from './event-store.js';

/**
 * One stream of the in-memory store: its events, and how they are found by id (a retry, an
 * assigned id already taken, `readByIds`). Most streams stay short (a customer's journey is tens
 * of events), and a Map per stream, made and grown for each new customer, cost about 7% of
 * figure 3's loop of one-event appends in a fresh process (12–30% once warm). So a short stream keeps a number per event instead
 * (`idKey`: the id's length and three of its characters), in an array beside its events: an id
 * is looked for by comparing numbers, and only an event whose key matches has its id compared
 * (each stored id is a string elsewhere in memory). From `INDEX_FROM` events on, a stream keeps a
 * Map, so finding an id never costs more than 64 comparisons of numbers or one Map lookup. Ids
 * are unique in a stream, so both ways find the same event.
 */
export interface Stream {
  readonly events: StoredEvent[];
  /** `idKey` of each event, in stream order, while the stream is shorter than `INDEX_FROM`. */
  keys: number[] | undefined;
  /** The events by id, from `INDEX_FROM` events on. */
  byId: Map<string, StoredEvent> | undefined;
}

/** The length from which a stream finds its events by id through a Map. */
export const INDEX_FROM = 64;

export function newStream(): Stream {
  return { events: [], keys: [], byId: undefined };
}

/** The event of the stream with that id, if any. */
export function findEvent(stream: Stream, id: string): StoredEvent | undefined {
  const keys = stream.keys;
  if (keys === undefined) return (stream.byId as Map<string, StoredEvent>).get(id);
  const key = idKey(id);
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === key) {
      const event = stream.events[i] as StoredEvent;
      if (event.id === id) return event;
    }
  }
  return undefined;
}

/** Add an event at the end of the stream, findable by its id from now on. */
export function addEvent(stream: Stream, event: StoredEvent): void {
  // The usual case first and alone: this is inlined into every append.
  if (stream.events.push(event) < INDEX_FROM && stream.keys !== undefined) stream.keys.push(idKey(event.id));
  else addToMap(stream, event);
}

/** `addEvent` for a stream of `INDEX_FROM` events or more: its Map, made from its events the first time. */
function addToMap(stream: Stream, event: StoredEvent): void {
  if (stream.byId !== undefined) {
    stream.byId.set(event.id, event);
    return;
  }
  const byId = new Map<string, StoredEvent>();
  for (const stored of stream.events) byId.set(stored.id, stored);
  stream.byId = byId;
  stream.keys = undefined;
}

/**
 * A number telling most different ids of a stream apart without reading the stored ones: the
 * length and the last, second-last and middle characters (ids a system makes up differ at the
 * end, a counter or random text). Two ids with the same key are compared in full.
 */
export function idKey(id: string): number {
  const n = id.length;
  const second = n >= 2 ? id.charCodeAt(n - 2) : 0;
  // 32-bit integer arithmetic only (no overflow to a float before the shift), kept within a small
  // integer (30 bits) so the keys stay an array of small integers. '' (readByIds) gives NaN << 8 = 0.
  return ((((id.charCodeAt(n - 1) * 31 + second) * 31 + id.charCodeAt(n >> 1)) << 8) | (n & 0xff)) & 0x3fffffff;
}
