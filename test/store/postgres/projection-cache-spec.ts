import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinPolicies, Engine, UsageError, type EventInput } from '../../../src/index.js';
import {
  evaluateCustomer,
  evaluationSetup,
  PostgresEventStore,
  ProjectionError,
  ProjectionWorker,
  type BatchReport,
  type SqlClient,
  type SqlExecutor,
} from '../../../src/postgres.js';
import { fragile } from '../../fixtures/fragile-policy.js';
import { backdatedOrder, journeyArbitrary } from '../../fixtures/journeys.js';
import { ledger } from '../../fixtures/ledger-policy.js';
import { at, contact, DAY, dumpTables, type Dump, expectedDump, journeys, NOW, policies, START } from './projection-fixtures.js';
import { ReadingStore } from './reading-store.js';

/** Where the projection cache tests run: a client, and a schema no other test uses for each call. */
export interface ProjectionDb {
  readonly client: SqlClient;
  schema(): string;
}

const HOUR = 3_600_000;

/** The rows of some customers only. */
function only(dump: Dump, customers: readonly string[]): Dump {
  const keep = (rows: readonly unknown[]) => rows.filter((r) => customers.includes((r as { customer_id: string }).customer_id));
  return { findings: keep(dump.findings), summaries: keep(dump.summaries), wakes: keep(dump.wakes) };
}

/** Every read-model row as PostgreSQL prints it (all columns but `updated_at`, a wall-clock time): equal text, equal bytes. */
async function rowsAsText(db: SqlExecutor, schema: string): Promise<{ findings: string[]; summaries: string[]; wakes: string[] }> {
  const text = async (sql: string) => (await db.query<{ row: string }>(sql)).map((r) => r.row);
  return {
    findings: await text(
      `select (customer_id, key, kind, matter_id, detected_at, severity, message, evidence, details)::text as row from ${schema}.findings order by customer_id, key`,
    ),
    summaries: await text(`select (customer_id, summary, events, last_event_at, as_of, next_wake_at)::text as row from ${schema}.summaries order by customer_id`),
    wakes: await text(`select (customer_id, wake_at)::text as row from ${schema}.wake_times order by customer_id`),
  };
}

/** What a batch did, without the checkpoints (transaction ids differ between schemas). */
const done = (batches: readonly BatchReport[]) => batches.map((b) => ({ partition: b.partition, events: b.events, wakes: b.wakes, customers: b.customers }));

/**
 * The projection worker's evaluation cache (EvaluationCache): a customer touched again is continued
 * from the engine that evaluated it, reading only what was appended since, and the rows are those
 * of an evaluation from scratch, byte for byte.
 */
export function projectionCacheSpec(name: string, open: () => Promise<ProjectionDb>, runs: number): void {
  describe(`projection worker evaluation cache (${name})`, { timeout: 240_000 }, () => {
    it('writes byte-identical rows to a worker without cache, after every pass, however events arrive and the clock moves', async () => {
      const db = await open();
      // The built-in policies wake often (inattention's silence clock), which makes most late events
      // re-evaluate the stream; the fixture policy alone wakes only when a promise falls due, so
      // late events are mostly folded on top of the cached state: both paths must hold.
      const policySets = [[ledger], [ledger, ...builtinPolicies]];
      const config = { calendar: { timeZone: 'America/Denver', holidays: ['2017-11-23'] } };
      const step = fc.oneof(
        { weight: 3, arbitrary: fc.record({ op: fc.constant('append' as const), n: fc.integer({ min: 1, max: 4 }) }) },
        { weight: 3, arbitrary: fc.record({ op: fc.constant('pass' as const) }) },
        // Mostly forward; sometimes back (a worker's clock is not trusted to be monotonic either).
        { weight: 1, arbitrary: fc.record({ op: fc.constant('clock' as const), hours: fc.integer({ min: -30, max: 80 }) }) },
        // A projection's usual clock: a little after the events it is about to see (they arrive before it).
        { weight: 2, arbitrary: fc.record({ op: fc.constant('lead' as const), hours: fc.integer({ min: 0, max: 48 }) }) },
      );
      let continued = 0;
      let whole = 0;
      await fc.assert(
        fc.asyncProperty(
          journeyArbitrary({ customers: 4, maxSteps: 18 }),
          fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 12 }),
          fc.array(step, { minLength: 1, maxLength: 40 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: -24, max: 72 }),
          fc.constantFrom(...policySets),
          async (journey, delays, steps, chunk, cacheSize, batchSize, startHours, all) => {
            // Arrival order: in time order, with some events late (backdated), ties at one instant kept together.
            const feed = backdatedOrder(journey, delays);
            const cached = new ReadingStore(db.client, { schema: db.schema() });
            const reference = new PostgresEventStore(db.client, { schema: db.schema() });
            const writers = [new Engine({ policies: all, config, store: cached }), new Engine({ policies: all, config, store: reference })];
            let now = Date.parse(journey[0]?.at ?? at(0)) + startHours * HOUR;
            const options = { policies: all, config, clock: () => now, partitions: 2, batchSize };
            const withCache = new ProjectionWorker(cached, { ...options, cacheSize });
            const fromScratch = new ProjectionWorker(reference, { ...options, cacheSize: 0 });
            let next = 0;
            const append = async (n: number) => {
              const batch = feed.slice(next, next + n);
              next += batch.length;
              if (batch.length > 0) for (const writer of writers) await writer.record(batch);
            };
            const compare = async () => expect(await rowsAsText(db.client, cached.schema)).toEqual(await rowsAsText(db.client, reference.schema));
            const pass = async () => {
              expect(done((await withCache.runOnce()).batches)).toEqual(done((await fromScratch.runOnce()).batches));
              await compare();
            };
            try {
              for (const s of steps) {
                if (s.op === 'append') await append(s.n);
                else if (s.op === 'clock') now += s.hours * HOUR;
                else if (s.op === 'lead') now = Date.parse((feed[next] ?? feed.at(-1))?.at ?? at(0)) + s.hours * HOUR;
                else await pass();
              }
              // Catching up with a clock past every event (a projection behind the wall clock): the
              // rest arrives a few events at a time, each followed by a pass at that same clock.
              now = Math.max(now, ...journey.map((e) => Date.parse(e.at))) + 3 * DAY;
              while (next < feed.length) {
                await append(chunk);
                await pass();
              }
              expect(done(await withCache.runUntilIdle())).toEqual(done(await fromScratch.runUntilIdle()));
              await compare();
              const reads = cached.take();
              continued += reads.filter((r) => r.fromVersion !== undefined).length;
              whole += reads.filter((r) => r.fromVersion === undefined).length;
            } finally {
              await withCache.stop();
              await fromScratch.stop();
            }
          },
        ),
        { numRuns: runs },
      );
      // The property held while both paths were taken: continued evaluations, and whole ones.
      expect(continued).toBeGreaterThan(runs);
      expect(whole).toBeGreaterThan(runs);
    });

    it('reads only the events appended since a cached evaluation (plus the last one it folded, as a check); without cache, the whole stream', async () => {
      const db = await open();
      const events = journeys(1); // cust-000: 5 events
      const later = { id: 'late-1', customerId: 'cust-000', type: 'MatterOpened', at: at(10), data: { matterId: 'm2' } };
      for (const [cacheSize, second] of [
        [undefined, { fromVersion: 5, events: 2 }],
        [0, { fromVersion: undefined, events: 6 }],
      ] as const) {
        const store = new ReadingStore(db.client, { schema: db.schema() });
        const writer = new Engine({ policies, store });
        await writer.record(events);
        const worker = new ProjectionWorker(store, { policies, clock: () => NOW, ...(cacheSize === undefined ? {} : { cacheSize }) });
        store.take();
        await worker.runUntilIdle();
        expect(store.take()).toEqual([{ customerId: 'cust-000', fromVersion: undefined, events: 5 }]);
        await writer.record(later);
        store.take();
        await worker.runUntilIdle();
        expect(store.take()).toEqual([{ customerId: 'cust-000', ...second }]);
        expect(await dumpTables(db.client, store.schema)).toEqual(await expectedDump([...events, later], NOW));
        await worker.stop();
      }
    });

    it('falls back to the whole stream when the clock goes back, and continues again once it moves forward', async () => {
      const db = await open();
      const store = new ReadingStore(db.client, { schema: db.schema() });
      const writer = new Engine({ policies, store });
      const events: EventInput[] = journeys(1, 1); // cust-001: matter m1 open, p1 falls due (never kept), p2 pending
      await writer.record(events);
      let now = NOW;
      const worker = new ProjectionWorker(store, { policies, clock: () => now });
      const step = async (event: EventInput, clock: number) => {
        await writer.record(event);
        events.push(event);
        now = clock;
        store.take();
        await worker.runUntilIdle();
        // fx.open restates how long m1 has been open as of the clock: a stale clock would show.
        expect(await dumpTables(db.client, store.schema)).toEqual(await expectedDump(events, clock));
        return store.take().map((r) => [r.fromVersion, r.events]);
      };
      await worker.runUntilIdle();
      const call = (n: number) => contact(`c${n}`, 'cust-001', at(6 + n));
      expect(await step(call(1), NOW - 20 * DAY)).toEqual([[undefined, 4]]);
      expect(await step(call(2), NOW - 20 * DAY)).toEqual([[4, 2]]); // same clock: continued
      expect(await step(call(3), NOW - 25 * DAY)).toEqual([[undefined, 6]]);
      expect(await step(call(4), NOW + DAY)).toEqual([[6, 2]]);
      await worker.stop();
    });

    it('a policy that throws on a new event fails the customer with the same ProjectionError as an evaluation from scratch, and the entry is dropped', async () => {
      const db = await open();
      const store = new ReadingStore(db.client, { schema: db.schema() });
      const withFragile = [ledger, fragile];
      const writer = new Engine({ policies, store }); // the writer runs without fragile: the event is stored
      await writer.record(journeys(1, 1)); // cust-001: no MatterResolved, which fragile throws on
      const worker = new ProjectionWorker(store, { policies: withFragile, clock: () => NOW });
      const failures: ProjectionError[] = [];
      worker.on('customerFailed', (error) => failures.push(error));
      await worker.runUntilIdle();
      await writer.record({ id: 'resolve', customerId: 'cust-001', type: 'MatterResolved', at: at(8), data: { matterId: 'm1' } });
      const reference = await evaluateCustomer(store, evaluationSetup(withFragile, undefined), 'cust-001', NOW).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(reference).toBeInstanceOf(ProjectionError);
      store.take();
      expect((await worker.runOnce()).batches.map((b) => b.failed)).toEqual([['cust-001']]);
      expect(failures).toHaveLength(1);
      const [error] = failures;
      expect(error?.customerId).toBe('cust-001');
      expect(error?.message).toBe((reference as ProjectionError).message);
      expect(String(error?.cause)).toBe(String((reference as ProjectionError).cause));
      // The continuation failed, then the evaluation from scratch reported the error as it always has.
      expect(store.take().map((r) => [r.fromVersion, r.events])).toEqual([
        [3, 2],
        [undefined, 4],
      ]);
      await writer.record(contact('after-failure', 'cust-001', at(9)));
      await worker.runOnce();
      expect(store.take().map((r) => [r.fromVersion, r.events])).toEqual([[undefined, 5]]); // nothing cached to continue
      expect(failures.map((f) => f.message)).toEqual([(reference as Error).message, (reference as Error).message]);
      expect(await db.client.query(`select events from ${store.schema}.summaries`)).toEqual([{ events: 3 }]); // its rows: the last good evaluation
      await worker.stop();
    });

    it('reads a cached customer whole again after an upcaster is registered, so the events it folded are read as upcast', async () => {
      const db = await open();
      const store = new ReadingStore(db.client, { schema: db.schema() });
      const writer = new Engine({ policies, store });
      const events: EventInput[] = journeys(1, 1); // cust-001: p1 falls due and is never kept
      await writer.record(events);
      const worker = new ProjectionWorker(store, { policies, clock: () => NOW });
      await worker.runUntilIdle();
      const overdue = async () => (await db.client.query<{ key: string }>(`select key from ${store.schema}.findings where kind = 'fx.overdue'`)).length;
      expect(await overdue()).toBe(1);

      // Promises' payloads change meaning: every stored one was due 100 days later than written.
      const later = (dueBy: string) => new Date(Date.parse(dueBy) + 100 * DAY).toISOString();
      store.upcasters.register({ type: 'PromiseMade', fromVersion: 1, upcast: (data) => ({ ...(data as { dueBy: string }), dueBy: later((data as { dueBy: string }).dueBy) }) });
      const call = contact('after-upcaster', 'cust-001', at(10));
      await writer.record(call);
      store.take();
      await worker.runUntilIdle();
      expect(store.take().map((r) => [r.fromVersion, r.events])).toEqual([[undefined, 4]]); // not continued from version 3
      const upcast = events.map((e) => (e.type === 'PromiseMade' ? { ...e, data: { ...(e.data as { dueBy: string }), dueBy: later((e.data as { dueBy: string }).dueBy) } } : e));
      expect(await dumpTables(db.client, store.schema)).toEqual(await expectedDump([...upcast, call], NOW));
      expect(await overdue()).toBe(0);

      // Nothing registered since: continued again.
      await writer.record(contact('after-upcaster-2', 'cust-001', at(11)));
      store.take();
      await worker.runUntilIdle();
      expect(store.take().map((r) => [r.fromVersion, r.events])).toEqual([[4, 2]]);
      await worker.stop();
    });

    it('falls back when the stream is not the one it folded: shortened, or replaced under the same versions', async () => {
      const db = await open();
      const store = new ReadingStore(db.client, { schema: db.schema() });
      const events: EventInput[] = journeys(1); // cust-000: 5 events
      await new Engine({ policies, store }).record(events);
      const worker = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1 });
      await worker.runUntilIdle();
      const s = store.schema;
      // Not something a store does (streams are append-only): the last two events vanish, a new one is appended in their place.
      await db.client.query(`delete from ${s}.events where customer_id = 'cust-000' and stream_version > 3`);
      await db.client.query(`update ${s}.streams set version = 3 where customer_id = 'cust-000'`);
      const replacement = contact('other-4', 'cust-000', at(20));
      await store.append('cust-000', [{ ...replacement, time: Date.parse(replacement.at) }]);
      store.take();
      await worker.runUntilIdle();
      // Version 5 is gone: the cached evaluation cannot be continued.
      expect(store.take().map((r) => [r.fromVersion, r.events])).toEqual([
        [5, 0],
        [undefined, 4],
      ]);
      expect(await dumpTables(db.client, s)).toEqual(await expectedDump([...events.slice(0, 3), replacement], NOW));

      // Version 4 replaced by another event: found at its place with another id.
      await db.client.query(`update ${s}.events set event_id = 'other-4b' where customer_id = 'cust-000' and stream_version = 4`);
      const more = contact('more-5', 'cust-000', at(21));
      await store.append('cust-000', [{ ...more, time: Date.parse(more.at) }]);
      store.take();
      await worker.runUntilIdle();
      expect(store.take().map((r) => [r.fromVersion, r.events])).toEqual([
        [4, 2],
        [undefined, 5],
      ]);
      expect(await dumpTables(db.client, s)).toEqual(await expectedDump([...events.slice(0, 3), { ...replacement, id: 'other-4b' }, more], NOW));
      await worker.stop();
    });

    it('a batch that rolls back leaves the cache ahead of the committed rows, and the next batches still write the rows of an evaluation from scratch', async () => {
      const db = await open();
      const store = new ReadingStore(db.client, { schema: db.schema() });
      const writer = new Engine({ policies, store });
      const events: EventInput[] = journeys(3);
      await writer.record(events);
      const first = NOW - 30 * DAY;
      let now = first;
      let fail = false;
      const worker = new ProjectionWorker(store, {
        policies,
        clock: () => now,
        partitions: 1,
        beforeCommit: () => {
          if (fail) throw new Error('injected: rolled back');
        },
      });
      await worker.runUntilIdle();
      const more = [
        { id: 'x1', customerId: 'cust-000', type: 'MatterOpened', at: at(12), data: { matterId: 'm9' } },
        // Backdated: cust-001 kept p1 before it fell due.
        { id: 'x2', customerId: 'cust-001', type: 'PromiseKept', at: at(2), data: { promiseId: 'p1' } },
      ];
      await writer.record(more);
      now = NOW - 10 * DAY;
      fail = true;
      await expect(worker.runOnce()).rejects.toThrow('injected: rolled back');
      fail = false;
      expect(await dumpTables(db.client, store.schema)).toEqual(await expectedDump(events, first)); // nothing of it committed
      store.take();
      // The retry at the same clock: the cached engines already folded the rolled-back batch's events.
      await worker.runUntilIdle();
      expect(store.take().map((r) => [r.customerId, r.fromVersion, r.events])).toEqual([
        ['cust-000', 6, 1],
        ['cust-001', 4, 1],
      ]);
      const touched = ['cust-000', 'cust-001'];
      const dump = await dumpTables(db.client, store.schema);
      expect(only(dump, touched)).toEqual(only(await expectedDump([...events, ...more], now), touched));
      expect(only(dump, ['cust-002'])).toEqual(only(await expectedDump(events, first), ['cust-002'])); // untouched: as of the first pass
      // And later, with a new event and a later clock.
      const last = { id: 'x3', customerId: 'cust-001', type: 'MatterResolved', at: at(14), data: { matterId: 'm1' } };
      await writer.record(last);
      now = NOW;
      store.take();
      await worker.runUntilIdle();
      expect(store.take().map((r) => [r.customerId, r.fromVersion, r.events])).toEqual([['cust-001', 4, 2]]);
      expect(only(await dumpTables(db.client, store.schema), ['cust-001'])).toEqual(only(await expectedDump([...events, ...more, last], NOW), ['cust-001']));
      await worker.stop();
    });

    it('a batch abandoned because another worker moved the checkpoint leaves the cache ahead, and later rows are still right', async () => {
      const db = await open();
      const schema = db.schema();
      const store = new ReadingStore(db.client, { schema });
      const writer = new Engine({ policies, store });
      const events: EventInput[] = journeys(2);
      await writer.record(events);
      const worker = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1 });
      await worker.runUntilIdle();
      const more = { id: 'y1', customerId: 'cust-000', type: 'MatterOpened', at: at(12), data: { matterId: 'm9' } };
      await writer.record(more);
      // While this worker evaluates, it loses its partition without noticing (here: its locks are
      // released under it), and another worker takes the batch and commits it first.
      const other = new ProjectionWorker(new PostgresEventStore(db.client, { schema }), { policies, clock: () => NOW, partitions: 1, cacheSize: 0 });
      let raced = false;
      const read = store.readStream.bind(store);
      store.readStream = async (customerId, options) => {
        if (!raced) {
          raced = true;
          await worker.stop();
          expect((await other.runUntilIdle()).map((b) => b.customers)).toEqual([['cust-000']]);
          await other.stop();
        }
        return read(customerId, options);
      };
      const error = await worker.runOnce().catch((e: unknown) => e);
      expect(raced).toBe(true);
      expect(error).toBeInstanceOf(UsageError);
      expect(String(error)).toMatch(/was advanced by another worker; batch abandoned/);
      expect(await dumpTables(db.client, schema)).toEqual(await expectedDump([...events, more], NOW)); // the other worker's rows
      const last = contact('y2', 'cust-000', at(13));
      await writer.record(last);
      store.take();
      await worker.runUntilIdle();
      expect(store.take().map((r) => [r.customerId, r.fromVersion, r.events])).toEqual([['cust-000', 6, 2]]);
      expect(await dumpTables(db.client, schema)).toEqual(await expectedDump([...events, more, last], NOW));
      await worker.stop();
    });
  });
}
