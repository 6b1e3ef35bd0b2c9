import { afterAll, beforeAll } from 'vitest';
import { openPGlite, type SqlClient } from '../../../src/postgres.js';
import { projectionCacheLimitsSpec } from './projection-cache-limits-spec.js';
import { projectionCacheSpec } from './projection-cache-spec.js';

let client: SqlClient;
let n = 0;
beforeAll(async () => {
  client = await openPGlite();
});
afterAll(async () => client.close());

const open = async () => ({ client, schema: () => `proj_cache_${++n}` });
projectionCacheSpec('PGlite', open, 20);
projectionCacheLimitsSpec('PGlite', open);
