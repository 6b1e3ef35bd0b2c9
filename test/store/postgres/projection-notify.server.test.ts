import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/index.js';
import { pgClient, PostgresEventStore, ProjectionWorker, type SqlClient } from '../../../src/postgres.js';
import { nextBatch, startResting } from './notify-helpers.js';
import { at, NOW, policies } from './projection-fixtures.js';
import { projectionNotifySpec } from './projection-notify-spec.js';
import { freshSchema, serverUrl } from './server.js';

// A pool of two connections: a worker's lock session and one for everything else, so that after
// stop() the two sessions taken by `listening` are all the connections there are.
let client: SqlClient;
const schemas: string[] = [];
beforeAll(async () => {
  client = await pgClient(new pg.Pool({ connectionString: serverUrl(), max: 2 }), { ownsPool: true });
});
afterAll(async () => {
  for (const schema of schemas) await client.exec(`drop schema if exists ${schema} cascade`);
  await client.close();
});

projectionNotifySpec('PostgreSQL server', async () => ({
  client,
  schema: () => {
    const schema = freshSchema('notify');
    schemas.push(schema);
    return schema;
  },
  listening: async () => {
    const sessions = [await client.session(), await client.session()];
    try {
      const rows = await Promise.all(sessions.map((s) => s.query<{ c: string }>('select pg_listening_channels() as c')));
      return rows.flat().map((r) => r.c);
    } finally {
      for (const session of sessions) await session.release();
    }
  },
}));

/** A connection string whose connections can be told apart in pg_stat_activity. */
function taggedUrl(tag: string): string {
  const url = new URL(serverUrl());
  url.searchParams.set('application_name', tag);
  return url.toString();
}

/**
 * Ends the connection tagged `tag` that holds advisory locks (a worker's lock session, which also
 * listens), and waits until the server has closed it. The pool's other connections live on, so the
 * worker's next pass does not meet one of them dying too (which would be a second failure, and a
 * retry after `pollInterval`).
 */
async function terminateLockSession(tag: string): Promise<void> {
  const holders = `select a.pid from pg_stat_activity a where a.application_name = $1 and exists (select 1 from pg_locks l where l.pid = a.pid and l.locktype = 'advisory')`;
  const found = await client.query<{ pid: number }>(holders, [tag]);
  expect(found).toHaveLength(1);
  const pid = found[0]?.pid;
  await client.query('select pg_terminate_backend($1)', [pid]);
  for (;;) {
    const left = await client.query('select 1 from pg_stat_activity where pid = $1', [pid]);
    if (left.length === 0) return;
  }
}

describe('a worker whose listening connection is lost (PostgreSQL server)', () => {
  it('reports it as error at once (not at its next poll, an hour later), takes a new connection, listens again and projects the next event at once', async () => {
    const schema = freshSchema('notify_lost');
    schemas.push(schema);
    const store = await PostgresEventStore.connect(taggedUrl(schema), { schema, notify: true });
    const worker = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1, pollInterval: 3_600_000 });
    const errors: unknown[] = [];
    worker.on('error', (error) => errors.push(error));
    try {
      const count = await startResting(worker);
      const failed = new Promise((resolve) => worker.once('error', resolve));
      const recovered = count.idle(); // the pass right after the failure, on a new connection
      await terminateLockSession(schema);
      expect(String(await failed)).toMatch(/terminat/);
      await recovered;
      expect(worker.owned()).toEqual([0]);

      const batch = nextBatch(worker);
      await new Engine({ policies, store }).record({ id: 'a-1', customerId: 'a', type: 'MatterOpened', at: at(1), data: { matterId: 'm1' } });
      expect((await batch).customers).toEqual(['a']);
      expect(errors).toHaveLength(1);
    } finally {
      await worker.stop();
      await store.close();
    }
  });
});
