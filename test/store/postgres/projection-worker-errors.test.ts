import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/index.js';
import { openPGlite, PostgresEventStore, ProjectionWorker, type SqlClient } from '../../../src/postgres.js';
import { dumpTables, expectedDump, journeys, NOW, policies } from './projection-fixtures.js';

/**
 * A background worker's failures are never silent: eventemitter3 drops an `error` event nobody
 * listens to, so without a listener the worker stops at the first failure and `stopped` rejects;
 * with one, it retries (up to `maxConsecutiveFailures`).
 */
let client: SqlClient;
let n = 0;
beforeAll(async () => {
  client = await openPGlite();
});
afterAll(async () => client.close());

async function fresh(customers: number): Promise<{ store: PostgresEventStore; schema: string; events: ReturnType<typeof journeys> }> {
  const schema = `proj_errors_${++n}`;
  const store = new PostgresEventStore(client, { schema });
  const events = journeys(customers);
  await new Engine({ policies, store }).record(events);
  return { store, schema, events };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Each test starts PGlite (WASM Postgres) and waits out retry intervals: ~5 s on a quiet machine, past 30 s under heavy load.
describe('projection worker failures (PGlite)', { timeout: 90_000 }, () => {
  it('started with no error listener: stops at the first failure, gives its partitions back, and `stopped` rejects with the error', async () => {
    const { store } = await fresh(3);
    let attempts = 0;
    const worker = new ProjectionWorker(store, {
      policies,
      clock: () => NOW,
      partitions: 2,
      pollInterval: 5,
      beforeCommit: () => {
        attempts++;
        throw new Error('injected: the database went away');
      },
    });
    const stopped = worker.start().stopped;
    await expect(stopped).rejects.toThrow('injected: the database went away');
    await sleep(50); // time for several more passes, had it kept retrying
    expect(attempts).toBe(1);
    expect(worker.owned()).toEqual([]);
    await worker.stop();
  });

  it('with an error listener: reports each failure and retries, then catches up; `stopped` resolves after stop()', async () => {
    const { store, schema, events } = await fresh(4);
    let attempts = 0;
    const worker = new ProjectionWorker(store, {
      policies,
      clock: () => NOW,
      partitions: 2,
      pollInterval: 5,
      beforeCommit: () => {
        if (++attempts <= 2) throw new Error(`injected failure ${attempts}`);
      },
    });
    const errors: string[] = [];
    worker.on('error', (error) => errors.push((error as Error).message));
    worker.start();
    const expected = await expectedDump(events, NOW);
    for (let i = 0; i < 400 && JSON.stringify(await dumpTables(client, schema)) !== JSON.stringify(expected); i++) await sleep(10);
    await worker.stop();
    await expect(worker.stopped).resolves.toBeUndefined();
    expect(errors).toEqual(['injected failure 1', 'injected failure 2']);
    expect(await dumpTables(client, schema)).toEqual(expected);
  });

  it('with an error listener and maxConsecutiveFailures: gives up after that many failures in a row', async () => {
    const { store } = await fresh(2);
    let attempts = 0;
    const worker = new ProjectionWorker(store, {
      policies,
      clock: () => NOW,
      partitions: 2,
      pollInterval: 5,
      maxConsecutiveFailures: 3,
      beforeCommit: () => {
        throw new Error(`injected failure ${++attempts}`);
      },
    });
    const errors: string[] = [];
    worker.on('error', (error) => errors.push((error as Error).message));
    await expect(worker.start().stopped).rejects.toThrow('injected failure 3');
    expect(errors).toEqual(['injected failure 1', 'injected failure 2', 'injected failure 3']);
    expect(worker.owned()).toEqual([]);
    expect(() => new ProjectionWorker(store, { policies, maxConsecutiveFailures: 0 })).toThrow(/option "maxConsecutiveFailures" must be a positive integer, got 0/);
  });
});
