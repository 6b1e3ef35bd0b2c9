import { afterAll } from 'vitest';
import type { SqlClient } from '../../../src/postgres.js';
import { projectionCacheLimitsSpec } from './projection-cache-limits-spec.js';
import { projectionCacheSpec } from './projection-cache-spec.js';
import { freshSchema, serverClient } from './server.js';

let client: Promise<SqlClient> | undefined;
const schemas: string[] = [];
afterAll(async () => {
  const open = await client;
  for (const schema of schemas) await open?.exec(`drop schema if exists ${schema} cascade`);
  await open?.close();
});

const open = async () => ({
  client: await (client ??= serverClient()),
  schema: () => {
    const schema = freshSchema('proj_cache');
    schemas.push(schema);
    return schema;
  },
});
projectionCacheSpec('PostgreSQL server', open, 20);
projectionCacheLimitsSpec('PostgreSQL server', open);
