import { describeValue } from '../../describe-value.js';
import { EventIdConflictError, UsageError } from '../../errors.js';
import { checkOptionNames, optionNames } from '../../option-names.js';
import { integerRule } from '../../integer-rule.js';
import { toIso } from '../../time/instant.js';
import type { NewEvent } from '../event-store.js';
import { samePayload } from '../same-payload.js';
import { isUniqueViolation } from './append-statement.js';
import { EVERY_PARTITION } from './event-notices.js';
import { eventColumnsOf, jsonColumns, toStoredEvent, type EventRow } from './event-rows.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';
import { checkStorable } from './storable.js';
import { settleIds } from './import-ids.js';
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

const IMPORT_OPTIONS = optionNames<ImportOptions>({ batchSize: true });

/** The chunk size an import's options ask for (default 10 000), or a UsageError naming what is wrong. */
export function importBatchSize(options: ImportOptions): number {
  checkOptionNames('importEvents', options, IMPORT_OPTIONS);
  const size = options.batchSize ?? 10_000;
  if (!Number.isInteger(size) || size < 1) {
    throw new UsageError(`importEvents: option "batchSize" must be a positive integer, got ${describeValue(size)}`, {
      path: 'batchSize',
      rule: integerRule(size),
    });
  }
  return size;
}

const columns = ['n', 'customer_id', 'event_id', 'type', 'schema_version', 'data', 'meta', 'at', 'at_text', 'data_kept', 'meta_kept'] as const;

/**
 * Bulk loading, one transaction per chunk. A chunk goes straight into `events` (COPY FROM STDIN
 * with `pg`; multi-row `insert … select from unnest(…)` with PGlite, which cannot COPY from a
 * client stream) with versions and missing ids assigned here; if any of its ids turns out to be
 * stored already, the chunk is rolled back and takes the checked path (staged, compared with the
 * stored events, moved with one `insert … select`). Streams are locked in customer order, so an
 * import and ordinary appends never deadlock and never interleave inside a stream.
 */
export async function importEvents(
  client: SqlClient,
  s: string,
  upcasters: Upcasters,
  events: Iterable<NewEvent> | AsyncIterable<NewEvent>,
  size: number,
  channel?: string,
): Promise<ImportResult> {
  let imported = 0;
  let duplicates = 0;
  let before = 0; // events of the earlier chunks (committed)
  let chunk: NewEvent[] = [];
  const flush = async () => {
    const result = await importChunk(client, s, upcasters, chunk, before, channel);
    imported += result.imported;
    duplicates += result.duplicates;
    before += chunk.length;
    chunk = [];
  };
  for await (const event of events) {
    chunk.push(event);
    if (chunk.length >= size) await flush();
  }
  if (chunk.length > 0) await flush();
  return { imported, duplicates };
}

/**
 * A chunk's one notification (event-notices.ts), when the store notifies and the chunk wrote
 * events: `*`, as a chunk usually touches most partitions. One statement more per chunk of up to
 * `batchSize` events.
 */
async function notify(tx: SqlExecutor, channel: string | undefined, written: number): Promise<void> {
  if (channel !== undefined && written > 0) await tx.query('select pg_notify($1, $2)', [channel, EVERY_PARTITION]);
}

/** Thrown inside a direct write to roll it back and take the checked path instead. */
class NeedsChecks extends Error {}

async function importChunk(client: SqlClient, s: string, upcasters: Upcasters, given: readonly NewEvent[], before: number, channel: string | undefined): Promise<ImportResult> {
  const what = before === 0 ? 'this chunk of the import' : `events ${before + 1} to ${before + given.length} of the import (the ${before} before them were imported)`;
  // Validated and normalised as the engine's validation would leave them (stored-form.ts): from here on, the events to write.
  const events = checkStorable(given, upcasters.reading, what, before);
  // Retries inside the chunk are settled here. Retries of stored events (earlier chunks of this
  // import included: they are committed) are found by the database, so nothing of a written chunk
  // is kept in memory.
  const rows: NewEvent[] = [];
  const byKey = new Map<string, NewEvent>();
  let duplicates = 0;
  for (const event of events) {
    if (event.id === undefined) {
      rows.push(event);
      continue;
    }
    const key = `${event.customerId}\u0000${event.id}`;
    const earlier = byKey.get(key);
    if (earlier !== undefined) {
      if (!samePayload(asCurrent(upcasters, earlier), asCurrent(upcasters, event))) throw new EventIdConflictError(event.customerId, event.id);
      duplicates++;
      continue;
    }
    byKey.set(key, event);
    rows.push(event);
  }
  if (rows.length === 0) return { imported: 0, duplicates };
  try {
    const imported = await client.transaction(async (tx) => {
      const written = await writeDirect(client, tx, s, upcasters, rows, byKey);
      await notify(tx, channel, written);
      return written;
    });
    return { imported, duplicates };
  } catch (error) {
    if (!(error instanceof NeedsChecks) && !isUniqueViolation(error)) throw error;
  }
  const checked = await client.transaction(async (tx) => {
    const result = await writeChecked(client, tx, s, upcasters, rows);
    await notify(tx, channel, result.imported);
    return result;
  });
  return { imported: checked.imported, duplicates: duplicates + checked.duplicates };
}

/**
 * The fast path, for a chunk of events none of which is stored yet (the usual import): one
 * statement locks the chunk's streams (in customer order, so importers and appenders never
 * deadlock) and moves each version forward by its count of events, returning the new versions;
 * versions and missing ids are then assigned here and the rows go straight into `events`
 * (COPY, or multi-row inserts with PGlite). A stored id (a retry or a conflict) or a taken
 * generated id stops it with a unique violation, which rolls the chunk back for the checked path.
 */
async function writeDirect(client: SqlClient, tx: SqlExecutor, s: string, upcasters: Upcasters, rows: readonly NewEvent[], byKey: ReadonlyMap<string, NewEvent>): Promise<number> {
  const counts = new Map<string, number>();
  for (const event of rows) counts.set(event.customerId, (counts.get(event.customerId) ?? 0) + 1);
  const customers = [...counts.keys()].sort();
  const versions = await tx.query<{ customer_id: string; version: number }>(
    `insert into ${s}.streams as t (customer_id, version)
     select c, n from unnest($1::text[], $2::int[]) as u(c, n) order by c
     on conflict (customer_id) do update set version = t.version + excluded.version, updated_at = now()
     returning t.customer_id, t.version`,
    [customers, customers.map((c) => counts.get(c) as number)],
  );
  // The version before this chunk, advanced as each stream's events are numbered.
  const next = new Map<string, number>();
  for (const row of versions) next.set(row.customer_id, Number(row.version) - (counts.get(row.customer_id) as number));
  const numbered: number[] = new Array<number>(rows.length);
  const ids: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const e = rows[i] as NewEvent;
    const version = (next.get(e.customerId) as number) + 1;
    next.set(e.customerId, version);
    numbered[i] = version;
    let id = e.id;
    if (id === undefined) {
      id = `${e.customerId}:${version}`;
      if (byKey.has(`${e.customerId}\u0000${id}`)) throw new NeedsChecks(); // taken by an explicit id in this chunk
    }
    ids[i] = id;
  }
  const target = `${s}.events (customer_id, stream_version, event_id, type, schema_version, data, meta, at, at_text, data_text, meta_text)`;
  if (client.copyFrom !== undefined) {
    await client.copyFrom(tx, `copy ${target} from stdin`, eventLines(rows, numbered, ids, upcasters));
  } else {
    const values = rows.map((e, i) => {
      const j = jsonColumns(e);
      return [e.customerId, numbered[i], ids[i], e.type, e.schemaVersion ?? upcasters.currentVersion(e.type), j.data, j.meta, toIso(e.time), e.at, j.dataText, j.metaText];
    });
    await insertRows(tx, target, values, ['text', 'int', 'text', 'text', 'int', 'jsonb', 'jsonb', 'timestamptz', 'text', 'text', 'text']);
  }
  return rows.length;
}

/** The COPY text of events to write, formatted straight from the events in pieces of about 64 kB. */
function* eventLines(rows: readonly NewEvent[], versions: readonly number[], ids: readonly string[], upcasters: Upcasters): Generator<string> {
  let piece = '';
  for (let i = 0; i < rows.length; i++) {
    const e = rows[i] as NewEvent;
    const j = jsonColumns(e);
    const text = (json: string | null) => (json === null ? '\\N' : escapeCopy(json));
    piece += `${escapeCopy(e.customerId)}\t${versions[i] as number}\t${escapeCopy(ids[i] as string)}\t${escapeCopy(e.type)}\t${e.schemaVersion ?? upcasters.currentVersion(e.type)}\t${text(j.data)}\t${text(j.meta)}\t${toIso(e.time)}\t${escapeCopy(e.at)}\t${text(j.dataText)}\t${text(j.metaText)}\n`;
    if (piece.length > 65_536) {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
}

/**
 * The checked path: each chunk is staged in a temporary table and checked for id conflicts against
 * stored events; each stream's new events are then numbered after its current version and given
 * their ids here, in input order, exactly as appending them one at a time would (`settleIds`), and
 * moved into `events` by one `insert … select`.
 */
async function writeChecked(client: SqlClient, tx: SqlExecutor, s: string, upcasters: Upcasters, rows: readonly NewEvent[]): Promise<ImportResult> {
  await tx.query(
    `create temp table heed_import (n integer, customer_id text, event_id text, type text, schema_version integer, data text, meta text, at text, at_text text,
       data_kept boolean, meta_kept boolean, version integer) on commit drop`,
  );
  const values = rows.map((e, n) => {
    const j = jsonColumns(e);
    return [n, e.customerId, e.id ?? null, e.type, e.schemaVersion ?? upcasters.currentVersion(e.type), j.data, j.meta, toIso(e.time), e.at, j.dataText !== null, j.metaText !== null];
  });
  if (client.copyFrom !== undefined) {
    await client.copyFrom(tx, `copy heed_import (${columns.join(', ')}) from stdin`, copyChunks(values));
  } else {
    await insertRows(tx, `heed_import (${columns.join(', ')})`, values, ['int', 'text', 'text', 'text', 'int', 'text', 'text', 'text', 'text', 'boolean', 'boolean']);
  }
  const found = await tx.query<EventRow>(
    `select ${eventColumnsOf('e')}
       from ${s}.events e join heed_import i on i.customer_id = e.customer_id and i.event_id = e.event_id`,
  );
  const byKey = new Map(rows.map((e) => [`${e.customerId}\u0000${e.id ?? ''}`, e]));
  const stored = new Set<string>();
  for (const row of found) {
    const event = toStoredEvent(row, upcasters);
    const key = `${event.customerId}\u0000${event.id}`;
    const incoming = byKey.get(key);
    if (incoming !== undefined && !samePayload(event, asCurrent(upcasters, incoming))) throw new EventIdConflictError(event.customerId, event.id);
    stored.add(key);
  }

  await tx.query(`insert into ${s}.streams (customer_id, version) select distinct customer_id, 0 from heed_import order by 1 on conflict (customer_id) do nothing`);
  const locked = await tx.query<{ customer_id: string; version: number }>(
    `select customer_id, version from ${s}.streams where customer_id in (select customer_id from heed_import) order by customer_id for update`,
  );
  const versions = new Map(locked.map((row) => [row.customer_id, Number(row.version)]));
  const settled = await settleIds(tx, s, upcasters, rows, versions, stored);
  await tx.query(
    `update heed_import i set version = u.v, event_id = u.id from unnest($1::int[], $2::int[], $3::text[]) as u(n, v, id) where i.n = u.n`,
    [settled.n, settled.versions, settled.ids],
  );
  await tx.query('delete from heed_import where version is null');
  const [inserted] = await tx.query<{ count: number }>(
    `with written as (
       insert into ${s}.events (customer_id, stream_version, event_id, type, schema_version, data, meta, at, at_text, data_text, meta_text)
       select customer_id, version, event_id, type, schema_version, data::jsonb, meta::jsonb, at::timestamptz, at_text,
              case when data_kept then data end, case when meta_kept then meta end
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
  return { imported: Number(inserted?.count ?? 0), duplicates: settled.duplicates };
}

/** PGlite: one multi-row insert per 1 000 rows, parameters as arrays of text cast per column. */
async function insertRows(tx: SqlExecutor, target: string, values: readonly (readonly unknown[])[], types: readonly string[]): Promise<void> {
  for (let from = 0; from < values.length; from += 1000) {
    const part = values.slice(from, from + 1000);
    const column = (c: number) => part.map((row) => row[c] ?? null);
    const casts = types.map((type, c) => `$${c + 1}::${type === 'int' ? 'int' : 'text'}[]`).join(', ');
    const select = types.map((type, c) => (type === 'int' || type === 'text' ? `u.c${c}` : `u.c${c}::${type}`)).join(', ');
    const names = types.map((_, c) => `c${c}`).join(', ');
    await tx.query(`insert into ${target} select ${select} from unnest(${casts}) as u(${names})`, types.map((_, c) => column(c)));
  }
}

/** Rows in COPY text format, joined into pieces of about 64 kB (one message each, not one per row). */
function* copyChunks(values: readonly (readonly unknown[])[]): Generator<string> {
  let piece = '';
  for (const row of values) {
    piece += copyLine(row);
    if (piece.length > 65_536) {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
}

/** One row in PostgreSQL's text COPY format: tab-separated, `\N` for null, backslash escapes. */
export function copyLine(values: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) line += '\t';
    line += v === null || v === undefined ? '\\N' : escapeCopy(String(v));
  }
  return `${line}\n`;
}

function escapeCopy(text: string): string {
  if (!SPECIAL.test(text)) return text;
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

const SPECIAL = /[\\\t\n\r]/;
