import { afterAll, beforeAll } from 'vitest';
import { openPGlite, type SqlClient } from '../../../src/postgres.js';
import { keyOrderSpec } from './key-order-spec.js';

let client: SqlClient;
let n = 0;
beforeAll(async () => {
  client = await openPGlite();
});
afterAll(async () => client.close());

keyOrderSpec('PGlite', async () => ({ client, schema: () => `key_order_${++n}` }));
