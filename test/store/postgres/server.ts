import { afterAll } from 'vitest';
import { PostgresEventStore, pgClient, type SqlClient } from '../../../src/postgres.js';

/**
 * The PostgreSQL server for `*.server.test.ts` files. vitest.config.ts includes those files only
 * when HEED_PG_URL is set (`.ci/run` always sets it, to a fresh database), so without a server
 * they are not collected rather than skipped.
 */
export function serverUrl(): string {
  const url = process.env.HEED_PG_URL;
  if (url === undefined || url === '') throw new Error('HEED_PG_URL is not set: server tests need a PostgreSQL server (see README, "Running the tests")');
  return url;
}

let schemas = 0;
/** A schema name unique to this process and test, so parallel runs on one database never meet. */
export function freshSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${++schemas}_${Date.now() % 100000}`;
}

export async function serverClient(): Promise<SqlClient> {
  return pgClient(serverUrl());
}

export async function serverStore(client: SqlClient, schema = freshSchema('t')): Promise<{ store: PostgresEventStore; cleanup: () => Promise<void> }> {
  return {
    store: new PostgresEventStore(client, { schema }),
    cleanup: async () => void (await client.exec(`drop schema if exists ${schema} cascade`)),
  };
}

/**
 * For a test file of specs that each open a database: one server connection for the file, a fresh
 * schema (named from `prefix`) for every `schema()` call, all dropped and the connection closed
 * when the file's tests are done. Call it at the top level of the file.
 */
export function serverDatabase(prefix: string): () => Promise<{ readonly client: SqlClient; schema(): string }> {
  let client: Promise<SqlClient> | undefined;
  const schemas: string[] = [];
  afterAll(async () => {
    const open = await client;
    for (const schema of schemas) await open?.exec(`drop schema if exists ${schema} cascade`);
    await open?.close();
  });
  return async () => ({
    client: await (client ??= serverClient()),
    schema: () => {
      const schema = freshSchema(prefix);
      schemas.push(schema);
      return schema;
    },
  });
}
