import type { ValidEvent } from '../events/event.js';
import { assignedIdLookedUp } from '../store/assigned-id.js';
import type { EventStore } from '../store/event-store.js';
import type { StoredStream } from './stored-stream.js';

/**
 * The part of one stream (its events in input order) that a replay as of `until` records: the
 * events not after it, those without an id given the id the store gives them when the whole
 * stream is appended (`<customerId>:<version>`, `assignedId`). Recording the part alone would
 * number it afresh: a line left out for being later, but earlier in the input, would shift the
 * numbers of the lines after it, and a finding's evidence would name other ids as of another
 * instant. Ids depend on the input only. Usually nothing is renumbered: a stream's lines after
 * `until` come after its lines without id. The ids the store holds are looked up: the plain
 * candidates with the given ids in one query, a suffixed one (rare) on its own.
 */
export async function partAsOf(store: EventStore, all: readonly ValidEvent[], until: number | undefined): Promise<readonly ValidEvent[]> {
  const renumber = renumbered(all, until);
  if (renumber === undefined) return kept(all, until);
  const customerId = (all[0] as ValidEvent).customerId;
  const base = await store.streamVersion(customerId);
  // Every id the part can get: the given ones, and each event's plain candidate.
  const lookup = all.map((event, k) => event.id ?? `${customerId}:${base + k + 1}`);
  const held = new Set((await store.readByIds(customerId, lookup)).map((event) => event.id));
  return numbered(all, renumber, base, async (id, plain) => held.has(id) || (!plain && (await store.readByIds(customerId, [id])).length > 0));
}

/**
 * `partAsOf` worked out on the customer's whole stream as the caller has just read it from the
 * store (replay's pre-pass, `readStoredStream`): every id the store holds of the customer is one of
 * its events', so none is looked up.
 */
export async function partAsOfRead(all: readonly ValidEvent[], until: number | undefined, stream: StoredStream): Promise<readonly ValidEvent[]> {
  const renumber = renumbered(all, until);
  if (renumber === undefined) return kept(all, until);
  const held = new Set(stream.events.map((event) => event.id));
  return numbered(all, renumber, stream.version, (id) => held.has(id));
}

/** `until`'s test of an event, when the part must be numbered as in the whole input; undefined when it need not be. */
function renumbered(all: readonly ValidEvent[], until: number | undefined): ((event: ValidEvent) => boolean) | undefined {
  if (until === undefined) return undefined;
  const firstLater = all.findIndex((event) => event.time > until);
  if (firstLater < 0) return undefined;
  const keep = (event: ValidEvent): boolean => event.time <= until;
  return all.some((event, i) => i > firstLater && event.id === undefined && keep(event)) ? keep : undefined;
}

function kept(all: readonly ValidEvent[], until: number | undefined): readonly ValidEvent[] {
  return until === undefined ? all : all.filter((event) => event.time <= until);
}

/**
 * As the engine plans a batch (plan.ts): versions count from the stream's current one (`base`),
 * an identical retry (an id met before, in the stream or the store) takes none, and a plain id
 * already taken gets a `~n` suffix. `held(id, plain)`: whether the store holds `id`.
 */
async function numbered(
  all: readonly ValidEvent[],
  keep: (event: ValidEvent) => boolean,
  base: number,
  held: (id: string, plain: boolean) => boolean | Promise<boolean>,
): Promise<readonly ValidEvent[]> {
  const customerId = (all[0] as ValidEvent).customerId;
  const seen = new Set<string>();
  const part: ValidEvent[] = [];
  let version = base;
  for (const event of all) {
    let id = event.id;
    if (id === undefined) {
      id = await assignedIdLookedUp(customerId, version + 1, (candidate, plain) => seen.has(candidate) || held(candidate, plain));
    } else if (seen.has(id) || (await held(id, true))) {
      // A retry (or a conflict, which the record refuses): it takes no version.
      if (keep(event)) part.push(event);
      continue;
    }
    seen.add(id);
    version++;
    if (keep(event)) part.push(event.id === undefined ? { ...event, id } : event);
  }
  return part;
}
