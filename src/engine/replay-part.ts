import type { ValidEvent } from '../events/event.js';
import { assignedIdLookedUp } from '../store/assigned-id.js';
import type { EventStore, StoredEvent } from '../store/event-store.js';

/**
 * The part of one stream (its events in input order) that a replay as of `until` records: the
 * events not after it, those without an id given the id the store gives them when the whole
 * stream is appended (`<customerId>:<version>`, `assignedId`). Recording the part alone would
 * number it afresh: a line left out for being later, but earlier in the input, would shift the
 * numbers of the lines after it, and a finding's evidence would name other ids as of another
 * instant. Ids depend on the input only. Usually nothing is renumbered: a stream's lines after
 * `until` come after its lines without id.
 */
export async function partAsOf(store: EventStore, all: readonly ValidEvent[], until: number | undefined): Promise<readonly ValidEvent[]> {
  return (await partAsOfLookedUp(store, all, until)).part;
}

/**
 * `partAsOf`, and, when working the part out looked its ids up in the store, the stored events
 * found (`lookedUp`): every id of the part is then either one of theirs or none the store holds,
 * so planning the part (`planStream`) need not look them up again.
 */
export async function partAsOfLookedUp(
  store: EventStore,
  all: readonly ValidEvent[],
  until: number | undefined,
): Promise<{ part: readonly ValidEvent[]; lookedUp: readonly StoredEvent[] | undefined }> {
  if (until === undefined) return { part: all, lookedUp: undefined };
  const firstLater = all.findIndex((event) => event.time > until);
  if (firstLater < 0) return { part: all, lookedUp: undefined };
  const kept = (event: ValidEvent): boolean => event.time <= until;
  if (!all.some((event, i) => i > firstLater && event.id === undefined && kept(event))) return { part: all.filter(kept), lookedUp: undefined };

  // As the engine plans a batch (plan.ts): versions count from the stream's current one, an
  // identical retry (an id met before, in the stream or the store) takes none, and a plain id
  // already taken gets a `~n` suffix. Candidates are looked up in one query, with the given ids.
  const customerId = (all[0] as ValidEvent).customerId;
  const base = await store.streamVersion(customerId);
  const lookup = all.map((event, k) => event.id ?? `${customerId}:${base + k + 1}`);
  // Every id the part can get: the given ones, and each event's plain candidate (a suffixed one
  // is looked up on its own below, and is taken only if the store does not hold it).
  const found = await store.readByIds(customerId, lookup);
  const stored = new Set(found.map((event) => event.id));
  const seen = new Set<string>();
  const part: ValidEvent[] = [];
  let version = base;
  for (const event of all) {
    let id = event.id;
    if (id === undefined) {
      id = await assignedIdLookedUp(customerId, version + 1, async (candidate, plain) => seen.has(candidate) || stored.has(candidate) || (!plain && (await store.readByIds(customerId, [candidate])).length > 0));
    } else if (seen.has(id) || stored.has(id)) {
      // A retry (or a conflict, which the record refuses): it takes no version.
      if (kept(event)) part.push(event);
      continue;
    }
    seen.add(id);
    version++;
    if (kept(event)) part.push(event.id === undefined ? { ...event, id } : event);
  }
  return { part, lookedUp: found };
}
