import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/index.js';
import { migrate, migrations, openPGlite, PostgresEventStore, schemaVersion } from '../../../src/postgres.js';

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
      expect(tables.map((t) => t.table_name)).toEqual(['checkpoints', 'events', 'findings', 'migrations', 'streams', 'summaries', 'wake_times']);
      expect(await migrate(client, 'other')).toEqual(migrations.map((m) => m.version));
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
});
