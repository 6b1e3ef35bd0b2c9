import { describe, expect, it } from 'vitest';
import { definePolicy, Engine, type EventInput, type NewEvent, type ReadStreamOptions, type StoredEvent } from '../../../src/index.js';
import { PostgresEventStore, ProjectionError, ProjectionWorker, type BatchReport, type SqlClient } from '../../../src/postgres.js';
import { fragile } from '../../fixtures/fragile-policy.js';
import { ledger } from '../../fixtures/ledger-policy.js';
import { at, contact, DAY, dumpTables, type Dump, expectedDump, journeys, NOW, policies, START } from './projection-fixtures.js';

/** Where the tests run: a client, and a schema no other test uses for each call. */
export interface FailuresDb {
  readonly client: SqlClient;
  schema(): string;
}

interface FailureRow {
  readonly customer_id: string;
  readonly stream_version: number;
  readonly event_id: string | null;
  readonly policy: string | null;
  readonly message: string;
}

async function failureRows(db: FailuresDb['client'], schema: string): Promise<FailureRow[]> {
  return db.query<FailureRow>(`select customer_id, stream_version, event_id, policy, message from ${schema}.projection_failures order by customer_id`);
}

/** The rows of some customers only. */
function only(dump: Dump, customers: readonly string[]): Dump {
  const keep = (rows: readonly unknown[]) => rows.filter((r) => customers.includes((r as { customer_id: string }).customer_id));
  return { findings: keep(dump.findings), summaries: keep(dump.summaries), wakes: keep(dump.wakes) };
}

/** Events as `importEvents` takes them (it skips the lifecycle rules, so they may break them). */
const imported = (events: readonly EventInput[]): NewEvent[] =>
  events.map((e) => ({ customerId: e.customerId, type: e.type, at: e.at, data: e.data, time: Date.parse(e.at), ...(e.id !== undefined ? { id: e.id } : {}) }));

/** A policy that throws on `MatterResolved` while its cause stands: a failure fixed under a running worker. */
function flaky(cause: { broken: boolean }) {
  return definePolicy({
    name: 'flaky',
    kinds: ['flaky.x'],
    initialState: () => ({}),
    evolve(_state, event) {
      if (cause.broken && event.type === 'MatterResolved') throw new Error('the rates service is down');
    },
  });
}

/** Two customers whose matter is opened and resolved (a flaky policy fails on both). */
const opened = (customerId: string): EventInput[] => [
  { id: `${customerId}-1`, customerId, type: 'MatterOpened', at: at(0), data: { matterId: 'm1' } },
  { id: `${customerId}-2`, customerId, type: 'MatterResolved', at: at(2), data: { matterId: 'm1' } },
];

/** A client that calls `seen` with each statement sent outside a transaction and the rows it returned. */
function watching(client: SqlClient, seen: (text: string, rows: readonly unknown[]) => void): SqlClient {
  return {
    kind: client.kind,
    copyFrom: client.copyFrom,
    async query<R>(text: string, params?: readonly unknown[], name?: string): Promise<R[]> {
      const rows = await client.query<R>(text, params, name);
      seen(text, rows);
      return rows;
    },
    exec: (script) => client.exec(script),
    transaction: (work) => client.transaction(work),
    session: () => client.session(),
    close: () => client.close(),
  };
}

/** The partition checkpoint is at the last event of the store. */
async function checkpointAtEnd(client: SqlClient, schema: string): Promise<boolean> {
  const [row] = await client.query<{ at_end: boolean }>(
    `select (select global_position from ${schema}.checkpoints where projection = 'findings') = (select max(global_position) from ${schema}.events) as at_end`,
  );
  return row?.at_end === true;
}

/**
 * A customer the projection cannot evaluate (ProjectionError) is isolated: the batch commits for
 * the others, its rows stay those of its last good evaluation, and its failure is recorded in
 * `projection_failures` until it evaluates again.
 */
export function projectionFailuresSpec(name: string, open: () => Promise<FailuresDb>): void {
  describe(`projection worker: customers that cannot be evaluated (${name})`, { timeout: 120_000 }, () => {
    it('a customer whose stream breaks the lifecycle does not hold back the others: their rows are written, the checkpoint moves, runUntilIdle ends', async () => {
      const db = await open();
      const schema = db.schema();
      const store = new PostgresEventStore(db.client, { schema });
      const good: EventInput[] = [
        { id: 'g1', customerId: 'good', type: 'MatterOpened', at: at(0), data: { matterId: 'm1' } },
        { id: 'g2', customerId: 'good', type: 'PromiseMade', at: at(1), data: { promiseId: 'p1', what: 'call back', dueBy: at(3) } },
      ];
      const bad: EventInput[] = [{ id: 'b1', customerId: 'bad', type: 'MatterResolved', at: at(1), data: { matterId: 'never-opened' } }];
      await store.importEvents(imported([bad[0] as EventInput, ...good]));
      const worker = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1 });
      const failed: ProjectionError[] = [];
      worker.on('customerFailed', (error) => failed.push(error));

      const batches: BatchReport[] = await worker.runUntilIdle();

      expect(batches.map((b) => ({ customers: [...b.customers].sort(), failed: b.failed }))).toEqual([{ customers: ['bad', 'good'], failed: ['bad'] }]);
      expect(await dumpTables(db.client, schema)).toEqual(await expectedDump(good, NOW)); // good's rows, none for bad
      expect(await checkpointAtEnd(db.client, schema)).toBe(true);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toBeInstanceOf(ProjectionError);
      expect(failed[0]?.customerId).toBe('bad');
      expect(await failureRows(db.client, schema)).toEqual([
        { customer_id: 'bad', stream_version: 1, event_id: 'b1', policy: null, message: failed[0]?.message },
      ]);
      expect(failed[0]?.message).toMatch(/^customer "bad" cannot be evaluated from its stored events: .*matter "never-opened" was never opened/s);
      expect(await worker.runUntilIdle()).toEqual([]);
      await worker.stop();
    });

    it('a finding naming a matter its customer never opened fails that customer: no findings row carries it, the failure row says why', async () => {
      const db = await open();
      const schema = db.schema();
      const store = new PostgresEventStore(db.client, { schema });
      // On each contact, a finding about matter m1: opened for "good", never for "bad".
      const naming = definePolicy({
        name: 'naming',
        kinds: ['naming.seen'],
        initialState: () => ({}),
        evolve(_state, event, ctx) {
          if (event.type !== 'ContactMade') return;
          ctx.report({ kind: 'naming.seen', subject: event.id, matterId: 'm1', detectedAt: event.time, severity: 'info', message: 'seen', evidence: [event.id], details: {} });
        },
      });
      const writer = new Engine({ policies, store });
      await writer.record([
        { id: 'g1', customerId: 'good', type: 'MatterOpened', at: at(0), data: { matterId: 'm1' } },
        contact('g2', 'good', at(1)),
        { id: 'b1', customerId: 'bad', type: 'MatterOpened', at: at(0), data: { matterId: 'm2' } },
        contact('b2', 'bad', at(1)),
      ]);
      const worker = new ProjectionWorker(store, { policies: [naming], clock: () => NOW, partitions: 1 });
      const failed: ProjectionError[] = [];
      worker.on('customerFailed', (error) => failed.push(error));
      expect((await worker.runUntilIdle()).flatMap((b) => b.failed)).toEqual(['bad']);
      expect(failed.map((f) => [f.customerId, f.policy, f.eventId])).toEqual([['bad', 'naming', 'b2']]);
      expect(failed[0]?.message).toContain('policy "naming" failed on event "b2" of customer "bad": reported a "naming.seen" finding whose matterId names "m1", which is not a matter of this customer\'s stream');
      const rows = async () => db.client.query<{ customer_id: string; matter_id: string | null }>(`select customer_id, matter_id from ${schema}.findings order by key`);
      expect(await rows()).toEqual([{ customer_id: 'good', matter_id: 'm1' }]);
      // The good customer's next contact is folded on its cached evaluation, whose matters are kept.
      await writer.record(contact('g3', 'good', at(2)));
      expect((await worker.runUntilIdle()).flatMap((b) => b.failed)).toEqual([]);
      expect(await rows()).toEqual([{ customer_id: 'good', matter_id: 'm1' }, { customer_id: 'good', matter_id: 'm1' }]);
      await worker.stop();
    });

    it('a policy that throws leaves the customer\'s rows of its last good evaluation, records which policy and event, and the row goes once it evaluates again', async () => {
      const db = await open();
      const schema = db.schema();
      const store = new PostgresEventStore(db.client, { schema });
      const writer = new Engine({ policies, store }); // without fragile: its events are stored
      const first = [...journeys(1, 1), ...journeys(1, 3)]; // cust-001, cust-003: no MatterResolved yet (odd customers)
      await writer.record(first);
      const withFragile = [ledger, fragile];
      const buggy = new ProjectionWorker(store, { policies: withFragile, clock: () => NOW, partitions: 1 });
      await buggy.runUntilIdle();
      const before = only(await dumpTables(db.client, schema), ['cust-001']);
      expect(before.summaries).toHaveLength(1);

      const resolve: EventInput = { id: 'resolve', customerId: 'cust-001', type: 'MatterResolved', at: at(8), data: { matterId: 'm1' } };
      const call = contact('call', 'cust-003', at(8));
      await writer.record([resolve, call]);
      const failed: ProjectionError[] = [];
      buggy.on('customerFailed', (error) => failed.push(error));
      const batches = await buggy.runUntilIdle();
      expect(batches.flatMap((b) => b.failed)).toEqual(['cust-001']);
      expect(failed.map((f) => [f.customerId, f.policy, f.eventId])).toEqual([['cust-001', 'fragile', 'resolve']]);
      const dump = await dumpTables(db.client, schema);
      expect(only(dump, ['cust-001'])).toEqual(before); // untouched: its last good evaluation
      const cust003 = [...first.filter((e) => e.customerId === 'cust-003'), call];
      expect(only(dump, ['cust-003'])).toEqual(only(await expectedDump(cust003, NOW), ['cust-003'])); // the other one moved on
      expect(await failureRows(db.client, schema)).toEqual([
        { customer_id: 'cust-001', stream_version: 4, event_id: 'resolve', policy: 'fragile', message: failed[0]?.message },
      ]);
      expect(failed[0]?.message).toContain('policy "fragile" failed on event "resolve" of customer "cust-001": boom');
      await buggy.stop();

      // The policy is fixed (a new deployment): the customer's next event evaluates, and its failure row goes with that commit.
      const fixed = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1 });
      const again = contact('again', 'cust-001', at(9));
      await writer.record(again);
      expect((await fixed.runUntilIdle()).flatMap((b) => b.failed)).toEqual([]);
      expect(await failureRows(db.client, schema)).toEqual([]);
      expect(await dumpTables(db.client, schema)).toEqual(await expectedDump([...first, resolve, call, again], NOW));
      await fixed.stop();
    });

    it('a failed customer whose wake time is due is not retried by the same worker in every pass, but a new worker retries it and clears its failure', async () => {
      const db = await open();
      const schema = db.schema();
      const store = new PostgresEventStore(db.client, { schema });
      const writer = new Engine({ policies, store });
      const first = journeys(1, 1); // cust-001: p2 falls due at day 60
      await writer.record(first);
      const withFragile = [ledger, fragile];
      const before = new ProjectionWorker(store, { policies: withFragile, clock: () => NOW, partitions: 1 });
      await before.runUntilIdle();
      await before.stop(); // gives its partition back (a session lock on a server)
      const resolve: EventInput = { id: 'resolve', customerId: 'cust-001', type: 'MatterResolved', at: at(8), data: { matterId: 'm1' } };
      await writer.record(resolve);
      const LATE = START + 70 * DAY; // its stored wake time (day 60) is due

      const buggy = new ProjectionWorker(store, { policies: withFragile, clock: () => LATE, partitions: 1 });
      const batches = await buggy.runUntilIdle(20);
      expect(batches.map((b) => b.failed)).toEqual([['cust-001']]); // one try, then idle: the due wake-up is not retried
      expect(await failureRows(db.client, schema)).toHaveLength(1);
      await buggy.stop();

      // Another worker (the policy fixed) retries the due wake-up: it evaluates, and the failure row goes.
      const fixed = new ProjectionWorker(store, { policies, clock: () => LATE, partitions: 1 });
      expect((await fixed.runUntilIdle()).map((b) => ({ wakes: b.wakes, failed: b.failed }))).toEqual([{ wakes: 1, failed: [] }]);
      expect(await failureRows(db.client, schema)).toEqual([]);
      expect(await dumpTables(db.client, schema)).toEqual(await expectedDump([...first, resolve], LATE));
      await fixed.stop();
    });

    it('a worker started after a fix retries every stuck customer once, even one with no new event and no wake time', async () => {
      const db = await open();
      const schema = db.schema();
      const store = new PostgresEventStore(db.client, { schema });
      const events: EventInput[] = [
        { id: 'q1', customerId: 'quiet', type: 'MatterOpened', at: at(0), data: { matterId: 'm1' } },
        { id: 'q2', customerId: 'quiet', type: 'MatterResolved', at: at(2), data: { matterId: 'm1' } }, // fragile throws here
      ];
      await new Engine({ policies, store }).record(events);
      const buggy = new ProjectionWorker(store, { policies: [ledger, fragile], clock: () => NOW, partitions: 1 });
      expect((await buggy.runUntilIdle()).map((b) => b.failed)).toEqual([['quiet']]);
      expect(await buggy.runUntilIdle()).toEqual([]); // tried once: not again by the same worker (its clock stands still: no retryFailedAfterMs passes)
      await buggy.stop();
      expect(await db.client.query(`select 1 from ${schema}.wake_times`)).toEqual([]); // nothing would touch it

      const fixed = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1 });
      expect((await fixed.runUntilIdle()).map((b) => ({ events: b.events, wakes: b.wakes, customers: b.customers, failed: b.failed }))).toEqual([
        { events: 0, wakes: 0, customers: ['quiet'], failed: [] },
      ]);
      expect(await failureRows(db.client, schema)).toEqual([]);
      expect(await dumpTables(db.client, schema)).toEqual(await expectedDump(events, NOW));
      expect(await fixed.runUntilIdle()).toEqual([]);
      await fixed.stop();
    });

    it('a worker that saw a customer fail retries it after retryFailedAfterMs (of its clock), so a cause fixed under it clears without a new event or a restart', async () => {
      const db = await open();
      const schema = db.schema();
      const events = journeys(1); // cust-000: its PromiseMade events are stored at schema version 1
      await new Engine({ policies, store: new PostgresEventStore(db.client, { schema }) }).record(events);
      // The store knows PromiseMade 1 -> 2 and 3 -> 4, not 2 -> 3: cust-000's promises cannot be read.
      const same = (data: unknown) => data;
      const store = new PostgresEventStore(db.client, {
        schema,
        upcasters: [
          { type: 'PromiseMade', fromVersion: 1, upcast: same },
          { type: 'PromiseMade', fromVersion: 3, upcast: same },
        ],
      });
      let now = NOW;
      const worker = new ProjectionWorker(store, { policies, clock: () => now, partitions: 1, retryFailedAfterMs: 60_000 });
      const shape = (batches: readonly BatchReport[]) => batches.map((b) => ({ events: b.events, customers: b.customers, failed: b.failed }));
      expect(shape(await worker.runUntilIdle())).toEqual([{ events: events.length, customers: ['cust-000'], failed: ['cust-000'] }]);
      expect(await worker.runUntilIdle()).toEqual([]); // held

      now += 60_000; // due: retried, fails again (nothing changed), held for another interval
      expect(shape(await worker.runUntilIdle())).toEqual([{ events: 0, customers: ['cust-000'], failed: ['cust-000'] }]);
      expect(await worker.runUntilIdle()).toEqual([]);

      store.upcasters.register({ type: 'PromiseMade', fromVersion: 2, upcast: same }); // the fix, under the running worker
      now += 59_999;
      expect(await worker.runUntilIdle()).toEqual([]); // not due yet
      now += 1;
      expect(shape(await worker.runUntilIdle())).toEqual([{ events: 0, customers: ['cust-000'], failed: [] }]);
      expect(await failureRows(db.client, schema)).toEqual([]);
      expect(await dumpTables(db.client, schema)).toEqual(await expectedDump(events, now));
      expect(await worker.runUntilIdle()).toEqual([]);
      await worker.stop();
    });

    it('retryFailed(ids) makes the next pass retry those failed customers at once, and retryFailed() all of them: fixed, they recover and their failure rows go', async () => {
      const db = await open();
      const schema = db.schema();
      const store = new PostgresEventStore(db.client, { schema });
      const events = [...opened('a'), ...opened('b')];
      await new Engine({ policies, store }).record(events);
      const cause = { broken: true };
      const worker = new ProjectionWorker(store, { policies: [ledger, flaky(cause)], clock: () => NOW, partitions: 1 }); // its clock stands still: no interval passes
      const shape = (batches: readonly BatchReport[]) => batches.map((b) => ({ events: b.events, customers: [...b.customers].sort(), failed: [...b.failed].sort() }));
      expect(shape(await worker.runUntilIdle())).toEqual([{ events: 4, customers: ['a', 'b'], failed: ['a', 'b'] }]);
      cause.broken = false; // fixed, but nothing tells the worker
      expect(await worker.runUntilIdle()).toEqual([]);

      expect(await worker.retryFailed(['a'])).toBe(1);
      expect(shape(await worker.runUntilIdle())).toEqual([{ events: 0, customers: ['a'], failed: [] }]);
      expect((await failureRows(db.client, schema)).map((r) => r.customer_id)).toEqual(['b']);
      expect(await worker.runUntilIdle()).toEqual([]); // b still held

      expect(await worker.retryFailed()).toBe(1);
      expect(shape(await worker.runUntilIdle())).toEqual([{ events: 0, customers: ['b'], failed: [] }]);
      expect(await failureRows(db.client, schema)).toEqual([]);
      expect(await dumpTables(db.client, schema)).toEqual(await expectedDump(events, NOW));
      expect(await worker.runUntilIdle()).toEqual([]);
      await worker.stop();
    });

    it('retryFailed on any worker marks the failures in projection_failures: a worker holding them (it saw them fail) retries them on its next pass', async () => {
      const db = await open();
      const schema = db.schema();
      const store = new PostgresEventStore(db.client, { schema });
      const events = [...opened('a'), ...opened('b')];
      await new Engine({ policies, store }).record(events);
      const cause = { broken: true };
      const options = { policies: [ledger, flaky(cause)], clock: () => NOW, partitions: 1 }; // clocks stand still: no interval passes
      const owner = new ProjectionWorker(store, options);
      const shape = (batches: readonly BatchReport[]) => batches.map((b) => ({ customers: [...b.customers].sort(), failed: [...b.failed].sort() }));
      expect(shape(await owner.runUntilIdle())).toEqual([{ customers: ['a', 'b'], failed: ['a', 'b'] }]);
      cause.broken = false;
      expect(await owner.runUntilIdle()).toEqual([]); // held

      // Another worker (another process, say an admin endpoint's), which never ran a pass, asks.
      const other = new ProjectionWorker(store, options);
      expect(await other.retryFailed(['a', 'nobody'])).toBe(1);
      expect(shape(await owner.runUntilIdle())).toEqual([{ customers: ['a'], failed: [] }]);
      expect(await owner.runUntilIdle()).toEqual([]); // b still held
      expect(await other.retryFailed()).toBe(1);
      expect(shape(await owner.runUntilIdle())).toEqual([{ customers: ['b'], failed: [] }]);
      expect(await failureRows(db.client, schema)).toEqual([]);
      expect(await dumpTables(db.client, schema)).toEqual(await expectedDump(events, NOW));
      expect(await other.retryFailed()).toBe(0);
      expect(other.owned()).toEqual([]); // asking took no partition
      await Promise.all([owner.stop(), other.stop()]);
    });

    it('a retry asked for while the owner evaluates a customer that fails again is kept: the owner retries it on its next pass', async () => {
      const db = await open();
      const schema = db.schema();
      // Another worker's retryFailed commits just after the owner read the failures due, before it evaluates them.
      let ask = false;
      const other = new ProjectionWorker(new PostgresEventStore(db.client, { schema }), { policies, partitions: 1 });
      const client: SqlClient = {
        kind: db.client.kind,
        copyFrom: db.client.copyFrom,
        async query<R>(text: string, params?: readonly unknown[], name?: string): Promise<R[]> {
          const rows = await db.client.query<R>(text, params, name);
          if (ask && text.includes(`'retry' as why`)) {
            ask = false;
            expect(await other.retryFailed()).toBe(1);
          }
          return rows;
        },
        exec: (script) => db.client.exec(script),
        transaction: (work) => db.client.transaction(work),
        session: () => db.client.session(),
        close: () => db.client.close(),
      };
      const store = new PostgresEventStore(client, { schema });
      const writer = new Engine({ policies, store });
      await writer.record(opened('a'));
      const owner = new ProjectionWorker(store, { policies: [ledger, flaky({ broken: true })], clock: () => NOW, partitions: 1 });
      expect((await owner.runUntilIdle()).map((b) => b.failed)).toEqual([['a']]);
      expect(await owner.runUntilIdle()).toEqual([]); // held

      expect(await other.retryFailed()).toBe(1);
      ask = true;
      expect((await owner.runOnce()).batches.map((b) => b.failed)).toEqual([['a']]); // retried, and failed again while another request came in
      expect(ask).toBe(false);
      expect((await owner.runOnce()).batches.map((b) => b.failed)).toEqual([['a']]); // so not held: retried again
      expect((await owner.runOnce()).batches).toEqual([]); // held now

      await writer.record(contact('call', 'a', at(3))); // a new event: evaluated at once, fails again
      expect((await owner.runOnce()).batches.map((b) => ({ events: b.events, failed: b.failed }))).toEqual([{ events: 1, failed: ['a'] }]);
      expect((await owner.runOnce()).batches).toEqual([]); // held, at the count its row had (2), not retried in every pass
      await Promise.all([owner.stop(), other.stop()]);
    });

    it('retryFailed on a started worker that is resting runs the retry at once, not after pollInterval', async () => {
      const db = await open();
      const schema = db.schema();
      // Tells when a pass after the first batch found nothing due: its query of wake times and failures returned no row.
      let idle: () => void = () => undefined;
      const batches: BatchReport[] = [];
      const client = watching(db.client, (text, rows) => {
        if (text.includes(`'retry' as why`) && rows.length === 0 && batches.length === 1) idle();
      });
      const store = new PostgresEventStore(client, { schema });
      await new Engine({ policies, store }).record(opened('a'));
      const cause = { broken: true };
      const worker = new ProjectionWorker(store, { policies: [ledger, flaky(cause)], clock: () => NOW, partitions: 1, pollInterval: 3_600_000 });
      const nextBatch = () => new Promise<BatchReport>((resolve) => worker.once('batch', resolve));
      worker.on('batch', (report) => batches.push(report));
      const first = nextBatch();
      const rested = new Promise<void>((resolve) => (idle = resolve));
      worker.start();
      expect((await first).failed).toEqual(['a']);
      await rested; // the next pass held a: nothing to do
      await new Promise((resolve) => setImmediate(resolve)); // what is left of that pass runs without I/O: the worker now rests, for an hour
      cause.broken = false;

      const retried = nextBatch();
      await worker.retryFailed();
      expect(await retried).toMatchObject({ events: 0, customers: ['a'], failed: [] });
      expect(await failureRows(db.client, schema)).toEqual([]);
      await worker.stop();
      expect(batches.map((b) => b.failed)).toEqual([['a'], []]);
    });

    it('a customer whose stored events an upcaster cannot read is isolated like one a policy cannot evaluate', async () => {
      const db = await open();
      const schema = db.schema();
      await new Engine({ policies, store: new PostgresEventStore(db.client, { schema }) }).record(journeys(2));
      // PromiseMade gets a version 2 whose upcaster throws on cust-001's promises only.
      const store = new PostgresEventStore(db.client, {
        schema,
        upcasters: [
          {
            type: 'PromiseMade',
            fromVersion: 1,
            upcast: (data, event) => {
              if (event.customerId === 'cust-001') throw new Error('no due time in this old format');
              return data;
            },
          },
        ],
      });
      const worker = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1 });
      const batches = await worker.runUntilIdle();
      expect(batches.flatMap((b) => b.failed)).toEqual(['cust-001']);
      expect(only(await dumpTables(db.client, schema), ['cust-000'])).toEqual(await expectedDump(journeys(1), NOW));
      const [row] = await failureRows(db.client, schema);
      expect(row?.customer_id).toBe('cust-001');
      expect(row?.message).toMatch(/^customer "cust-001" cannot be read: event "cust-001-2" of customer "cust-001": the upcaster of PromiseMade from schema version 1 threw: no due time in this old format$/);
      await worker.stop();
    });

    it('a failure that is not the customer\'s evaluation (a read failed) still fails the whole batch and records nothing', async () => {
      const db = await open();
      const schema = db.schema();
      /** The database fails while reading one customer's stream. */
      class FailingReads extends PostgresEventStore {
        override async readStream(customerId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
          if (customerId === 'cust-001') throw new Error('injected: connection lost');
          return super.readStream(customerId, options);
        }
      }
      const store = new FailingReads(db.client, { schema });
      await new Engine({ policies, store }).record(journeys(3));
      const worker = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1 });
      await expect(worker.runOnce()).rejects.toThrow('injected: connection lost');
      expect(await dumpTables(db.client, schema)).toEqual({ findings: [], summaries: [], wakes: [] });
      expect(await failureRows(db.client, schema)).toEqual([]);
      const [checkpoint] = await db.client.query<{ global_position: number }>(`select global_position::float8 as global_position from ${schema}.checkpoints`);
      expect(checkpoint?.global_position).toBe(0);
      await worker.stop();
    });
  });
}
