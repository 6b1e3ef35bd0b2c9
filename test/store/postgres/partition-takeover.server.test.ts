import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/index.js';
import { PostgresEventStore, ProjectionWorker, type SqlClient } from '../../../src/postgres.js';
import { startResting, withSessions } from './notify-helpers.js';
import { dumpTables, expectedDump, journeys, NOW, policies } from './projection-fixtures.js';
import { freshSchema, serverClient } from './server.js';

/** A poll interval no test waits out: whatever happens within DEADLINE did not wait for a poll. */
const MINUTE = 60_000;
/** Far below MINUTE, far above the default `rebalanceInterval` (1 s) and a loaded machine's delays. */
const DEADLINE = 15_000;

/** Waits until `done()` holds, or DEADLINE passes (the test's assertions then say what is missing). */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + DEADLINE;
  while (!(await done()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * With `notify` on, `pollInterval` may be long (a worker wakes at once for its own partitions'
 * events), but a worker that died or joined must not wait for it: a resting worker checks its
 * partition leases every `rebalanceInterval`, independently of `pollInterval`.
 */
describe('partition take-over while workers rest for a long poll interval (PostgreSQL server)', () => {
  let client: SqlClient;
  const clients: SqlClient[] = [];
  const schemas: string[] = [];
  beforeAll(async () => {
    client = await serverClient();
  });
  afterAll(async () => {
    for (const schema of schemas) await client.exec(`drop schema if exists ${schema} cascade`);
    await client.close();
  });
  /** A notifying store on a connection pool of its own (its worker's locks are its own session's). */
  const storeOn = async (schema: string) => {
    const own = await serverClient();
    clients.push(own);
    return new PostgresEventStore(own, { schema, notify: true });
  };
  const closeAll = async () => {
    for (const c of clients.splice(0)) await c.close();
  };
  const fresh = () => {
    const schema = freshSchema('takeover');
    schemas.push(schema);
    return schema;
  };

  it('a worker resting for a minute takes over the partitions of a worker that crashed (its locks dropped, nothing released), and projects their events, long before its next poll', async () => {
    const schema = fresh();
    const [storeA, storeB] = [await storeOn(schema), await storeOn(schema)];
    const a = new ProjectionWorker(storeA, { policies, clock: () => NOW, partitions: 4, pollInterval: MINUTE });
    const b = new ProjectionWorker(storeB, { policies, clock: () => NOW, partitions: 4, pollInterval: MINUTE });
    const errors: unknown[] = [];
    b.on('error', (error) => errors.push(error));
    try {
      expect(await a.runOnce()).toEqual({ partitions: [0, 1, 2, 3], batches: [] }); // alone: a takes every partition
      const count = await startResting(b); // b's first pass: two workers, but a holds all four; b rests a minute
      expect(b.owned()).toEqual([]);
      expect(count.count).toBe(1);

      const events = journeys(12);
      await new Engine({ policies, store: storeA }).record(events); // in a's partitions: b hears them and does not wake
      await a.crash(); // a's session ends without unlocking anything, as a killed process's does
      const expected = await expectedDump(events, NOW);
      await until(async () => b.owned().length === 4 && isDeepStrictEqual(await dumpTables(client, schema), expected));

      expect(b.owned()).toEqual([0, 1, 2, 3]);
      expect(await dumpTables(client, schema)).toEqual(expected);
      expect(errors).toEqual([]);
    } finally {
      await b.stop();
      await a.stop();
      await closeAll();
    }
  });

  it('a worker that joins gets its fair share long before the resting owner polls again: the owner gives partitions back while it rests', async () => {
    const schema = fresh();
    const [storeA, storeB] = [await storeOn(schema), await storeOn(schema)];
    const a = new ProjectionWorker(storeA, { policies, clock: () => NOW, partitions: 4, pollInterval: MINUTE });
    const b = new ProjectionWorker(storeB, { policies, clock: () => NOW, partitions: 4, pollInterval: MINUTE });
    const errors: unknown[] = [];
    a.on('error', (error) => errors.push(error));
    b.on('error', (error) => errors.push(error));
    try {
      const countA = await startResting(a);
      expect(a.owned()).toEqual([0, 1, 2, 3]);
      const countB = await startResting(b);

      await until(() => a.owned().length === 2 && b.owned().length === 2);
      expect([a.owned().length, b.owned().length]).toEqual([2, 2]);
      expect([...a.owned(), ...b.owned()].sort()).toEqual([0, 1, 2, 3]);
      expect(countA.count).toBe(1); // a gave them back while resting, without a pass
      expect(errors).toEqual([]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await closeAll();
    }
  });

  it('a lease check that fails while the worker rests is reported as a failed pass, and a pass runs at once on a new lock session', async () => {
    const schema = fresh();
    const own = await serverClient();
    clients.push(own);
    let failNext = false;
    const failing = withSessions(own, (session) => {
      const query: typeof session.query = async (text, params, name) => {
        if (!failNext) return session.query(text, params, name);
        failNext = false;
        throw new Error('lease check failed');
      };
      return { ...session, query };
    });
    const worker = new ProjectionWorker(new PostgresEventStore(failing, { schema }), { policies, clock: () => NOW, partitions: 2, pollInterval: MINUTE });
    const errors: unknown[] = [];
    worker.on('error', (error) => errors.push(error));
    try {
      const count = await startResting(worker);
      expect(worker.owned()).toEqual([0, 1]);
      failNext = true; // the lock session's next query: the lease check, a pass being a minute away

      await until(() => errors.length > 0 && count.count > 1 && worker.owned().length === 2);
      expect(errors.map(String)).toEqual(['Error: lease check failed']);
      expect(count.count).toBe(2); // one pass, at once, which took the partitions again
      expect(worker.owned()).toEqual([0, 1]);
    } finally {
      await worker.stop();
      await closeAll();
    }
  });

  it('a rebalanceInterval at least as long as the rest leaves take-over to the passes', async () => {
    const schema = fresh();
    const [storeA, storeB] = [await storeOn(schema), await storeOn(schema)];
    const a = new ProjectionWorker(storeA, { policies, clock: () => NOW, partitions: 4 });
    const b = new ProjectionWorker(storeB, { policies, clock: () => NOW, partitions: 4, pollInterval: MINUTE, rebalanceInterval: MINUTE });
    try {
      await a.runOnce();
      const count = await startResting(b);
      await a.crash();
      await new Promise((resolve) => setTimeout(resolve, 2_000)); // two default rebalance intervals
      expect(b.owned()).toEqual([]);
      expect(count.count).toBe(1);
    } finally {
      await b.stop();
      await a.stop();
      await closeAll();
    }
  });
});
