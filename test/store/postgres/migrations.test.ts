import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/index.js';
import { migrate, migrations, openPGlite, PostgresEventStore, ProjectionWorker, schemaVersion } from '../../../src/postgres.js';

describe('migrations', () => {
  it('create the schema on first use, record each version once, and do nothing the second time', async () => {
    const client = await openPGlite();
    try {
      const store = new PostgresEventStore(client, { schema: 'crm_heed' });
      expect(await store.streamVersion('c')).toBe(0); // first use migrates
      expect(await migrate(client, 'crm_heed')).toEqual([]);
      const rows = await client.query<{ version: number }>('select version from crm_heed.migrations order by version');
      expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
      expect(schemaVersion).toBe(Math.max(...migrations.map((m) => m.version)));
      const tables = await client.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = 'crm_heed' order by table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(['checkpoints', 'events', 'findings', 'migrations', 'projection_failures', 'streams', 'summaries', 'wake_times']);
      expect(await migrate(client, 'other')).toEqual(migrations.map((m) => m.version));
    } finally {
      await client.close();
    }
  });

  it('bring a schema of an earlier version forward, keeping its data (version 3 adds projection_failures)', async () => {
    const client = await openPGlite();
    try {
      // A schema as heed 2 left it: migrations 1 and 2 recorded, and an event stored.
      await client.exec('create schema old_heed');
      await client.exec('create table old_heed.migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())');
      for (const m of migrations.filter((x) => x.version <= 2)) {
        await client.exec(m.sql('old_heed'));
        await client.query('insert into old_heed.migrations (version, name) values ($1, $2)', [m.version, m.name]);
      }
      await client.exec(`insert into old_heed.streams values ('c', 1); insert into old_heed.events (customer_id, stream_version, event_id, type, data, at, at_text)
        values ('c', 1, 'e1', 'ContactMade', '{}', now(), '2024-01-01T00:00:00Z')`);
      expect(await migrate(client, 'old_heed')).toEqual(migrations.filter((m) => m.version > 2).map((m) => m.version));
      expect(await client.query('select customer_id, stream_version, message from old_heed.projection_failures')).toEqual([]);
      expect(await client.query('select event_id from old_heed.events')).toEqual([{ event_id: 'e1' }]);
    } finally {
      await client.close();
    }
  });

  it('bring a schema of version 3 forward keeping its failure rows (version 4 counts the retries asked for each)', async () => {
    const client = await openPGlite();
    try {
      await client.exec('create schema v3_heed');
      await client.exec('create table v3_heed.migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())');
      for (const m of migrations.filter((x) => x.version <= 3)) {
        await client.exec(m.sql('v3_heed'));
        await client.query('insert into v3_heed.migrations (version, name) values ($1, $2)', [m.version, m.name]);
      }
      await client.exec(`insert into v3_heed.projection_failures (customer_id, stream_version, message) values ('c', 2, 'boom')`);
      expect(await migrate(client, 'v3_heed')).toEqual(migrations.filter((m) => m.version > 3).map((m) => m.version));
      expect(await client.query('select customer_id, message, retry_requests from v3_heed.projection_failures')).toEqual([{ customer_id: 'c', message: 'boom', retry_requests: 0 }]);
    } finally {
      await client.close();
    }
  });

  it('bring a schema of version 4 forward keeping its events, its core payloads read in schema order and the rest in jsonb order, new events as written (version 5 keeps data and meta as written)', async () => {
    const client = await openPGlite();
    try {
      await client.exec('create schema v4_heed');
      await client.exec('create table v4_heed.migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())');
      for (const m of migrations.filter((x) => x.version <= 4)) {
        await client.exec(m.sql('v4_heed'));
        await client.query('insert into v4_heed.migrations (version, name) values ($1, $2)', [m.version, m.name]);
      }
      // As heed before version 5 wrote them: the payload and meta as jsonb only.
      await client.exec(`insert into v4_heed.streams values ('c', 2); insert into v4_heed.events (customer_id, stream_version, event_id, type, data, meta, at, at_text) values
        ('c', 1, 'e1', 'MatterOpened', '{"matterId": "m", "title": "t", "severity": "high"}', '{"zeta": 1, "a": 2}', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'),
        ('c', 2, 'e2', 'x.Free', '{"zebra": 1, "apple": 2}', null, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')`);
      expect(await migrate(client, 'v4_heed')).toEqual(migrations.filter((m) => m.version > 4).map((m) => m.version));
      const store = new PostgresEventStore(client, { schema: 'v4_heed' });
      await store.append('c', [{ id: 'e3', customerId: 'c', type: 'x.Free', at: '2024-01-02T00:00:00Z', time: Date.parse('2024-01-02T00:00:00Z'), data: { zebra: 1, apple: 2 }, meta: { zeta: 1, a: 2 } }]);
      const events = await store.readStream('c');
      expect(events.map((e) => JSON.stringify([e.data, e.meta ?? null]))).toEqual([
        '[{"matterId":"m","title":"t","severity":"high"},{"a":2,"zeta":1}]',
        '[{"apple":2,"zebra":1},null]', // written before version 5: its order is lost
        '[{"zebra":1,"apple":2},{"zeta":1,"a":2}]',
      ]);
    } finally {
      await client.close();
    }
  });

  it('refuse a schema name that is not a plain lowercase identifier, naming the option', async () => {
    const client = await openPGlite();
    try {
      expect(() => new PostgresEventStore(client, { schema: 'Heed; drop table x' })).toThrow(UsageError);
      expect(() => new PostgresEventStore(client, { schema: 'Heed' })).toThrow(/option "schema": "Heed" must be lowercase/);
    } finally {
      await client.close();
    }
  });
  it('need no DDL rights once the schema is up to date: an application role granted only the tables appends, reads and projects', async () => {
    const client = await openPGlite();
    try {
      // At deploy time, an owner migrates; the application then runs as a role that may only use the tables.
      expect(await migrate(client, 'heed')).toEqual(migrations.map((m) => m.version));
      await client.exec(`create role heed_app;
        grant usage on schema heed to heed_app;
        grant select, insert, update, delete on all tables in schema heed to heed_app;
        set role heed_app`);
      const store = new PostgresEventStore(client);
      expect(await store.migrate()).toEqual([]);
      const at = '2024-03-01T09:00:00Z';
      await store.append('c', [{ customerId: 'c', type: 'RelationshipStarted', at, time: Date.parse(at), data: {} }]);
      expect((await store.readStream('c')).map((e) => e.id)).toEqual(['c:1']);
      const worker = new ProjectionWorker(store, { partitions: 2, clock: () => Date.parse(at) });
      try {
        await worker.runUntilIdle();
      } finally {
        await worker.stop();
      }
      expect(await client.query('select customer_id, events from heed.summaries')).toEqual([{ customer_id: 'c', events: 1 }]);
    } finally {
      await client.close();
    }
  });
});
