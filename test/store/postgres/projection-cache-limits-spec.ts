import { describe, expect, it } from 'vitest';
import { Engine, type EventInput } from '../../../src/index.js';
import { PostgresEventStore, ProjectionWorker } from '../../../src/postgres.js';
import type { ProjectionDb } from './projection-cache-spec.js';
import { at, contact, dumpTables, expectedDump, journeys, NOW, policies } from './projection-fixtures.js';
import { ReadingStore } from './reading-store.js';

/**
 * One more call of a customer (numbered `n`) recorded, and the worker run until idle: its rows must
 * be those of an evaluation from scratch. Returns the stream reads the worker made, as
 * [customer, fromVersion, events].
 */
function toucher(db: ProjectionDb, store: ReadingStore, writer: Engine, events: EventInput[]) {
  return async (worker: ProjectionWorker, customerId: string, n: number): Promise<unknown[][]> => {
    const event = contact(`more-${customerId}-${n}`, customerId, at(10 + n));
    await writer.record(event);
    events.push(event);
    store.take();
    await worker.runUntilIdle();
    expect(await dumpTables(db.client, store.schema)).toEqual(await expectedDump(events, NOW));
    return store.take().map((r) => [r.customerId, r.fromVersion, r.events]);
  };
}

/**
 * The projection worker's evaluation cache within its limits (`cacheSize` customers, `cacheEvents`
 * events): least recently used customers are dropped and read whole again, with the same rows.
 */
export function projectionCacheLimitsSpec(name: string, open: () => Promise<ProjectionDb>): void {
  describe(`projection worker evaluation cache limits (${name})`, { timeout: 240_000 }, () => {
    it('with cacheSize 1 and two customers, evicts the least recently used, reads it whole again, and writes the same rows', async () => {
      const db = await open();
      const store = new ReadingStore(db.client, { schema: db.schema() });
      const writer = new Engine({ policies, store });
      const events: EventInput[] = journeys(2);
      await writer.record(events);
      const worker = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1, cacheSize: 1 });
      const touch = toucher(db, store, writer, events).bind(undefined, worker);
      await worker.runUntilIdle();
      // cust-000 (5 events) then cust-001 (3): the cache keeps cust-001, the last evaluated.
      expect(store.take().map((r) => [r.customerId, r.fromVersion, r.events])).toEqual([
        ['cust-000', undefined, 5],
        ['cust-001', undefined, 3],
      ]);
      expect(await touch('cust-000', 1)).toEqual([['cust-000', undefined, 6]]); // evicted: read whole
      expect(await touch('cust-000', 2)).toEqual([['cust-000', 6, 2]]); // now the cached one
      expect(await touch('cust-001', 3)).toEqual([['cust-001', undefined, 4]]); // evicted by cust-000
      expect(await touch('cust-001', 4)).toEqual([['cust-001', 4, 2]]);
      await worker.stop();
    });

    it('with cacheEvents, keeps customers while their streams hold that many events together, and never one longer than that alone', async () => {
      const db = await open();
      const store = new ReadingStore(db.client, { schema: db.schema() });
      const writer = new Engine({ policies, store });
      const events: EventInput[] = journeys(2); // cust-000: 5 events, cust-001: 3
      await writer.record(events);
      const touch = toucher(db, store, writer, events);
      // 10 events: both are kept while their streams hold 10 together.
      const both = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1, cacheEvents: 10 });
      await both.runUntilIdle();
      expect(await touch(both, 'cust-000', 1)).toEqual([['cust-000', 5, 2]]); // 6 + 3
      expect(await touch(both, 'cust-001', 2)).toEqual([['cust-001', 3, 2]]); // 6 + 4
      expect(await touch(both, 'cust-000', 3)).toEqual([['cust-000', 6, 2]]); // 7 + 4 > 10: cust-001, the least recently used, dropped
      expect(await touch(both, 'cust-001', 4)).toEqual([['cust-001', undefined, 5]]); // read whole; 7 + 5 > 10: cust-000 dropped
      expect(await touch(both, 'cust-000', 5)).toEqual([['cust-000', undefined, 8]]);
      await both.stop();
      // 6 events: cust-000 (8 events now) alone is over the limit, so it is never kept; cust-001 is, until it grows past 6.
      const small = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1, cacheEvents: 6 });
      expect(await touch(small, 'cust-000', 6)).toEqual([['cust-000', undefined, 9]]);
      expect(await touch(small, 'cust-000', 7)).toEqual([['cust-000', undefined, 10]]);
      expect(await touch(small, 'cust-001', 8)).toEqual([['cust-001', undefined, 6]]);
      expect(await touch(small, 'cust-001', 9)).toEqual([['cust-001', 6, 2]]); // 7 events now: not kept
      expect(await touch(small, 'cust-001', 10)).toEqual([['cust-001', undefined, 8]]);
      await small.stop();
    });
    it('validates cacheSize and cacheEvents like the other options: a non-negative integer, 0 allowed', async () => {
      const db = await open();
      const store = new PostgresEventStore(db.client, { schema: db.schema() });
      for (const option of ['cacheSize', 'cacheEvents'] as const) {
        for (const bad of [-1, 1.5, Number.NaN]) {
          expect(() => new ProjectionWorker(store, { policies, [option]: bad })).toThrow(`ProjectionWorker: option "${option}" must be a non-negative integer, got ${String(bad)}`);
        }
        expect(() => new ProjectionWorker(store, { policies, [option]: 0 })).not.toThrow();
      }
    });
  });
}
