import { afterAll } from 'vitest';
import type { SqlClient } from '../../../src/postgres.js';
import { storeContract } from '../store-contract.js';
import { serverClient, serverStore } from './server.js';

let client: Promise<SqlClient> | undefined;
afterAll(async () => (await client)?.close());

storeContract('PostgreSQL server (HEED_PG_URL)', async () => serverStore(await (client ??= serverClient())));
