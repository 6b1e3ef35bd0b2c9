import type { FindingChange } from './finding.js';
import { planStream, type PlannedRead, type StreamBatch, type StreamPlan } from './plan.js';
import type { Runtime } from './runtime.js';
import { readStoredStream, type StoredStream, type StreamHead } from './stored-stream.js';
import type { Stream } from './stream.js';

/**
 * Keeping what the engine holds of a stream in step with the store around a record (record.ts):
 * before a customer's part is planned, a stream known to be behind is reloaded (another writer
 * appended, or an append whose outcome was not acknowledged was written), and after an append
 * fails, whether it may have been written all the same.
 */

/**
 * Plan one customer's part of the batch (pushed to `plans`), bringing what the engine holds of the
 * stream in line with the store first where it knows it is behind: `reloaded.until` moves to the
 * latest event a reload folded (the clock moves to it, even if the store fails after). Throws what
 * the store throws.
 */
export async function planOne(
  rt: Runtime,
  batch: StreamBatch,
  read: ReadonlyMap<string, PlannedRead> | undefined,
  plans: StreamPlan[],
  changes: FindingChange[],
  reloaded: { until: number },
): Promise<void> {
  let stream = rt.streams.get(batch.customerId);
  // Held since (hydrate), a customer is no longer unsure.
  if (rt.unsure.size > 0 && rt.unsure.has(batch.customerId)) {
    if (stream === undefined) stream = await settle(rt, batch.customerId);
    else rt.unsure.delete(batch.customerId);
  }
  if (stream?.stale === true) reloaded.until = Math.max(reloaded.until, await reload(rt, stream, changes));
  // A customer this engine does not hold, whose stream the caller just read from the store and
  // planned its part on (replay's pre-pass): that plan is taken as it is, with no second look-up
  // of its ids, and the stream is loaded from the read once the store takes the append. Should
  // another writer have appended since, the store refuses the append at the read's version.
  const ahead = readFor(rt, read, batch.customerId);
  const known = storedFor(rt, read, batch.customerId);
  let plan = ahead?.plan ?? (await planStream(batch, stream, rt.store));
  // Refused by the rules on what this engine holds: if another writer appended since (a promise
  // made, a matter opened), the rules are the store's stream's, so the batch is planned again on
  // it. Asked only on this path: a valid batch finds a stale stream through its expected version,
  // and a retry of an event the engine never folded through that event's version (`behind`).
  if (plan.behind || (plan.errors.length > 0 && (await rt.store.streamVersion(batch.customerId)) !== ((stream ?? known)?.version ?? 0))) {
    stream ??= rt.stream(batch.customerId);
    stream.stale = true; // until the reload has read the store
    reloaded.until = Math.max(reloaded.until, await reload(rt, stream, changes));
    plan = await planStream(batch, stream, rt.store);
  }
  plans.push(plan);
}

/**
 * Evaluate a stream again from the store, which another writer appended to: its version and
 * lifecycle then match the store, so the batch is planned and appended against what is there. A
 * policy failing on the other writer's events fails the stream as any failure does; its version
 * and lifecycle are the store's all the same (`refold` sets them before folding).
 */
export async function reload(rt: Runtime, stream: Stream, changes: FindingChange[], read?: StoredStream): Promise<number> {
  // Read first: the store failing to answer throws, and the stream stays stale for the next record.
  const stored = read ?? (await readStoredStream(rt.store, stream.customerId));
  stream.stale = false;
  await rt.attempt(stream, () => rt.refold(stream, rt.now ?? Number.NEGATIVE_INFINITY, changes, stored));
  return stream.lastEventTime;
}

/** The caller's read of a customer's stream and plan on it, if it has one of a customer the engine does not hold yet. */
export function readFor(rt: Runtime, read: ReadonlyMap<string, PlannedRead> | undefined, customerId: string): PlannedRead | undefined {
  const known = read?.get(customerId);
  return known === undefined || rt.streams.has(customerId) ? undefined : known;
}

/** `readFor`'s stream, when it holds events: an empty one (a customer the store does not hold) is no different from none. */
export function storedFor(rt: Runtime, read: ReadonlyMap<string, PlannedRead> | undefined, customerId: string): StoredStream | undefined {
  const known = readFor(rt, read, customerId)?.stream;
  return known === undefined || known.version === 0 ? undefined : known;
}

/**
 * Whether an append that failed with something other than a version conflict may have been
 * written all the same: the store's stream is not at the version this engine holds. If the store
 * cannot say, a stream the engine holds is taken as moved (reloading costs a re-read); for a
 * customer it does not hold, the answer is unknown (undefined): listed on a guess, it could have
 * no events, so its next record asks the store first (`settle`).
 */
export async function storeMoved(rt: Runtime, customerId: string, stream: StreamHead | undefined): Promise<boolean | undefined> {
  return rt.store.streamVersion(customerId).then(
    (version) => version !== (stream?.version ?? 0),
    () => (stream === undefined ? undefined : true),
  );
}

/**
 * A customer whose append failed without the store saying whether it was written (`unsure`),
 * recorded again: the store is asked its version first and, if the failed append was written
 * after all, the engine takes the customer on, stale, to be reloaded before the batch is planned,
 * so the batch is appended after what was written rather than refused with a VersionConflictError
 * no other writer caused. The store failing to answer again throws, the customer still unsure.
 */
async function settle(rt: Runtime, customerId: string): Promise<Stream | undefined> {
  const version = await rt.store.streamVersion(customerId);
  rt.unsure.delete(customerId);
  if (version === 0) return undefined;
  const stream = rt.stream(customerId);
  stream.stale = true;
  return stream;
}
