import { InvalidInputError, VersionConflictError, type ValidationError } from '../errors.js';
import type { ValidEvent } from '../events/event.js';
import type { EventRegistry } from '../events/registry.js';
import type { Lifecycle } from '../events/lifecycle.js';
import { VALIDATED, type ValidatedAppendOptions } from '../store/event-input.js';
import type { StoredEvent } from '../store/event-store.js';
import type { Calendar } from '../time/calendar.js';
import { compareStrings, type FindingChange } from './finding.js';
import { planStream, type StreamBatch, type StreamPlan } from './plan.js';
import type { Runtime } from './runtime.js';
import { byTimeThenVersion, readStoredStream, type StoredStream, type StreamHead } from './stored-stream.js';
import type { Stream } from './stream.js';

export interface RecordResult {
  /** Events written to the store by this call. */
  readonly appended: number;
  /** Events skipped as idempotent retries (same id, same payload). */
  readonly duplicates: number;
  /** How findings changed, in the order they were emitted. */
  readonly changes: readonly FindingChange[];
}

/** Schema-validate raw inputs: the valid events, and every problem of the others. */
export function validateInputs(registry: EventRegistry, calendar: Calendar, inputs: readonly unknown[]): { valid: ValidEvent[]; errors: ValidationError[] } {
  const errors: ValidationError[] = [];
  const valid: ValidEvent[] = [];
  inputs.forEach((raw, index) => {
    const result = registry.validate(raw, calendar, { index });
    if (result.ok) valid.push(result.event);
    else errors.push(...result.errors);
  });
  return { valid, errors };
}

/**
 * The record path for schema-valid events: plan each customer's part of the batch (retries,
 * lifecycle rules), throw every problem before anything is written, append per stream, fold what
 * was written, and move the clock to the batch's latest event. `errors` holds the schema problems
 * found earlier; `count` is the batch's size as the caller gave it (for the error's wording).
 */
export async function recordValid(
  rt: Runtime,
  events: readonly ValidEvent[],
  errors: ValidationError[],
  count: number,
  read?: ReadonlyMap<string, StoredStream>,
): Promise<RecordResult> {
  const plans: StreamPlan[] = [];
  const changes: FindingChange[] = [];
  // The clock moves to the latest event of the streams this call writes, or reloads from the store.
  const reloaded = { until: rt.now ?? Number.NEGATIVE_INFINITY };
  // The store failing as the batch is planned (a stream to reload, a version, retries looked up).
  let unanswered: { error: unknown } | undefined;
  for (const batch of byCustomer(events)) {
    try {
      await planOne(rt, batch, read, plans, changes, reloaded);
    } catch (error) {
      unanswered = { error };
      break;
    }
  }
  let until = reloaded.until;
  for (const plan of plans) if (plan.errors.length > 0) errors.push(...plan.errors);
  if (errors.length > 0 || unanswered !== undefined) {
    // What reloading a stream folded is true whatever becomes of the batch: the clock moves to its
    // events (a wake-up failing on the way fails its customer, reads throw it), and its changes are
    // emitted. Nothing of the batch is written: the store's failure is thrown as it is (a retry
    // reloads what it could not read), else every problem found.
    if (until > (rt.now ?? Number.NEGATIVE_INFINITY)) await moveClock(rt, until, changes);
    rt.emit(changes);
    if (unanswered !== undefined) throw unanswered.error;
    throw new InvalidInputError(errors.sort(byLocation), count === 1 ? 'the event' : 'the batch');
  }

  let appended = 0;
  let duplicates = 0;
  let failure: unknown;
  // `onTop`: the events can be folded on top of the stream's state (decided before the append moves its head).
  const written: { stream: Stream; onTop: boolean; events: StoredEvent[] }[] = [];
  for (const plan of plans) {
    duplicates += plan.duplicates;
    if (plan.fresh.length === 0) continue;
    const stream = rt.streams.get(plan.customerId);
    // Planned on the caller's read of the stream if the engine still does not hold it (a reload
    // above, for a batch refused on the read, would have made it).
    const known = readFor(rt, read, plan.customerId);
    try {
      // Validated: the registry refused what the store would (event-input.ts), so it need not walk the payloads again.
      const options: ValidatedAppendOptions = { expectedVersion: (stream ?? known)?.version ?? 0, [VALIDATED]: true };
      const result = await rt.store.append(plan.customerId, plan.fresh, options);
      const events = sortedByTime(result.appended);
      const target = stream ?? rt.stream(plan.customerId);
      // The store took the append at the read's version, so the read is the stream before it:
      // evaluated from it as a reload would from the store (its changes first, the clock to its
      // events), with no second read. Refused, the append left the read unused: the stream is
      // marked stale below and the next record reads the store.
      if (known !== undefined) until = Math.max(until, await reload(rt, target, changes, known));
      const onTop = plan.inOrder && target.acceptsInOrder(events[0]?.time ?? Number.POSITIVE_INFINITY);
      // What the store now holds of the stream, set together, whatever becomes of evaluating it (a
      // policy failing, the store failing a re-read): the next batch is planned on it (plan.ts).
      target.version = result.streamVersion;
      target.lifecycle = plan.inOrder && plan.unnamed ? lifecycleWithIds(target.lifecycle, events) : plan.lifecycle;
      const last = events.at(-1);
      if (last !== undefined && last.time > target.lastEventTime) target.lastEventTime = last.time;
      appended += result.appended.length;
      written.push({ stream: target, onTop, events });
    } catch (error) {
      failure = error; // streams appended before the failure are still folded, then it is rethrown
      // What this engine holds of the stream is behind the store: another writer appended first,
      // or the append was written though the store failed to say so (a connection lost before the
      // commit was acknowledged). The next record of this customer reloads it (`reload`) instead
      // of failing on its version; a customer the engine does not hold, when the store cannot say
      // either, is asked after first (`settle`).
      const moved = error instanceof VersionConflictError || (await storeMoved(rt, plan.customerId, stream ?? known));
      if (moved === true) (stream ?? rt.stream(plan.customerId)).stale = true;
      else if (moved === undefined) rt.unsure.add(plan.customerId);
      break;
    }
  }

  for (const { events } of written) until = Math.max(until, events.at(-1)?.time ?? until);
  for (const { stream, onTop, events } of written) {
    // Every written stream is folded, even after another one failed: a stream left unfolded would
    // hold events its state never saw, and its later findings would silently miss them.
    const error = await rt.attempt(stream, async () => {
      if (onTop) rt.foldOn(stream, events, until, changes);
      else await rt.refold(stream, until, changes);
    });
    failure ??= error; // evaluated first: `??=` would skip the attempt once a failure is held
    // A failed stream is not scheduled (as in `advance`): its next event evaluates it again. Woken
    // now, it would be re-read from the store at once, to fail again or, with a store that keeps no
    // events (heed replay), to fail on the re-read and hide which policy failed.
    if (error === undefined) rt.schedule(stream);
  }
  // Another customer's wake-up failing as the clock moves does not keep this batch's changes from
  // its listeners (as advanceTo emits what it did before rejecting); the batch's own failure, met
  // first, is the one thrown.
  if (written.length > 0 || until > (rt.now ?? Number.NEGATIVE_INFINITY)) {
    const error = await moveClock(rt, until, changes);
    failure ??= error; // evaluated first: `??=` would skip moving the clock once a failure is held
  }
  rt.emit(changes);
  if (failure !== undefined) throw failure;
  return { appended, duplicates, changes };
}

/**
 * Plan one customer's part of the batch (pushed to `plans`), bringing what the engine holds of the
 * stream in line with the store first where it knows it is behind: `reloaded.until` moves to the
 * latest event a reload folded (the clock moves to it, even if the store fails after). Throws what
 * the store throws.
 */
async function planOne(
  rt: Runtime,
  batch: StreamBatch,
  read: ReadonlyMap<string, StoredStream> | undefined,
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
  // A customer this engine does not hold, whose stream the caller just read from the store
  // (replay's pre-pass): planned on that read, loaded from it once the store takes the append.
  const known = readFor(rt, read, batch.customerId);
  let plan = await planStream(batch, stream ?? known, rt.store, known?.events);
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

/** Move the clock to `until`, firing the wake-ups due: what a wake-up's failure threw, if one did. */
async function moveClock(rt: Runtime, until: number, changes: FindingChange[]): Promise<unknown> {
  rt.now = until;
  try {
    await rt.advance(until, changes);
    return undefined;
  } catch (error) {
    return error;
  }
}

/**
 * Evaluate a stream again from the store, which another writer appended to: its version and
 * lifecycle then match the store, so the batch is planned and appended against what is there. A
 * policy failing on the other writer's events fails the stream as any failure does; its version
 * and lifecycle are the store's all the same (`refold` sets them before folding).
 */
async function reload(rt: Runtime, stream: Stream, changes: FindingChange[], read?: StoredStream): Promise<number> {
  // Read first: the store failing to answer throws, and the stream stays stale for the next record.
  const stored = read ?? (await readStoredStream(rt.store, stream.customerId));
  stream.stale = false;
  await rt.attempt(stream, () => rt.refold(stream, rt.now ?? Number.NEGATIVE_INFINITY, changes, stored));
  return stream.lastEventTime;
}

/** The caller's read of a customer's stream, if it has one the engine does not hold yet (an empty one is no different from none). */
function readFor(rt: Runtime, read: ReadonlyMap<string, StoredStream> | undefined, customerId: string): StoredStream | undefined {
  const known = read?.get(customerId);
  return known === undefined || known.version === 0 || rt.streams.has(customerId) ? undefined : known;
}

/**
 * Whether an append that failed with something other than a version conflict may have been
 * written all the same: the store's stream is not at the version this engine holds. If the store
 * cannot say, a stream the engine holds is taken as moved (reloading costs a re-read); for a
 * customer it does not hold, the answer is unknown (undefined): listed on a guess, it could have
 * no events, so its next record asks the store first (`settle`).
 */
async function storeMoved(rt: Runtime, customerId: string, stream: StreamHead | undefined): Promise<boolean | undefined> {
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

/**
 * The batch per customer, customers in order of first appearance. A batch of one customer's
 * events (what replays and live feeds send) is used as it is; others are split into per-customer
 * arrays of events and of their positions, without an object per event.
 */
function byCustomer(events: readonly ValidEvent[]): Iterable<StreamBatch> {
  const first = events[0];
  if (first === undefined) return [];
  let single = true;
  for (let i = 1; i < events.length && single; i++) single = (events[i] as ValidEvent).customerId === first.customerId;
  if (single) return [{ customerId: first.customerId, events, positions: undefined }];
  const batches = new Map<string, { customerId: string; events: ValidEvent[]; positions: number[] }>();
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as ValidEvent;
    let batch = batches.get(event.customerId);
    if (batch === undefined) batches.set(event.customerId, (batch = { customerId: event.customerId, events: [], positions: [] }));
    batch.events.push(event);
    batch.positions.push(i);
  }
  return batches.values();
}

/** In `at` order (ties: stream version); a batch that already is (the usual case) is not copied. */
/**
 * The stream's lifecycle after `appended` (sorted by time, then version), applied to the one before
 * the batch as the plan applied the batch: the same states, but the events the store gave an id
 * are located by it, as when the stream is read back (a backdated event, a reload), rather than by
 * their `at`. Only for a batch with an event of neither id nor source (never the CLI's lines).
 */
function lifecycleWithIds(before: Lifecycle, appended: readonly StoredEvent[]): Lifecycle {
  const lifecycle = before.clone();
  for (const event of appended) lifecycle.apply(event);
  return lifecycle;
}

function sortedByTime(events: readonly StoredEvent[]): StoredEvent[] {
  for (let i = 1; i < events.length; i++) {
    if (byTimeThenVersion(events[i - 1] as StoredEvent, events[i] as StoredEvent) > 0) return [...events].sort(byTimeThenVersion);
  }
  return events as StoredEvent[];
}

/** Errors in input order: file and line when known, else position in the batch. */
/** Problems in input order: by file and line, else by position in the input. */
export function byLocation(a: ValidationError, b: ValidationError): number {
  return compareStrings(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.index ?? 0) - (b.index ?? 0);
}
