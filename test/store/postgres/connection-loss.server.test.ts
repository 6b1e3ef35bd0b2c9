import { afterAll, beforeAll, expect, it } from 'vitest';
import { Engine } from '../../../src/index.js';
import { PostgresEventStore, ProjectionWorker, type SqlClient } from '../../../src/postgres.js';
import { journeys, NOW, policies } from './projection-fixtures.js';
import { freshSchema, serverClient, serverUrl } from './server.js';

/**
 * A server restart (or an administrator, or a proxy) ends heed's connections. `pg` reports a
 * connection that dies while nobody queries it as an `error` event on the connection (and on the
 * pool for an idle one): unlistened, Node ends the process. heed must take it as a failed query at
 * most, so the worker waits the outage out as the README promises.
 */
let admin: SqlClient;
const schemas: string[] = [];
beforeAll(async () => {
  admin = await serverClient();
});
afterAll(async () => {
  for (const schema of schemas) await admin.exec(`drop schema if exists ${schema} cascade`);
  await admin.close();
});

/** A connection string whose connections can be told apart in pg_stat_activity. */
function taggedUrl(tag: string): string {
  const url = new URL(serverUrl());
  url.searchParams.set('application_name', tag);
  return url.toString();
}

/** Ends every server connection tagged `tag`, and waits until the server has closed them all. */
async function terminate(tag: string): Promise<number> {
  const [row] = await admin.query<{ n: number }>(`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = $1`, [tag]);
  for (;;) {
    const [left] = await admin.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where application_name = $1`, [tag]);
    if (Number(left?.n) === 0) return Number(row?.n);
  }
}

it('a worker whose connections are terminated (idle pooled ones and its lock session) reports the failure and carries on; the process survives', async () => {
  const schema = freshSchema('lost');
  schemas.push(schema);
  const tag = schema;
  const store = await PostgresEventStore.connect(taggedUrl(tag), { schema });
  const worker = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 2 });
  const errors: unknown[] = [];
  worker.on('error', (e) => errors.push(e));
  try {
    const events = journeys(4);
    const writer = new Engine({ policies, store });
    await writer.record(events.slice(0, 10));
    await worker.runUntilIdle();
    // The pool holds idle connections, and the worker its lock session: all of them go.
    expect(await terminate(tag)).toBeGreaterThanOrEqual(2);
    // Let the dead sockets' messages be read before anything queries again.
    await new Promise((resolve) => setImmediate(resolve));

    await writer.record(events.slice(10));
    // The first pass finds its lock session dead (a failed pass, which a started worker retries);
    // the worker then takes its partitions again on a new session and catches up.
    await worker.runOnce().catch((error: unknown) => errors.push(error));
    expect(errors).toHaveLength(1); // its lock session was gone: that pass failed, as a query would
    await worker.runUntilIdle();
    const [row] = await admin.query<{ n: number }>(`select count(*)::int as n from ${schema}.summaries`);
    expect(Number(row?.n)).toBe(4);
    expect(worker.owned()).toEqual([0, 1]);
  } finally {
    await worker.stop();
    await store.close();
  }
});
