import { UsageError } from '../errors.js';
import type { EventStore, StoredEvent } from '../store/event-store.js';
import { toIso } from '../time/instant.js';

/**
 * Refuse a replay as of `until` when the store already holds an event later than it of a customer
 * the replay records: recording a customer reads and folds its whole stored stream, so such an
 * event would be evaluated and the snapshot "as of `until`" would depend on what was not knowable
 * then. Checked for every customer before anything is appended, so a refused replay writes nothing.
 * Names the customer and its earliest later event (by time, ties by version).
 */
export async function refuseStoredAfter(store: EventStore, customerIds: Iterable<string>, until: number): Promise<void> {
  for (const customerId of customerIds) {
    let later: StoredEvent | undefined;
    for (const event of await store.readStream(customerId)) {
      if (event.time > until && (later === undefined || event.time < later.time)) later = event;
    }
    if (later === undefined) continue;
    throw new UsageError(
      `replay: asOf ${toIso(until)} is earlier than a stored event of customer ${JSON.stringify(customerId)} (${later.id} at ${toIso(later.time)}): ` +
        "the store's events of a customer in the input are evaluated with it, and a replay cannot yet leave the later ones out; replay without asOf, or ask engine.asOf() of an engine over the store",
    );
  }
}
