import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePolicy, Engine } from '../../../src/index.js';
import { PostgresEventStore, ProjectionWorker, type BatchReport, type SqlClient } from '../../../src/postgres.js';
import { dumpTables, expectedDump, journeys, NOW, policies } from './projection-fixtures.js';
import { freshSchema, serverClient, serverUrl } from './server.js';

/** Projection workers on the real server: separate connections, real advisory locks, a real crash. */
describe('projection workers on the server', () => {
  let client: SqlClient;
  const schemas: string[] = [];
  beforeAll(async () => {
    client = await serverClient();
  });
  afterAll(async () => {
    for (const schema of schemas) await client.exec(`drop schema if exists ${schema} cascade`);
    await client.close();
  });
  const fresh = () => {
    const schema = freshSchema('proj');
    schemas.push(schema);
    return schema;
  };

  it('two workers share the partitions (one owner each) while writers append, and end with the same findings as one evaluation', async () => {
    const schema = fresh();
    const [clientA, clientB] = await Promise.all([serverClient(), serverClient()]);
    const storeA = new PostgresEventStore(clientA, { schema });
    const storeB = new PostgresEventStore(clientB, { schema });
    const options = { policies, clock: () => NOW, partitions: 8, batchSize: 5, pollInterval: 20 };
    const a = new ProjectionWorker(storeA, options);
    const b = new ProjectionWorker(storeB, options);
    const batches: (BatchReport & { worker: string })[] = [];
    a.on('batch', (r) => batches.push({ ...r, worker: 'a' }));
    b.on('batch', (r) => batches.push({ ...r, worker: 'b' }));
    const errors: unknown[] = [];
    a.on('error', (e) => errors.push(e));
    b.on('error', (e) => errors.push(e));
    try {
      const events = journeys(30);
      const writer = new Engine({ policies, store: storeA });
      await writer.record(events.slice(0, 40));
      a.start();
      b.start();
      for (let i = 40; i < events.length; i += 10) await writer.record(events.slice(i, i + 10));

      const expected = await expectedDump(events, NOW);
      const deadline = Date.now() + 20_000;
      for (;;) {
        const owned = [...a.owned(), ...b.owned()];
        const consumed = batches.reduce((sum, x) => sum + x.events, 0);
        if (owned.length === 8 && a.owned().length === 4 && consumed >= events.length && isDeepStrictEqual(await dumpTables(client, schema), expected)) break;
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(errors).toEqual([]);
      expect(await dumpTables(client, schema)).toEqual(expected);
      // One owner per partition, and both took part.
      expect([...a.owned(), ...b.owned()].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(a.owned().filter((p) => b.owned().includes(p))).toEqual([]);
      expect(a.owned().length).toBe(4);
      expect(new Set(batches.map((x) => x.worker))).toEqual(new Set(['a', 'b']));
      // Per partition, the committed batches form one chain: each starts where the previous ended
      // (no range read twice, none skipped), whichever worker ran it.
      for (let p = 0; p < 8; p++) {
        const chain = batches.filter((x) => x.partition === p && x.events > 0);
        chain.forEach((x, i) => expect(x.from).toEqual(i === 0 ? { transactionId: '0', position: 0 } : chain[i - 1]?.checkpoint));
      }
      expect(batches.reduce((sum, x) => sum + x.events, 0)).toBe(events.length);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await Promise.all([clientA.close(), clientB.close()]);
    }
  });

  it('retryFailed on one worker retries the failures of every partition, each by the worker that owns it', async () => {
    const schema = fresh();
    const [clientA, clientB] = await Promise.all([serverClient(), serverClient()]);
    const storeA = new PostgresEventStore(clientA, { schema });
    const storeB = new PostgresEventStore(clientB, { schema });
    const cause = { broken: true };
    const flaky = definePolicy({
      name: 'flaky',
      kinds: ['flaky.x'],
      initialState: () => ({}),
      evolve(_state, event) {
        if (cause.broken && event.type === 'MatterResolved') throw new Error('the rates service is down');
      },
    });
    const options = { policies: [...policies, flaky], clock: () => NOW, partitions: 2 };
    const a = new ProjectionWorker(storeA, options);
    const b = new ProjectionWorker(storeB, options);
    const batches: (BatchReport & { worker: string; owned: number[] })[] = [];
    a.on('batch', (r) => batches.push({ ...r, worker: 'a', owned: a.owned() }));
    b.on('batch', (r) => batches.push({ ...r, worker: 'b', owned: b.owned() }));
    try {
      const events = journeys(8); // the even customers' matters are resolved: the flaky policy fails on them
      await new Engine({ policies, store: storeA }).record(events);
      const failing = [...new Set(events.filter((e) => e.type === 'MatterResolved').map((e) => e.customerId))];
      const partitionOf = async (customerId: string) =>
        (await client.query<{ p: number }>('select (hashtext($1) & 2147483647) % 2 as p', [customerId]))[0]?.p;
      expect(new Set(await Promise.all(failing.map(partitionOf)))).toEqual(new Set([0, 1])); // failures in both partitions

      // a takes both partitions, b joins, a gives one back, b takes it: one owner each.
      await a.runOnce();
      await b.runOnce();
      await a.runOnce();
      await b.runOnce();
      expect(a.owned()).toHaveLength(1);
      expect(b.owned()).toHaveLength(1);
      expect(a.owned()[0]).not.toBe(b.owned()[0]);
      await a.runUntilIdle();
      await b.runUntilIdle(); // each has now seen its own partition's customers fail, and holds them
      const stuck = await client.query<{ customer_id: string }>(`select customer_id from ${schema}.projection_failures order by customer_id`);
      expect(stuck.map((r) => r.customer_id)).toEqual([...failing].sort());
      cause.broken = false;
      expect(await a.runUntilIdle()).toEqual([]);
      expect(await b.runUntilIdle()).toEqual([]);

      batches.length = 0;
      expect(await a.retryFailed()).toBe(failing.length); // asked of a only
      await a.runOnce();
      await b.runOnce();
      expect(await client.query(`select customer_id from ${schema}.projection_failures`)).toEqual([]);
      expect(batches.flatMap((x) => x.customers).sort()).toEqual([...failing].sort());
      expect(batches.flatMap((x) => x.failed)).toEqual([]);
      expect(new Set(batches.map((x) => x.worker))).toEqual(new Set(['a', 'b']));
      for (const x of batches) expect(x.owned).toContain(x.partition); // each retried by the owner of its partition
      expect(await dumpTables(client, schema)).toEqual(await expectedDump(events, NOW));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await Promise.all([clientA.close(), clientB.close()]);
    }
  });

  it('a worker process killed mid-batch is taken over, and the result equals an uninterrupted run', async () => {
    const events = journeys(12);
    const clean = fresh();
    const cleanStore = new PostgresEventStore(client, { schema: clean });
    await new Engine({ policies, store: cleanStore }).record(events);
    const uninterrupted = new ProjectionWorker(cleanStore, { policies, clock: () => NOW, partitions: 4, batchSize: 6 });
    await uninterrupted.runUntilIdle();
    await uninterrupted.stop();

    const schema = fresh();
    const store = new PostgresEventStore(client, { schema });
    await new Engine({ policies, store }).record(events);
    const script = fileURLToPath(new URL('../../fixtures/worker-process.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, serverUrl(), schema, '4', '6', String(NOW)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker process never reached its second batch: ${out} ${err}`)), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('mid-batch')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`worker process exited early (${String(code)}): ${out} ${err}`)));
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    // Exactly one batch was committed by the dead worker; the open one left nothing.
    const moved = await client.query<{ n: number }>(`select count(*)::int as n from ${schema}.checkpoints where global_position > 0`);
    expect(moved[0]?.n).toBe(1);

    const survivor = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 4, batchSize: 6 });
    const deadline = Date.now() + 15_000;
    // The server frees the dead session's locks as soon as it notices the closed connection.
    while (survivor.owned().length < 4 && Date.now() < deadline) {
      await survivor.runOnce();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(survivor.owned()).toEqual([0, 1, 2, 3]);
    await survivor.runUntilIdle();
    await survivor.stop();
    const dump = await dumpTables(client, schema);
    expect(dump).toEqual(await dumpTables(client, clean));
    expect(dump).toEqual(await expectedDump(events, NOW));
  });
});
