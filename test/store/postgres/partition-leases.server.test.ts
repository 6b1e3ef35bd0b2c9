import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HeedError } from '../../../src/errors.js';
import type { SqlClient } from '../../../src/postgres.js';
import { PartitionLeases } from '../../../src/store/postgres/partition-leases.js';
import { withSessions } from './notify-helpers.js';
import { freshSchema, serverClient } from './server.js';

/**
 * Joining the workers never waits on a lock: two workers that drew the same member id (the old
 * Math.random id made that possible, and the second one then waited forever in pg_advisory_lock)
 * both join, and a worker that cannot join fails with a clear error instead of hanging.
 */
describe('partition leases on the server', () => {
  let client: SqlClient;
  beforeAll(async () => {
    client = await serverClient();
  });
  afterAll(async () => {
    await client.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Fails the test after `ms` instead of letting a lock wait hang it. */
  const within = <T>(ms: number, promise: Promise<T>) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))]);

  it('two workers whose member ids were drawn alike both join at once and split the partitions', async () => {
    const uuid = '00000000-0000-4000-8000-000000000000';
    const random = globalThis.crypto.randomUUID.bind(globalThis.crypto);
    vi.spyOn(globalThis.crypto, 'randomUUID').mockReturnValueOnce(uuid).mockReturnValueOnce(uuid).mockImplementation(random);
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const namespace = freshSchema('leases');
    const a = new PartitionLeases(client, namespace, 8);
    const b = new PartitionLeases(client, namespace, 8);
    try {
      await within(5000, a.rebalance());
      await within(5000, b.rebalance());
      await within(5000, a.rebalance()); // a sees two members now and gives half back
      await within(5000, b.rebalance());
      expect([a.owned().length, b.owned().length]).toEqual([4, 4]);
      expect([...a.owned(), ...b.owned()].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    } finally {
      await Promise.all([a.release(), b.release()]);
    }
  });

  it('a worker below its share tries only the partitions no session holds: with none free, a rebalance is one query', async () => {
    const namespace = freshSchema('leases');
    const statements: string[] = [];
    const watched = withSessions(client, (session) => ({ ...session, query: (text, params, name) => (statements.push(text), session.query(text, params, name)) }));
    const a = new PartitionLeases(client, namespace, 8);
    const b = new PartitionLeases(watched, namespace, 8);
    try {
      expect(await within(5000, a.rebalance())).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      await within(5000, b.rebalance()); // joins (its member lock), finds every partition held
      statements.length = 0;
      expect(await within(5000, b.rebalance())).toEqual([]); // what a resting worker does every rebalanceInterval
      expect(statements).toHaveLength(1);
      expect(await within(5000, a.rebalance())).toHaveLength(4); // a sees two workers and gives half back
      expect(await within(5000, b.rebalance())).toHaveLength(4); // b takes the freed half
      expect(a.owned().filter((p) => b.owned().includes(p))).toEqual([]);
    } finally {
      await Promise.all([a.release(), b.release()]);
    }
  });

  it('a worker that keeps drawing taken member ids gives up with a clear error, and joins once the id is free', async () => {
    vi.spyOn(globalThis.crypto, 'randomUUID').mockReturnValue('00000000-0000-4000-8000-000000000001');
    vi.spyOn(Math, 'random').mockReturnValue(0.25);
    const namespace = freshSchema('leases');
    const a = new PartitionLeases(client, namespace, 4);
    const b = new PartitionLeases(client, namespace, 4);
    try {
      await within(5000, a.rebalance());
      const failure = await within(5000, b.rebalance()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(HeedError);
      expect(failure).toMatchObject({ code: 'HEED_WORKER_JOIN', message: expect.stringContaining(`could not join the workers of "${namespace}"`) as string });
      expect(b.owned()).toEqual([]);
      await a.release();
      expect(await within(5000, b.rebalance())).toEqual([0, 1, 2, 3]);
    } finally {
      await Promise.all([a.release(), b.release()]);
    }
  });
});
