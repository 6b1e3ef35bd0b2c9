import { EventIdConflictError } from '../../errors.js';
import { assignedIdLookedUp } from '../assigned-id.js';
import type { NewEvent } from '../event-store.js';
import { samePayload } from '../same-payload.js';
import type { SqlExecutor } from './sql-client.js';
import { asCurrent, type Upcasters } from './upcasters.js';

/**
 * Versions and ids of a chunk's events, in input order, as appending them one at a time would
 * give them: an event without id gets `<customerId>:<version>`, with a `~n` suffix when a stored
 * event or an earlier event of its stream in this chunk already has that id; an event whose id is
 * stored (`stored`, payload already compared) or was assigned to an earlier event of the chunk is
 * a retry, skipped and counted, or (another payload) a conflict that fails the chunk. Repeats of
 * a given id inside the chunk were settled before (importChunk). Returns the rows written (their
 * index `n`, version and id) and the number of retries.
 */
export async function settleIds(
  tx: SqlExecutor,
  s: string,
  upcasters: Upcasters,
  rows: readonly NewEvent[],
  versions: Map<string, number>,
  stored: ReadonlySet<string>,
): Promise<{ n: number[]; versions: number[]; ids: string[]; duplicates: number }> {
  // The plain ids events without id can get (a stream's next versions), looked up in one query.
  const counts = new Map<string, number>();
  for (const e of rows) counts.set(e.customerId, (counts.get(e.customerId) ?? 0) + 1);
  const candidates: [string[], string[]] = [[], []];
  for (const customerId of new Set(rows.flatMap((e) => (e.id === undefined ? [e.customerId] : [])))) {
    const from = versions.get(customerId) ?? 0;
    for (let v = from + 1; v <= from + (counts.get(customerId) as number); v++) {
      candidates[0].push(customerId);
      candidates[1].push(`${customerId}:${v}`);
    }
  }
  const taken = new Set<string>();
  if (candidates[0].length > 0) {
    const clashes = await tx.query<{ customer_id: string; event_id: string }>(
      `select e.customer_id, e.event_id from ${s}.events e join unnest($1::text[], $2::text[]) as u(c, id) on e.customer_id = u.c and e.event_id = u.id`,
      candidates,
    );
    for (const row of clashes) taken.add(`${row.customer_id}\u0000${row.event_id}`);
  }
  const isStored = async (customerId: string, id: string, plain: boolean): Promise<boolean> => {
    if (plain) return taken.has(`${customerId}\u0000${id}`);
    return (await tx.query(`select 1 from ${s}.events where customer_id = $1 and event_id = $2`, [customerId, id])).length > 0;
  };

  const out = { n: [] as number[], versions: [] as number[], ids: [] as string[], duplicates: stored.size };
  const earlier = new Map<string, NewEvent>(); // per customer and id: events of this chunk, given or assigned
  for (let i = 0; i < rows.length; i++) {
    const e = rows[i] as NewEvent;
    let id = e.id;
    if (id !== undefined) {
      if (stored.has(`${e.customerId}\u0000${id}`)) continue;
      const first = earlier.get(`${e.customerId}\u0000${id}`);
      if (first !== undefined) {
        if (!samePayload(asCurrent(upcasters, first), asCurrent(upcasters, e))) throw new EventIdConflictError(e.customerId, id, true);
        out.duplicates++;
        continue;
      }
    }
    const version = (versions.get(e.customerId) ?? 0) + 1;
    versions.set(e.customerId, version);
    id ??= await assignedIdLookedUp(e.customerId, version, (candidate, plain) => earlier.has(`${e.customerId}\u0000${candidate}`) || isStored(e.customerId, candidate, plain));
    earlier.set(`${e.customerId}\u0000${id}`, e);
    out.n.push(i);
    out.versions.push(version);
    out.ids.push(id);
  }
  return out;
}
