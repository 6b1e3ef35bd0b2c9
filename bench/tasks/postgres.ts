import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AppendOptions, AppendResult, NewEvent } from '../../src/index.js';
import { migrations } from '../../src/postgres.js';
import { median, percentile, ROOT } from '../measure.js';
import { loadRaw, settle, type TaskResult } from './load.js';

/**
 * Figure 5: heed's PostgreSQL store against raw `pg` on the same rows, on a table of the same
 * shape (columns, primary key, unique id, global-order indexes), so both pay for the same indexes.
 * Single appends: one event per call, sequential, latency per call. Bulk: the whole set through
 * heed's import vs a multi-row INSERT (1000 rows a statement) and COPY FROM STDIN. Both sides
 * start from the same event objects and are timed from there: turning events into rows (stream
 * versions, JSON, ISO instants) is part of the raw side's work as it is of heed's.
 */

export const PG_URL = process.env['HEED_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const MODULE = join(ROOT, 'src', 'postgres.ts');

interface HeedPostgresStore {
  append(customerId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  importEvents(events: Iterable<NewEvent>): Promise<{ imported: number; duplicates: number }>;
  migrate(): Promise<unknown>;
  close(): Promise<void>;
}
interface HeedPostgresModule {
  PostgresEventStore: { connect(url: string, options?: { schema?: string }): Promise<HeedPostgresStore> };
}

/** Why figure 5 cannot run here, or undefined when it can. */
export async function postgresUnavailable(): Promise<string | undefined> {
  if (!existsSync(MODULE)) return 'heed/postgres (src/postgres.ts, PostgresEventStore) has not landed on this branch';
  const client = new pg.Client({ connectionString: PG_URL });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `no PostgreSQL server at ${PG_URL.replace(/\/\/[^@]*@/, '//')}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function heedModule(): Promise<HeedPostgresModule> {
  return (await import(pathToFileURL(MODULE).href)) as HeedPostgresModule;
}

/** As figure 3's (store.ts): an absent id stays undefined, to be assigned; '' would be refused. */
function newEvents(file: string, limit: number): NewEvent[] {
  return loadRaw(file)
    .slice(0, limit)
    .map((e) => ({ id: e.id, customerId: e.customerId, type: e.type, at: e.at, time: Date.parse(e.at), data: e.data ?? {} }));
}

/** An empty schema of that name, over a connection of its own (heed's store migrates into it). */
export async function resetSchema(schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await freshSchema(admin, schema);
  } finally {
    await admin.end();
  }
}

async function freshSchema(client: pg.Client, schema: string): Promise<void> {
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.query(`create schema ${schema}`);
}

/**
 * The raw table: heed's own `events` DDL (migration 1, which also creates `streams`, unused here),
 * so the baseline writes rows of exactly the shape heed writes and cannot drift from it.
 */
async function rawTable(client: pg.Client, schema: string): Promise<void> {
  await freshSchema(client, schema);
  const eventsTable = migrations.find((m) => m.version === 1);
  if (eventsTable === undefined) throw new Error('heed migration 1 (events and streams) not found');
  await client.query(eventsTable.sql(schema));
}

const COLUMNS = 'customer_id, stream_version, event_id, type, data, at, at_text';

function rowValues(events: readonly NewEvent[]): unknown[][] {
  const versions = new Map<string, number>();
  return events.map((e) => {
    const version = (versions.get(e.customerId) ?? 0) + 1;
    versions.set(e.customerId, version);
    return [e.customerId, version, e.id, e.type, JSON.stringify(e.data), new Date(e.time).toISOString(), e.at];
  });
}

export interface LatencyResult extends TaskResult {
  readonly p50Us: number;
  readonly p99Us: number;
}

export async function pgHeedSingle(args: { file: string; count: number }): Promise<LatencyResult> {
  const events = newEvents(args.file, args.count);
  const { PostgresEventStore } = await heedModule();
  await resetSchema('bench_heed');
  const store = await PostgresEventStore.connect(PG_URL, { schema: 'bench_heed' });
  await store.migrate();
  const versions = new Map<string, number>();
  const latencies: number[] = [];
  settle();
  const started = performance.now();
  for (const event of events) {
    const t = performance.now();
    const result = await store.append(event.customerId, [event], { expectedVersion: versions.get(event.customerId) ?? 0 });
    latencies.push((performance.now() - t) * 1000);
    versions.set(event.customerId, result.streamVersion);
  }
  const ms = performance.now() - started;
  await store.close();
  return { events: events.length, ms, p50Us: median(latencies), p99Us: percentile(latencies, 99) };
}

export async function pgRawSingle(args: { file: string; count: number }): Promise<LatencyResult> {
  const events = newEvents(args.file, args.count);
  const rows = rowValues(events);
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await rawTable(client, 'bench_raw');
  const sql = `insert into bench_raw.events (${COLUMNS}) values ($1, $2, $3, $4, $5::jsonb, $6::timestamptz, $7)`;
  const latencies: number[] = [];
  settle();
  const started = performance.now();
  for (const row of rows) {
    const t = performance.now();
    await client.query(sql, row);
    latencies.push((performance.now() - t) * 1000);
  }
  const ms = performance.now() - started;
  await client.end();
  return { events: rows.length, ms, p50Us: median(latencies), p99Us: percentile(latencies, 99) };
}

export async function pgHeedBulk(args: { file: string; count: number }): Promise<TaskResult> {
  const events = newEvents(args.file, args.count);
  const { PostgresEventStore } = await heedModule();
  await resetSchema('bench_heed');
  const store = await PostgresEventStore.connect(PG_URL, { schema: 'bench_heed' });
  await store.migrate();
  settle();
  const started = performance.now();
  const result = await store.importEvents(events);
  const ms = performance.now() - started;
  await store.close();
  if (result.imported !== events.length) throw new Error(`imported ${result.imported} of ${events.length}`);
  return { events: events.length, ms };
}

export async function pgRawInsert(args: { file: string; count: number }): Promise<TaskResult> {
  const events = newEvents(args.file, args.count);
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await rawTable(client, 'bench_raw');
  settle();
  const started = performance.now();
  // Timed, as heed's import is: numbering, JSON and ISO text are part of writing events.
  const rows = rowValues(events);
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const base = params.length;
      params.push(...row);
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}::jsonb, $${base + 6}::timestamptz, $${base + 7})`;
    });
    await client.query(`insert into bench_raw.events (${COLUMNS}) values ${tuples.join(', ')}`, params);
  }
  const ms = performance.now() - started;
  await client.end();
  return { events: rows.length, ms };
}

export async function pgRawCopy(args: { file: string; count: number }): Promise<TaskResult> {
  const events = newEvents(args.file, args.count);
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await rawTable(client, 'bench_raw');
  settle();
  const started = performance.now();
  const rows = rowValues(events);
  const copy = client.query(copyFrom(`copy bench_raw.events (${COLUMNS}) from stdin with (format csv)`));
  await pipeline(Readable.from(csvLines(rows)), copy);
  const ms = performance.now() - started;
  await client.end();
  return { events: rows.length, ms };
}

function* csvLines(rows: readonly unknown[][]): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += `${row.map(csvField).join(',')}\n`;
    if (chunk.length > 64_000) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

function csvField(value: unknown): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
