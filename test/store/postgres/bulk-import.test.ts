import { afterAll } from 'vitest';
import { openPGlite, PostgresEventStore, type SqlClient } from '../../../src/postgres.js';
import { bulkImportSpec } from './bulk-import-spec.js';

let db: Promise<SqlClient> | undefined;
let n = 0;
afterAll(async () => (await db)?.close());

bulkImportSpec('PGlite (multi-row inserts)', async () => {
  const client = await (db ??= openPGlite());
  const schema = `import_${++n}`;
  return { store: new PostgresEventStore(client, { schema }), cleanup: async () => client.exec(`drop schema ${schema} cascade`) };
});
