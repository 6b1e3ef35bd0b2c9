import { afterAll, beforeAll } from 'vitest';
import { openPGlite, type SqlClient } from '../../../src/postgres.js';
import { projectionFailuresSpec } from './projection-failures-spec.js';

let client: SqlClient;
let n = 0;
beforeAll(async () => {
  client = await openPGlite();
});
afterAll(async () => client.close());

projectionFailuresSpec('PGlite', async () => ({ client, schema: () => `proj_failures_${++n}` }));
