import { afterAll } from 'vitest';
import type { SqlClient } from '../../../src/postgres.js';
import { projectionFailuresSpec } from './projection-failures-spec.js';
import { freshSchema, serverClient } from './server.js';

let client: Promise<SqlClient> | undefined;
const schemas: string[] = [];
afterAll(async () => {
  const open = await client;
  for (const schema of schemas) await open?.exec(`drop schema if exists ${schema} cascade`);
  await open?.close();
});

projectionFailuresSpec('PostgreSQL server', async () => ({
  client: await (client ??= serverClient()),
  schema: () => {
    const schema = freshSchema('proj_failures');
    schemas.push(schema);
    return schema;
  },
}));
