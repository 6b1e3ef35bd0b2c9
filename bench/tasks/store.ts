import { getInMemoryEventStore } from '@event-driven-io/emmett';
import { InMemoryEventStore, type NewEvent } from '../../src/index.js';
import type { RawEvent } from '../plain-fold.js';
import { loadRaw, settle, type TaskResult } from './load.js';

/**
 * Figure 3: the in-memory stores, heed's and Emmett's, on the same journeys. Each event is
 * appended on its own (as a live system receives them), in arrival order, with an expected
 * version (optimistic concurrency, as both libraries recommend); then every stream is read back
 * and folded (a count, so the read is what is measured). Preparing the event objects is not timed.
 */

export interface StoreResult extends TaskResult {
  readonly appendMs: number;
  readonly readMs: number;
  readonly customers: number;
}

/**
 * The journeys as appendable events: plain literals, as a caller writes them (conditional spreads
 * would give slow dictionary objects). An event without id keeps the `id` key, undefined (the
 * store assigns one; '' is refused as the engine refuses it), so every object has one shape.
 */
function newEvents(raw: readonly RawEvent[]): NewEvent[] {
  return raw.map((e) => ({ id: e.id, customerId: e.customerId, type: e.type, at: e.at, time: Date.parse(e.at), data: e.data ?? {} }));
}

export async function heedStore(args: { file: string }): Promise<StoreResult> {
  const events = newEvents(loadRaw(args.file));
  const store = new InMemoryEventStore();
  const versions = new Map<string, number>();
  settle();
  const started = performance.now();
  for (const event of events) {
    const result = await store.append(event.customerId, [event], { expectedVersion: versions.get(event.customerId) ?? 0 });
    versions.set(event.customerId, result.streamVersion);
  }
  const appended = performance.now();
  let count = 0;
  for (const customerId of versions.keys()) count += (await store.readStream(customerId)).reduce((n) => n + 1, 0);
  const done = performance.now();
  if (count !== events.length) throw new Error(`read ${count} events back, appended ${events.length}`);
  return { events: events.length, ms: done - started, appendMs: appended - started, readMs: done - appended, customers: versions.size };
}

/**
 * The floor of figure 3: the same loop over the least an in-memory store does, each event kept as
 * a new record in its stream's array and a global log, the expected version compared, the new
 * version returned through a promise; no id index, no retries, no other checks. Emmett's time divided by this one is the highest ratio any
 * store can reach in this loop.
 */
export async function floorStore(args: { file: string }): Promise<StoreResult> {
  const events = newEvents(loadRaw(args.file));
  const streams = new Map<string, object[]>();
  const log: object[] = [];
  const append = (customerId: string, batch: readonly NewEvent[], options: { expectedVersion: number }): Promise<{ streamVersion: number }> => {
    let stream = streams.get(customerId);
    if (stream === undefined) streams.set(customerId, (stream = []));
    if (stream.length !== options.expectedVersion) return Promise.reject(new Error('version conflict'));
    for (const event of batch) {
      const record = { id: event.id, customerId, type: event.type, at: event.at, time: event.time, data: event.data, streamVersion: stream.length + 1, globalPosition: log.length + 1 };
      stream.push(record);
      log.push(record);
    }
    return Promise.resolve({ streamVersion: stream.length });
  };
  const versions = new Map<string, number>();
  settle();
  const started = performance.now();
  for (const event of events) {
    const result = await append(event.customerId, [event], { expectedVersion: versions.get(event.customerId) ?? 0 });
    versions.set(event.customerId, result.streamVersion);
  }
  const appended = performance.now();
  let count = 0;
  for (const customerId of versions.keys()) count += (streams.get(customerId) ?? []).slice().reduce((n) => n + 1, 0);
  const done = performance.now();
  if (count !== events.length) throw new Error(`read ${count} events back, appended ${events.length}`);
  return { events: events.length, ms: done - started, appendMs: appended - started, readMs: done - appended, customers: versions.size };
}

export async function emmettStore(args: { file: string }): Promise<StoreResult> {
  const raw = loadRaw(args.file);
  const events = raw.map((e) => ({ stream: e.customerId, event: { type: e.type, data: { ...e.data }, metadata: { id: e.id, at: e.at } } }));
  const store = getInMemoryEventStore();
  const versions = new Map<string, bigint>();
  settle();
  const started = performance.now();
  for (const { stream, event } of events) {
    const result = await store.appendToStream(stream, [event], { expectedStreamVersion: versions.get(stream) ?? 'STREAM_DOES_NOT_EXIST' });
    versions.set(stream, result.nextExpectedStreamVersion);
  }
  const appended = performance.now();
  let count = 0;
  for (const stream of versions.keys()) {
    count += (await store.aggregateStream(stream, { evolve: (n: number) => n + 1, initialState: () => 0 })).state;
  }
  const done = performance.now();
  if (count !== events.length) throw new Error(`read ${count} events back, appended ${events.length}`);
  return { events: events.length, ms: done - started, appendMs: appended - started, readMs: done - appended, customers: versions.size };
}
