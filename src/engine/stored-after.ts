import { UsageError } from '../errors.js';
import { toIso } from '../time/instant.js';
import type { StoredStream } from './stored-stream.js';
import { quoteId } from '../quote-id.js';

/**
 * Refuse a replay as of `until` when the store already holds an event later than it of a customer
 * the replay records (`stored`, that customer's stream as the replay read it to plan its part):
 * recording a customer reads and folds its whole stored stream, so such an event would be
 * evaluated and the snapshot "as of `until`" would depend on what was not knowable then. Checked
 * for every customer before anything is appended, so a refused replay writes nothing. Names the
 * customer and its earliest later event (by time, ties by version); `path` `asOf`, `rule` `too-small`, the `customerId`.
 */
export function refuseStoredAfter(customerId: string, stored: StoredStream, until: number): void {
  // The events are by time, ties by version: the first later one is the earliest.
  const later = stored.events.find((event) => event.time > until);
  if (later === undefined) return;
  throw new UsageError(
    `replay: asOf ${toIso(until)} is earlier than a stored event of customer ${quoteId(customerId)} (${quoteId(later.id)} at ${toIso(later.time)}): ` +
      "the store's events of a customer in the input are evaluated with it, and a replay cannot yet leave the later ones out; replay without asOf, or ask engine.asOf() of an engine over the store",
    // `too-small`: asOf is under the least instant this customer's stored events allow.
    { path: 'asOf', rule: 'too-small', customerId },
  );
}
