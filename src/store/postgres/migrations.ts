import type { SqlClient } from './sql-client.js';

/**
 * Versioned schema changes. Each runs once per schema, in order, inside one transaction together
 * with the record that it ran; a transaction-level advisory lock makes concurrent first uses (two
 * processes starting at once) wait for each other instead of racing. Never edit a released
 * migration: add the next version.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQL for schema `s` (already validated and quoted by the caller). */
  readonly sql: (s: string) => string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'events and streams',
    sql: (s) => `
      create table ${s}.streams (
        customer_id text primary key,
        version integer not null,
        updated_at timestamptz not null default now()
      );
      -- The primary key leads with customer_id so the table can be distributed by it (Citus).
      create table ${s}.events (
        customer_id text not null,
        stream_version integer not null,
        global_position bigint generated always as identity,
        transaction_id xid8 not null default pg_current_xact_id(),
        event_id text not null,
        type text not null,
        schema_version integer not null default 1,
        data jsonb not null,
        meta jsonb,
        at timestamptz not null,
        at_text text not null,
        recorded_at timestamptz not null default now(),
        primary key (customer_id, stream_version),
        unique (customer_id, event_id)
      );
      -- Global order is (transaction_id, global_position): see global-order.ts.
      create index events_global_order on ${s}.events (transaction_id, global_position);
      create index events_position on ${s}.events (global_position);
    `,
  },
  {
    version: 2,
    name: 'projection read models, checkpoints and wake times',
    sql: (s) => `
      create table ${s}.checkpoints (
        projection text not null,
        partition integer not null,
        partitions integer not null,
        transaction_id xid8 not null default '0',
        global_position bigint not null default 0,
        updated_at timestamptz not null default now(),
        primary key (projection, partition)
      );
      create table ${s}.findings (
        customer_id text not null,
        key text not null,
        kind text not null,
        matter_id text,
        detected_at timestamptz not null,
        severity text not null,
        message text not null,
        evidence jsonb not null,
        details jsonb not null,
        updated_at timestamptz not null default now(),
        primary key (customer_id, key)
      );
      create index findings_kind on ${s}.findings (kind, detected_at);
      create table ${s}.summaries (
        customer_id text primary key,
        summary jsonb not null,
        events integer not null,
        last_event_at timestamptz,
        as_of timestamptz not null,
        next_wake_at timestamptz,
        updated_at timestamptz not null default now()
      );
      create table ${s}.wake_times (
        customer_id text primary key,
        wake_at timestamptz not null
      );
      create index wake_times_due on ${s}.wake_times (wake_at);
    `,
  },
  {
    version: 3,
    name: 'projection failures',
    // A customer the projection cannot evaluate (ProjectionError), kept out of its batch: which, and why.
    sql: (s) => `
      create table ${s}.projection_failures (
        customer_id text primary key,
        stream_version integer not null,
        event_id text,
        policy text,
        message text not null,
        failed_at timestamptz not null default now()
      );
    `,
  },
  {
    version: 4,
    name: 'projection failure retry requests',
    // How many times retryFailed asked for the failure to be retried (on any worker): the worker
    // owning the customer's partition retries a failure it holds once this moved (projection-worker.ts).
    sql: (s) => `alter table ${s}.projection_failures add column retry_requests integer not null default 0;`,
  },
  {
    version: 5,
    name: 'event data and meta as written',
    // jsonb keeps keys in its own order: an object that would read back in another order than it
    // was appended in is kept also as its JSON text, and read from it (key-order.ts). Null for the
    // others and for the rows before, so adding the columns rewrites nothing.
    sql: (s) => `alter table ${s}.events add column data_text text, add column meta_text text;`,
  },
];

/** The newest schema version this build of heed knows. */
export const schemaVersion = migrations.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * Bring schema `schema` up to date; returns the versions applied now (empty when it already was).
 * Safe to call from many processes at once and on every start.
 */
export async function migrate(client: SqlClient, schema: string): Promise<number[]> {
  const s = quoteIdent(schema);
  // Up to date already (the usual start): answered by reading, without the DDL below, which needs
  // rights on the database an application role granted only the tables does not have.
  if (await upToDate(client, s)) return [];
  return client.transaction(async (tx) => {
    // Taken before anything exists, so even `create schema` is serialised between processes.
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`heed.migrate:${schema}`]);
    await tx.query(`create schema if not exists ${s}`);
    await tx.query(`create table if not exists ${s}.migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`);
    const done = new Set((await tx.query<{ version: number }>(`select version from ${s}.migrations`)).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql(s));
      await tx.query(`insert into ${s}.migrations (version, name) values ($1, $2)`, [migration.version, migration.name]);
      applied.push(migration.version);
    }
    return applied;
  });
}

/** True when schema `s` (quoted) records every migration this build knows. */
async function upToDate(client: SqlClient, s: string): Promise<boolean> {
  const [table] = await client.query<{ name: string | null }>('select to_regclass($1)::text as name', [`${s}.migrations`]);
  if (table?.name == null) return false;
  const done = new Set((await client.query<{ version: number }>(`select version from ${s}.migrations`)).map((r) => Number(r.version)));
  return migrations.every((m) => done.has(m.version));
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
