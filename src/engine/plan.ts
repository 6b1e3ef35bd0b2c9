import { ValidationError } from '../errors.js';
import { violationError } from '../events/check-lifecycle.js';
import type { ValidEvent } from '../events/event.js';
import { Lifecycle } from '../events/lifecycle.js';
import type { EventStore, NewEvent } from '../store/event-store.js';
import { samePayload } from '../store/same-payload.js';
import type { Stream } from './stream.js';

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
}

/**
 * Separate idempotent retries from new events, then check the lifecycle rules with the new
 * events in their place in the stream. In order, the check continues from the stream's current
 * lifecycle; a backdated event is checked against the whole stream, because it can make a later,
 * already stored event invalid (resolving a matter before its stored resolution).
 */
export async function planStream(
  customerId: string,
  items: readonly { readonly event: ValidEvent; readonly index: number }[],
  stream: Stream | undefined,
  store: EventStore,
): Promise<StreamPlan> {
  const errors: ValidationError[] = [];
  const ids: string[] = [];
  for (const { event } of items) if (event.id !== undefined) ids.push(event.id);
  const stored = new Map((ids.length > 0 ? await store.readByIds(customerId, ids) : []).map((e) => [e.id, e]));
  const seen = new Map<string, ValidEvent>();
  const fresh: { event: ValidEvent; index: number }[] = [];
  let duplicates = 0;
  for (const item of items) {
    const { id } = item.event;
    if (id !== undefined) {
      const earlier = stored.get(id) ?? seen.get(id);
      if (earlier !== undefined) {
        if (samePayload(earlier, item.event)) duplicates++;
        else errors.push(idConflict(item.event, item.index));
        continue;
      }
      seen.set(id, item.event);
    }
    fresh.push(item);
  }

  // Live feeds and replays arrive sorted: check before paying for a copy and a sort.
  const sorted = isSortedByTime(fresh) ? fresh : [...fresh].sort((a, b) => a.event.time - b.event.time);
  const first = sorted[0]?.event.time ?? Number.POSITIVE_INFINITY;
  const inOrder = stream === undefined || first >= stream.lastEventTime;
  let lifecycle: Lifecycle;
  if (inOrder) {
    lifecycle = stream?.lifecycle.clone() ?? new Lifecycle();
    for (const { event, index } of sorted) {
      const violation = lifecycle.apply(event);
      if (violation !== undefined) errors.push(violationError(event, violation, index));
    }
  } else {
    lifecycle = new Lifecycle();
    const existing = (await store.readStream(customerId)).map((event) => ({ event: event as ValidEvent, index: -1, order: event.streamVersion }));
    const merged = [...existing, ...sorted.map((item, i) => ({ ...item, order: Number.MAX_SAFE_INTEGER - sorted.length + i }))].sort(
      (a, b) => a.event.time - b.event.time || a.order - b.order,
    );
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
              message: `this backdated event would make the stored ${item.event.type} "${item.event.id ?? ''}" at ${item.event.at} invalid: ${violation.message}`,
            },
            culprit.index,
          ),
        );
      }
    }
  }

  // A validated event already has the fields the store reads: no per-event copy.
  const toAppend: NewEvent[] = fresh.map(({ event }) => event);
  return { customerId, fresh: toAppend, duplicates, errors, inOrder, lifecycle };
}

function isSortedByTime(items: readonly { readonly event: ValidEvent }[]): boolean {
  for (let i = 1; i < items.length; i++) if ((items[i] as { event: ValidEvent }).event.time < (items[i - 1] as { event: ValidEvent }).event.time) return false;
  return true;
}

function idConflict(event: ValidEvent, index: number): ValidationError {
  return new ValidationError({
    ...(event.source !== undefined ? { file: event.source.file, line: event.source.line } : { index }),
    customerId: event.customerId,
    eventType: event.type,
    ...(event.id !== undefined ? { eventId: event.id } : {}),
    path: 'id',
    rule: 'id-conflict',
    message: `event id "${event.id ?? ''}" was already recorded with a different payload; a retry must be identical`,
  });
}
