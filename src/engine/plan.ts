import type { ValidationError } from '../errors.js';
import { violationError } from '../events/check-lifecycle.js';
import type { ValidEvent } from '../events/event.js';
import { idConflict } from '../events/id-conflict.js';
import { Lifecycle } from '../events/lifecycle.js';
import { assignedIdLookedUp } from '../store/assigned-id.js';
import type { EventStore, NewEvent, StoredEvent } from '../store/event-store.js';
import { samePayload } from '../store/same-payload.js';
import type { StoredStream, StreamHead } from './stored-stream.js';
import { quoteId } from '../quote-id.js';

/** One customer's part of a batch: its events in batch order, and their positions in the batch. */
export interface StreamBatch {
  readonly customerId: string;
  readonly events: readonly ValidEvent[];
  /** Position in the batch of each event; absent when the batch is this customer's alone (position = index). */
  readonly positions: readonly number[] | undefined;
}

/** What a batch will do to one stream, decided before anything is written. */
export interface StreamPlan {
  readonly customerId: string;
  /** Events to append, in the order given. */
  readonly fresh: readonly NewEvent[];
  /** Idempotent retries skipped. */
  readonly duplicates: number;
  readonly errors: readonly ValidationError[];
  /** True when no new event is earlier than the stream's latest event (no re-evaluation needed). */
  readonly inOrder: boolean;
  /** The stream's lifecycle once the batch is applied. */
  readonly lifecycle: Lifecycle;
  /**
   * Some new event has neither id nor source: `lifecycle` locates it by its `at`, as it has no id
   * until the store gives it one (record.ts then names it by that id, as a re-read stream does).
   */
  readonly unnamed: boolean;
  /**
   * A retry brought an event the store holds at a version above the stream's as planned on: the
   * engine never folded it (another writer appended it, or an append whose acknowledgement was
   * lost wrote it), so the stream is behind the store and is to be reloaded (record.ts).
   */
  readonly behind: boolean;
}

/**
 * A customer's stream as the caller has just read it from the store (`readStoredStream`), and the
 * customer's part of the batch planned on that read (`planStream`, with the read's events), with
 * no problem: replay's pre-pass makes both, and the record goes on from them rather than reading
 * the stream and looking its ids up again. The plan is of exactly the events then recorded.
 */
export interface PlannedRead {
  readonly stream: StoredStream;
  readonly plan: StreamPlan;
}

/**
 * Separate idempotent retries from new events (as appending the batch's events one at a time
 * would: an id the store assigns to an earlier event of the batch, brought again by a later one,
 * is a retry or a conflict too), then check the lifecycle rules with the new events in their
 * place in the stream. In order, the check continues from the stream's current
 * lifecycle; a backdated event is checked against the whole stream, because it can make a later,
 * already stored event invalid (resolving a matter before its stored resolution). `storedEvents`:
 * the whole stream, when the caller has just read it (replay's pre-pass, `readStoredStream`): the
 * batch's ids are then looked for among its events, and a backdated event checked against them,
 * rather than the store asked again (`readByIds`, `readStream`).
 *
 * The usual batch (new ids, sorted by time) is planned without a per-event object: the events are
 * appended as given, and the maps that find retries are built only when there is something to find.
 */
export async function planStream(
  batch: StreamBatch,
  stream: StreamHead | undefined,
  store: EventStore,
  storedEvents?: readonly StoredEvent[],
): Promise<StreamPlan> {
  const { customerId, events, positions } = batch;
  const at = (i: number): number => (positions === undefined ? i : (positions[i] as number));
  const errors: ValidationError[] = [];

  // The given ids, and whether one has the form the store assigns (`<customerId>:…`) and comes
  // after an event without id: only then can a given id be one the store will assign earlier in
  // this batch, so only then are those ids worked out here (as the store gives them, avoiding
  // stored ids and ids of earlier events), and a later event bringing one is a retry or a
  // conflict, as it would be appended one at a time.
  const prefix = `${customerId}:`;
  const ids: string[] = [];
  let idless = false;
  let unnamed = false;
  let assigning = false;
  for (const event of events) {
    if (event.id === undefined) {
      idless = true;
      if (event.source === undefined) unnamed = true;
    } else {
      ids.push(event.id);
      if (idless && event.id.startsWith(prefix)) assigning = true;
    }
  }
  const current = stream?.version ?? 0;
  // When assigning, the plain ids the batch's events can get are looked up with the given ones;
  // in the whole stream when the caller read it (every id the store holds of the customer).
  const lookup = assigning ? ids.concat(events.map((_, k) => `${prefix}${current + k + 1}`)) : ids;
  const found = lookup.length === 0 ? [] : (storedEvents ?? (await store.readByIds(customerId, lookup)));
  const stored = found.length > 0 ? new Map(found.map((e): [string, StoredEvent] => [e.id, e])) : undefined;
  // Ids met earlier in this batch, with the index of their event: given (only a batch of several
  // events with ids can repeat one) or, when assigning, assigned to an event without id.
  const seen = ids.length > 1 || assigning ? new Map<string, number>() : undefined;
  // Batch indices of the events to append; undefined while that is every event.
  let keep: number[] | undefined;
  let duplicates = 0;
  let behind = false;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as ValidEvent;
    const { id } = event;
    if (id === undefined) {
      if (assigning && seen !== undefined) {
        const version = current + (keep === undefined ? i : keep.length) + 1;
        seen.set(await plannedId(store, customerId, version, stored, seen, storedEvents !== undefined), i);
      }
      keep?.push(i);
      continue;
    }
    const inStore = stored?.get(id);
    const first = inStore === undefined ? seen?.get(id) : undefined;
    if (inStore !== undefined && inStore.streamVersion > current) behind = true;
    if (inStore !== undefined || first !== undefined) {
      const earlier = inStore ?? (events[first as number] as ValidEvent);
      if (samePayload(earlier, event)) duplicates++;
      else errors.push(idConflict(event, at(i), first === undefined ? undefined : { event: earlier as ValidEvent, index: at(first) }));
      keep ??= Array.from({ length: i }, (_, j) => j);
      continue;
    }
    seen?.set(id, i);
    keep?.push(i);
  }
  const fresh = keep === undefined ? events : keep.map((i) => events[i] as ValidEvent);
  const freshAt = (k: number): number => at(keep === undefined ? k : (keep[k] as number));

  // Live feeds and replays arrive sorted: check before paying for an order and a sort.
  const order = sortedOrder(fresh);
  const first = fresh.length === 0 ? Number.POSITIVE_INFINITY : (fresh[order === undefined ? 0 : (order[0] as number)] as ValidEvent).time;
  const inOrder = stream === undefined || first >= stream.lastEventTime;
  let lifecycle: Lifecycle;
  if (inOrder) {
    lifecycle = stream?.lifecycle.clone() ?? new Lifecycle();
    for (let n = 0; n < fresh.length; n++) {
      const k = order === undefined ? n : (order[n] as number);
      const event = fresh[k] as ValidEvent;
      const violation = lifecycle.apply(event);
      if (violation !== undefined) errors.push(violationError(event, violation, freshAt(k)));
    }
  } else {
    lifecycle = new Lifecycle();
    const sorted = (order ?? fresh.map((_, k) => k)).map((k) => ({ event: fresh[k] as ValidEvent, index: freshAt(k) }));
    checkBackdated(lifecycle, storedEvents ?? (await store.readStream(customerId)), sorted, errors);
  }

  // A validated event already has the fields the store reads: no per-event copy.
  return { customerId, fresh, duplicates, errors, inOrder, lifecycle, unnamed, behind };
}

/** The whole stream with the new events in their place: a violation of a stored event is blamed on the new event before it. */
function checkBackdated(
  lifecycle: Lifecycle,
  existing: readonly StoredEvent[],
  sorted: readonly { readonly event: ValidEvent; readonly index: number }[],
  errors: ValidationError[],
): void {
  const merged = [
    ...existing.map((event) => ({ event: event as ValidEvent, index: -1, order: event.streamVersion })),
    ...sorted.map((item, i) => ({ ...item, order: Number.MAX_SAFE_INTEGER - sorted.length + i })),
  ].sort((a, b) => a.event.time - b.event.time || a.order - b.order);
  let lastFresh: { event: ValidEvent; index: number } | undefined;
  for (const item of merged) {
    const violation = lifecycle.apply(item.event);
    if (item.index >= 0) lastFresh = item;
    if (violation === undefined) continue;
    if (item.index >= 0) errors.push(violationError(item.event, violation, item.index));
    else {
      const culprit = lastFresh ?? sorted[0];
      if (culprit === undefined) continue;
      errors.push(
        violationError(
          culprit.event,
          {
            path: '',
            rule: violation.rule,
            message: `this backdated event would make the stored ${item.event.type} ${quoteId(item.event.id ?? '')} at ${item.event.at} invalid: ${violation.message}`,
          },
          culprit.index,
        ),
      );
    }
  }
}

/** Indices of `events` in time order (stable), or undefined when they already are in time order. */
function sortedOrder(events: readonly ValidEvent[]): number[] | undefined {
  for (let i = 1; i < events.length; i++) {
    if ((events[i] as ValidEvent).time < (events[i - 1] as ValidEvent).time) {
      return events.map((_, k) => k).sort((a, b) => (events[a] as ValidEvent).time - (events[b] as ValidEvent).time);
    }
  }
  return undefined;
}

/**
 * The id the store will give an event without id at stream version `version` (`assignedId`):
 * `<customerId>:<version>`, with a `~n` suffix when a stored event (`stored` holds every plain id
 * the batch can need, and every id when `whole`, the stream read; else suffixed ones are looked up)
 * or an earlier event of the batch (`seen`) has it.
 */
function plannedId(
  store: EventStore,
  customerId: string,
  version: number,
  stored: ReadonlyMap<string, StoredEvent> | undefined,
  seen: ReadonlyMap<string, number>,
  whole: boolean,
): Promise<string> {
  return assignedIdLookedUp(customerId, version, async (id, plain) => seen.has(id) || stored?.has(id) === true || (!plain && !whole && (await store.readByIds(customerId, [id])).length > 0));
}

