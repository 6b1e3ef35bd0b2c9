import { EventIdConflictError } from '../../errors.js';
import type { AppendResult, ExpectedVersion, NewEvent, StoredEvent } from '../event-store.js';
import { assignedIdLookedUp } from '../assigned-id.js';
import { assertExpectedVersion } from '../expected-version.js';
import { samePayload } from '../same-payload.js';
import { eventArrays } from './append-statement.js';
import { noticePayload } from './event-notices.js';
import { eventColumns, toStoredEvent, type EventRow } from './event-rows.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';
import { asCurrent, type Upcasters } from './upcasters.js';

/** What the checked append needs of its store: the quoted schema, the upcasters, the notice channel (the `notify` option) if any. */
export interface StoreTables {
  readonly s: string;
  readonly upcasters: Upcasters;
  readonly channel: string | undefined;
}

/**
 * The general append, one transaction: retries told from conflicts, taken ids suffixed, the
 * actual version reported. Reached when the one-statement append could not settle a batch.
 */
export async function appendChecked(client: SqlClient, where: StoreTables, customerId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
  const { s, upcasters, channel } = where;
  return client.transaction(async (tx) => {
    // The stream row is the per-customer lock: a concurrent writer waits here until we commit,
    // then reads our version (and fails its expected-version check with it).
    await tx.query(`insert into ${s}.streams (customer_id, version) values ($1, 0) on conflict (customer_id) do nothing`, [customerId]);
    const [stream] = await tx.query<{ version: number }>(`select version from ${s}.streams where customer_id = $1 for update`, [customerId]);
    const current = Number(stream?.version ?? 0);

    const given = [...new Set(events.flatMap((e) => (e.id === undefined ? [] : [e.id])))];
    const stored = new Map((await eventsByIds(tx, where, customerId, given)).map((e) => [e.id, e]));
    const assign = await idAssigner(tx, s, customerId, current, events);
    // In order, as appending the events one at a time would: an event without id takes the id
    // `assign` gives it, avoiding stored ids and ids of earlier events of the batch; an id met
    // again (stored, or earlier in the batch, given or assigned) is a retry or a conflict.
    const fresh: NewEvent[] = [];
    const ids: string[] = [];
    const duplicates: StoredEvent[] = [];
    const batch = new Map<string, NewEvent>();
    for (const event of events) {
      let id = event.id;
      if (id === undefined) {
        id = await assign(current + fresh.length + 1, batch);
      } else {
        const inStore = stored.get(id);
        const inBatch = batch.get(id);
        const earlier = inStore ?? (inBatch === undefined ? undefined : asCurrent(upcasters, inBatch));
        if (earlier !== undefined) {
          if (!samePayload(earlier, asCurrent(upcasters, event))) throw new EventIdConflictError(customerId, id, inStore === undefined && inBatch?.id === undefined);
          if (inStore !== undefined) duplicates.push(inStore);
          continue;
        }
      }
      batch.set(id, event);
      fresh.push(event);
      ids.push(id);
    }
    if (fresh.length === 0) return { streamVersion: current, appended: [], duplicates };
    assertExpectedVersion(customerId, expected, current);

    const rows = await tx.query<EventRow>(
      `insert into ${s}.events (customer_id, stream_version, event_id, type, schema_version, data, meta, at, at_text, data_text, meta_text)
       select $1, u.v, u.id, u.type, u.sv, u.d::jsonb, u.m::jsonb, u.a::timestamptz, u.at_text, case when u.dk then u.d end, case when u.mk then u.m end
         from unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bool[], $11::bool[])
           with ordinality as u(v, id, type, sv, d, m, a, at_text, dk, mk, n)
        order by u.n
       returning ${eventColumns}`,
      [customerId, fresh.map((_, i) => current + i + 1), ids, ...eventArrays(fresh, upcasters)],
    );
    const version = current + fresh.length;
    // The notice rides on the last statement (event-notices.ts); only a transaction that appends sends one.
    const update = `update ${s}.streams set version = $2, updated_at = now() where customer_id = $1`;
    if (channel === undefined) await tx.query(update, [customerId, version]);
    else await tx.query(`with u as (${update} returning 1) select pg_notify($3, ${noticePayload('$1')}) from u`, [customerId, version, channel]);
    const appended = rows.map((row) => toStoredEvent(row, upcasters)).sort((a, b) => a.streamVersion - b.streamVersion);
    return { streamVersion: version, appended, duplicates };
  });
}

export async function eventsByIds(db: SqlExecutor, where: StoreTables, customerId: string, ids: readonly string[]): Promise<StoredEvent[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<EventRow>(
    `select ${eventColumns} from ${where.s}.events where customer_id = $1 and event_id = any($2::text[]) order by stream_version`,
    [customerId, ids],
  );
  return rows.map((row) => toStoredEvent(row, where.upcasters));
}

/**
 * Gives an event without id, at stream version `version`, `<customerId>:<version>`, with a `~n`
 * suffix when a stored event or an earlier event of the batch (`batch`) has that id. The plain
 * ids the batch can need are looked up in one query; suffixed ones (rare) one at a time.
 */
async function idAssigner(tx: SqlExecutor, s: string, customerId: string, current: number, events: readonly NewEvent[]): Promise<(version: number, batch: ReadonlyMap<string, unknown>) => Promise<string>> {
  const plain = events.some((e) => e.id === undefined) ? events.map((_, i) => `${customerId}:${current + i + 1}`) : [];
  const clash = async (candidates: readonly string[]) =>
    (await tx.query<{ event_id: string }>(`select event_id from ${s}.events where customer_id = $1 and event_id = any($2::text[])`, [customerId, candidates])).map((r) => r.event_id);
  const taken = new Set(plain.length === 0 ? [] : await clash(plain));
  return (version, batch) => assignedIdLookedUp(customerId, version, async (id, plain) => batch.has(id) || taken.has(id) || (!plain && (await clash([id])).length > 0));
}
