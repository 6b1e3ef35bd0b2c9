import type { ValidationError } from '../errors.js';
import { lifecycleErrors } from '../events/check-lifecycle.js';
import type { ValidEvent } from '../events/event.js';
import { idConflict } from '../events/id-conflict.js';
import { assignedId } from '../store/assigned-id.js';
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
 * (the first kept, as the store would; a line bringing the id the store assigns to an earlier line
 * without id included), a reused id with another payload and every lifecycle violation passed to
 * `keep`. Returns how many identical retries were dropped.
 */
export function checkStream(stream: ValidEvent[], keep: (problems: readonly ValidationError[]) => void): number {
  const duplicates = dropRetries(stream, keep) + dropAssignedRetries(stream, keep);
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
        else keep([idConflict(event, undefined, { event: earlier, index: undefined })]);
        continue;
      }
      byId.set(event.id, event);
    }
    stream[kept++] = event;
  }
  stream.length = kept;
  return duplicates;
}

/**
 * Remove lines that bring, as their own, the id the store gives an earlier event without id; a
 * replay records each stream as one batch in input order into an empty store, which gives ids as
 * appending the events one at a time would: `<customerId>:<version>`, with a `~n` suffix when an
 * earlier event has it. So a later line with that id is a retry of it (identical: removed and
 * counted, as the store would skip it) or an id-conflict. Only a stream with both kinds of events,
 * and a given id of the assigned form, is looked at. Returns how many identical retries were removed.
 */
function dropAssignedRetries(stream: ValidEvent[], keep: (problems: readonly ValidationError[]) => void): number {
  const customerId = stream[0]?.customerId ?? '';
  const prefix = `${customerId}:`;
  let idless = false;
  let assignedForm = false;
  for (const event of stream) {
    if (event.id === undefined) idless = true;
    else if (event.id.startsWith(prefix)) assignedForm = true;
  }
  if (!idless || !assignedForm) return 0;

  const seen = new Map<string, ValidEvent>();
  const dropped = new Set<ValidEvent>();
  let version = 0;
  let duplicates = 0;
  for (const event of stream) {
    let id = event.id;
    if (id === undefined) {
      id = assignedId(customerId, version + 1, (candidate) => seen.has(candidate));
    } else {
      // Given ids repeat no more (dropRetries): an earlier event with this id had it assigned.
      const earlier = seen.get(id);
      if (earlier !== undefined) {
        if (samePayload(earlier, event)) duplicates++;
        else keep([idConflict(event, undefined, { event: earlier, index: undefined })]);
        dropped.add(event);
        continue;
      }
    }
    seen.set(id, event);
    version++;
  }
  if (dropped.size > 0) {
    let kept = 0;
    for (const event of stream) if (!dropped.has(event)) stream[kept++] = event;
    stream.length = kept;
  }
  return duplicates;
}

