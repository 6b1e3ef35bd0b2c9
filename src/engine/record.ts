import { InvalidInputError, VersionConflictError, type ValidationError } from '../errors.js';
import type { ValidEvent } from '../events/event.js';
import type { EventRegistry } from '../events/registry.js';
import type { Lifecycle } from '../events/lifecycle.js';
import { VALIDATED, type ValidatedAppendOptions } from '../store/event-input.js';
import type { StoredEvent } from '../store/event-store.js';
import type { Calendar } from '../time/calendar.js';
import { compareStrings, type FindingChange } from './finding.js';
import { planOne, reload, storedFor, storeMoved } from './catch-up.js';
import type { PlannedRead, StreamBatch, StreamPlan } from './plan.js';
import type { Runtime } from './runtime.js';
import { byTimeThenVersion } from './stored-stream.js';
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
  read?: ReadonlyMap<string, PlannedRead>,
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
    const known = storedFor(rt, read, plan.customerId);
    try {
      // Validated: the registry refused what the store would and parsed the payloads (stored-form.ts), so it need not read them again.
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

/** In `at` order (ties: stream version); a batch that already is (the usual case) is not copied. */
function sortedByTime(events: readonly StoredEvent[]): StoredEvent[] {
  for (let i = 1; i < events.length; i++) {
    if (byTimeThenVersion(events[i - 1] as StoredEvent, events[i] as StoredEvent) > 0) return [...events].sort(byTimeThenVersion);
  }
  return events as StoredEvent[];
}

/** Problems in input order: by file and line, else by position in the input. */
export function byLocation(a: ValidationError, b: ValidationError): number {
  return compareStrings(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.index ?? 0) - (b.index ?? 0);
}
