import { ValidationError } from '../errors.js';
import { lifecycleErrors } from '../events/check-lifecycle.js';
import type { ValidEvent } from '../events/event.js';
import { samePayload } from '../store/same-payload.js';

/** Events grouped per customer, customers in order of first appearance, each stream in input order. */
export function groupByCustomer(events: readonly ValidEvent[]): Map<string, ValidEvent[]> {
  const streams = new Map<string, ValidEvent[]>();
  for (const event of events) {
    let stream = streams.get(event.customerId);
    if (stream === undefined) streams.set(event.customerId, (stream = []));
    stream.push(event);
  }
  return streams;
}

/**
 * The checks that need a whole stream, once every line is read: identical retries dropped in place
 * (the first kept, as the store would), a reused id with another payload and every lifecycle
 * violation passed to `keep`. Returns how many identical retries were dropped.
 */
export function checkStream(stream: ValidEvent[], keep: (problems: readonly ValidationError[]) => void): number {
  const duplicates = dropRetries(stream, keep);
  const lifecycle = lifecycleErrors(stream);
  if (lifecycle.length > 0) keep(lifecycle);
  return duplicates;
}

/**
 * Remove retried lines from one stream in place, keeping the first: identical (same id, same
 * payload) is a retry the store would skip too; a different payload under a used id is a
 * problem. Returns how many identical retries were removed.
 */
function dropRetries(stream: ValidEvent[], keep: (problems: readonly ValidationError[]) => void): number {
  let byId: Map<string, ValidEvent> | undefined;
  let kept = 0;
  let duplicates = 0;
  for (const event of stream) {
    if (event.id !== undefined) {
      const earlier = (byId ??= new Map()).get(event.id);
      if (earlier !== undefined) {
        if (samePayload(earlier, event)) duplicates++;
        else keep([idConflict(event, earlier)]);
        continue;
      }
      byId.set(event.id, event);
    }
    stream[kept++] = event;
  }
  stream.length = kept;
  return duplicates;
}

function idConflict(event: ValidEvent, earlier: ValidEvent): ValidationError {
  const first = earlier.source === undefined ? '' : ` at ${earlier.source.file}:${earlier.source.line}`;
  return new ValidationError({
    ...(event.source !== undefined ? { file: event.source.file, line: event.source.line } : {}),
    customerId: event.customerId,
    eventType: event.type,
    ...(event.id !== undefined ? { eventId: event.id } : {}),
    path: 'id',
    rule: 'id-conflict',
    message: `event id "${event.id ?? ''}" was already used${first} with a different payload; a retry must be identical`,
  });
}
