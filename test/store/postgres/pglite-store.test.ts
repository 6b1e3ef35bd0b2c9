import { afterAll } from 'vitest';
import { openPGlite, PostgresEventStore, type SqlClient } from '../../../src/postgres.js';
import { storeContract } from '../store-contract.js';

// One PGlite database for the file (starting one takes a second or two); each test gets a fresh schema.
let db: Promise<SqlClient> | undefined;
let n = 0;
afterAll(async () => (await db)?.close());

storeContract('PostgreSQL in PGlite', async () => {
  const client = await (db ??= openPGlite());
  const schema = `contract_${++n}`;
  return {
    store: new PostgresEventStore(client, { schema }),
    cleanup: async () => void (await client.exec(`drop schema ${schema} cascade`)),
  };
});
