import { afterAll, expect, it } from 'vitest';
import type { SqlClient } from '../../../src/postgres.js';
import { bulkImportSpec } from './bulk-import-spec.js';
import { serverClient, serverStore } from './server.js';

let client: Promise<SqlClient> | undefined;
afterAll(async () => (await client)?.close());

it('the server client loads through COPY', async () => {
  expect((await (client ??= serverClient())).copyFrom).toBeTypeOf('function');
});

bulkImportSpec('PostgreSQL server (COPY)', async () => serverStore(await (client ??= serverClient())));
