import { afterAll, beforeAll } from 'vitest';
import { openPGlite, type SqlClient } from '../../../src/postgres.js';
import { projectionCacheSpec } from './projection-cache-spec.js';

let client: SqlClient;
let n = 0;
beforeAll(async () => {
  client = await openPGlite();
});
afterAll(async () => client.close());

projectionCacheSpec('PGlite', async () => ({ client, schema: () => `proj_cache_${++n}` }), 20);
