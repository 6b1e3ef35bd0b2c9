import { Lifecycle } from '../events/lifecycle.js';
import type { EventStore, StoredEvent } from '../store/event-store.js';

/** What planning a batch (plan.ts) reads of a stream: a `Stream` the engine holds, or one read from the store. */
export interface StreamHead {
  /** Stream version in the store. */
  readonly version: number;
  /** The lifecycle rules' state after the stream's events. */
  readonly lifecycle: Lifecycle;
  /** The latest event's time: a new event before it is backdated. */
  readonly lastEventTime: number;
}

/** A customer's stream as read from the store, and the head the rules continue from. */
export interface StoredStream extends StreamHead {
  /** In the order the engine folds them: by time, ties by stream version. */
  readonly events: readonly StoredEvent[];
}

/**
 * Read a customer's stream from the store as the engine loads one it does not hold, or holds
 * behind the store (`Runtime.refold`): the events in fold order, the lifecycle they leave, the
 * stream's version. A replay plans a customer the store holds events of on it (replay.ts) before
 * the engine reads that customer. Empty, at version 0, for a stream the store does not hold.
 */
export async function readStoredStream(store: EventStore, customerId: string): Promise<StoredStream> {
  const events = (await store.readStream(customerId)).sort(byTimeThenVersion);
  const lifecycle = new Lifecycle();
  for (const event of events) lifecycle.apply(event);
  const version = events.reduce((max, e) => Math.max(max, e.streamVersion), 0);
  return { events, lifecycle, version, lastEventTime: events.at(-1)?.time ?? Number.NEGATIVE_INFINITY };
}

export function byTimeThenVersion(a: StoredEvent, b: StoredEvent): number {
  return a.time - b.time || a.streamVersion - b.streamVersion;
}
