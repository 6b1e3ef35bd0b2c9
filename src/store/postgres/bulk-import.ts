import { EventIdConflictError, UsageError } from '../../errors.js';
import { toIso } from '../../time/instant.js';
import type { NewEvent } from '../event-store.js';
import { payloadDigest } from '../payload-digest.js';
import { samePayload } from '../same-payload.js';
import { eventColumnsOf, toStoredEvent, type EventRow } from './event-rows.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';
import { asCurrent, type Upcasters } from './upcasters.js';

export interface ImportOptions {
  /** Events per transaction. Default 10 000. Each chunk is all-or-nothing. */
  readonly batchSize?: number;
}

export interface ImportResult {
  /** Events written. */
  readonly imported: number;
  /** Events skipped because the same id with the same payload was already stored (or earlier in the input). */
  readonly duplicates: number;
}

const columns = ['n', 'customer_id', 'event_id', 'type', 'schema_version', 'data', 'meta', 'at', 'at_text'] as const;

/**
 * Bulk loading. Each chunk is staged in a temporary table (COPY FROM STDIN with `pg`; multi-row
 * `insert … select from unnest(…)` with PGlite, which cannot COPY from a client stream), checked
 * for id conflicts, then moved into `events` by one `insert … select` that numbers each stream's
 * new events after its current version. Streams are locked in customer order, so an import and
 * ordinary appends never deadlock and never interleave inside a stream.
 */
export async function importEvents(
  client: SqlClient,
  s: string,
  upcasters: Upcasters,
  events: Iterable<NewEvent> | AsyncIterable<NewEvent>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const size = options.batchSize ?? 10_000;
  if (!Number.isInteger(size) || size < 1) throw new UsageError(`importEvents: option "batchSize" must be a positive integer, got ${String(size)}`);
  let imported = 0;
  let duplicates = 0;
  // Ids already imported by this call (per customer) and a digest of their payload: enough to
  // tell a retry from a conflict without holding every imported event until the import ends.
  const seen = new Map<string, string>();
  let chunk: NewEvent[] = [];
  const flush = async () => {
    const result = await importChunk(client, s, upcasters, chunk, seen);
    imported += result.imported;
    duplicates += result.duplicates;
    chunk = [];
  };
  for await (const event of events) {
    chunk.push(event);
    if (chunk.length >= size) await flush();
  }
  if (chunk.length > 0) await flush();
  return { imported, duplicates };
}

async function importChunk(client: SqlClient, s: string, upcasters: Upcasters, input: readonly NewEvent[], seen: Map<string, string>): Promise<ImportResult> {
  // Retries inside the input itself are settled here; retries of stored events in SQL below.
  const rows: NewEvent[] = [];
  let duplicates = 0;
  for (const event of input) {
    if (event.id === undefined) {
      rows.push(event);
      continue;
    }
    const key = `${event.customerId}\u0000${event.id}`;
    const digest = payloadDigest(asCurrent(upcasters, event));
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      if (earlier !== digest) throw new EventIdConflictError(event.customerId, event.id);
      duplicates++;
      continue;
    }
    seen.set(key, digest);
    rows.push(event);
  }
  if (rows.length === 0) return { imported: 0, duplicates };

  return client.transaction(async (tx) => {
    await tx.query(
      `create temp table heed_import (n integer, customer_id text, event_id text, type text, schema_version integer, data text, meta text, at text, at_text text, version integer, generated boolean) on commit drop`,
    );
    const values = rows.map((e, n) => [
      n,
      e.customerId,
      e.id ?? null,
      e.type,
      e.schemaVersion ?? upcasters.currentVersion(e.type),
      JSON.stringify(e.data ?? null),
      e.meta === undefined ? null : JSON.stringify(e.meta),
      toIso(e.time),
      e.at,
    ]);
    if (client.copyFrom !== undefined) {
      await client.copyFrom(tx, `copy heed_import (${columns.join(', ')}) from stdin`, values.map(copyLine));
    } else {
      await stageWithInserts(tx, values);
    }

    const stored = await tx.query<EventRow>(
      `select ${eventColumnsOf('e')}
         from ${s}.events e join heed_import i on i.customer_id = e.customer_id and i.event_id = e.event_id`,
    );
    const byKey = new Map(rows.map((e) => [`${e.customerId}\u0000${e.id ?? ''}`, e]));
    for (const row of stored) {
      const event = toStoredEvent(row, upcasters);
      const incoming = byKey.get(`${event.customerId}\u0000${event.id}`);
      if (incoming !== undefined && !samePayload(event, asCurrent(upcasters, incoming))) throw new EventIdConflictError(event.customerId, event.id);
    }
    if (stored.length > 0) {
      await tx.query(`delete from heed_import i using ${s}.events e where i.customer_id = e.customer_id and i.event_id = e.event_id`);
    }

    await tx.query(`insert into ${s}.streams (customer_id, version) select distinct customer_id, 0 from heed_import order by 1 on conflict (customer_id) do nothing`);
    await tx.query(`select 1 from ${s}.streams where customer_id in (select customer_id from heed_import) order by customer_id for update`);
    // Number each stream's new events after its current version, and give the events without an
    // id theirs: `<customerId>:<version>`, like append.
    await tx.query(
      `update heed_import i set version = x.version
         from (select i.n, st.version + row_number() over (partition by i.customer_id order by i.n) as version
                 from heed_import i join ${s}.streams st on st.customer_id = i.customer_id) x
        where x.n = i.n`,
    );
    await tx.query(`update heed_import set generated = event_id is null, event_id = coalesce(event_id, customer_id || ':' || version)`);
    await uniqueGeneratedIds(tx, s);
    const [inserted] = await tx.query<{ count: number }>(
      `with written as (
         insert into ${s}.events (customer_id, stream_version, event_id, type, schema_version, data, meta, at, at_text)
         select customer_id, version, event_id, type, schema_version, data::jsonb, meta::jsonb, at::timestamptz, at_text
           from heed_import order by customer_id, version
         returning 1
       )
       select count(*)::int as count from written`,
    );
    await tx.query(
      `update ${s}.streams st set version = st.version + c.count, updated_at = now()
         from (select customer_id, count(*)::int as count from heed_import group by customer_id) c
        where st.customer_id = c.customer_id`,
    );
    return { imported: Number(inserted?.count ?? 0), duplicates: duplicates + stored.length };
  });
}

/**
 * A generated id that a writer already used as its own (stored, or given explicitly in this chunk)
 * gets a `~n` suffix, as append does, instead of failing the chunk on the unique constraint.
 * Rare, so done one clash at a time.
 */
async function uniqueGeneratedIds(tx: SqlExecutor, s: string): Promise<void> {
  const clashes = await tx.query<{ n: number; customer_id: string; event_id: string }>(
    `select i.n, i.customer_id, i.event_id from heed_import i
      where i.generated
        and (exists (select 1 from ${s}.events e where e.customer_id = i.customer_id and e.event_id = i.event_id)
             or (i.customer_id, i.event_id) in (select customer_id, event_id from heed_import where not generated))
      order by i.n`,
  );
  for (const clash of clashes) {
    for (let suffix = 2; ; suffix++) {
      const id = `${clash.event_id}~${suffix}`;
      const taken = await tx.query(
        `select 1 from ${s}.events where customer_id = $1 and event_id = $2 union all select 1 from heed_import where customer_id = $1 and event_id = $2`,
        [clash.customer_id, id],
      );
      if (taken.length > 0) continue;
      await tx.query('update heed_import set event_id = $1 where n = $2', [id, clash.n]);
      break;
    }
  }
}

/** PGlite: one multi-row insert per 1 000 rows, parameters as arrays. */
async function stageWithInserts(tx: SqlExecutor, values: readonly (readonly unknown[])[]): Promise<void> {
  for (let from = 0; from < values.length; from += 1000) {
    const part = values.slice(from, from + 1000);
    const column = (c: number) => part.map((row) => row[c] ?? null);
    await tx.query(
      `insert into heed_import (${columns.join(', ')})
       select * from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[])`,
      columns.map((_, c) => column(c)),
    );
  }
}

/** One row in PostgreSQL's text COPY format: tab-separated, `\N` for null, backslash escapes. */
export function copyLine(values: readonly unknown[]): string {
  return `${values.map((v) => (v === null || v === undefined ? '\\N' : escapeCopy(String(v)))).join('\t')}\n`;
}

function escapeCopy(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
