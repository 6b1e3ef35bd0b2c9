import { describe, expect, it } from 'vitest';
import { Engine, type EventInput, type NewEvent } from '../../../src/index.js';
import { PostgresEventStore, ProjectionWorker, type SqlClient } from '../../../src/postgres.js';
import { noticeChannel } from '../../../src/store/postgres/event-notices.js';
import { nextBatch, observed, startResting, turn } from './notify-helpers.js';
import { at, NOW, policies } from './projection-fixtures.js';

/** Where the tests run: a client, a schema no other test uses for each call, and the channels the client's connections not in use listen on. */
export interface NotifyDb {
  readonly client: SqlClient;
  schema(): string;
  listening(): Promise<string[]>;
}

/** An hour: a started worker never polls during a test, so whatever it does at once was woken. */
const HOUR = 3_600_000;

const opened = (customerId: string, n = 1): EventInput => ({ id: `${customerId}-${n}`, customerId, type: 'MatterOpened', at: at(n), data: { matterId: `m${n}` } });
const asNew = (e: EventInput): NewEvent => ({ id: e.id as string, customerId: e.customerId, type: e.type, at: e.at, time: Date.parse(e.at), data: e.data ?? {} });

/** The payload an append of `customerId` notifies: the partition hash the worker partitions by. */
async function hashOf(client: SqlClient, customerId: string): Promise<string> {
  const [row] = await client.query<{ h: string }>('select (hashtext($1) & 2147483647)::text as h', [customerId]);
  return row?.h as string;
}

/** A customer of the partition owned (`owned`, one of two partitions) and one of the other. */
async function split(client: SqlClient, owned: readonly number[]): Promise<{ own: string; other: string }> {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  const mine: string[] = [];
  const theirs: string[] = [];
  for (const id of ids) (owned.includes(Number(await hashOf(client, id)) % 2) ? mine : theirs).push(id);
  if (mine[0] === undefined || theirs[0] === undefined) throw new Error(`all of ${ids.join(', ')} fall in one partition`);
  return { own: mine[0], other: theirs[0] };
}

/**
 * A started worker over a notifying store (on a client whose connections are `observed`), resting
 * for an hour after its first pass, and its pass counter.
 */
async function restingWorker(db: NotifyDb, options: { readonly partitions: number; readonly maxPartitions?: number }) {
  const watched = observed(db.client);
  const store = new PostgresEventStore(watched.client, { schema: db.schema(), notify: true });
  const worker = new ProjectionWorker(store, { policies, clock: () => NOW, pollInterval: HOUR, ...options });
  const count = await startResting(worker);
  return { watched, store, worker, count };
}

/**
 * LISTEN/NOTIFY: a store with `notify` announces every commit of events on its schema's channel,
 * and a started worker, resting for an hour, runs its next pass as soon as one of its partitions
 * has a new event.
 */
export function projectionNotifySpec(backend: string, open: () => Promise<NotifyDb>): void {
  describe(`projection workers woken by notifications (${backend})`, () => {
    it('a store with notify sends one notification per append (the fast statement and the checked transaction) and per import chunk; none without notify, none for a refused append', async () => {
      const db = await open();
      const schema = db.schema();
      const store = new PostgresEventStore(db.client, { schema, notify: true });
      const quiet = new PostgresEventStore(db.client, { schema });
      await store.migrate();
      const channel = noticeChannel(schema);
      const got: string[] = [];
      let ended: () => void = () => undefined;
      const session = await db.client.session();
      await session.listen?.(channel, (payload) => (payload === 'end' ? ended() : got.push(payload)), () => undefined);
      const heardAll = async () => {
        const end = new Promise<void>((resolve) => (ended = resolve));
        await db.client.query('select pg_notify($1, $2)', [channel, 'end']); // delivered after everything committed before it
        await end;
        return got.splice(0);
      };
      try {
        const a = [opened('a', 1), opened('a', 2), opened('a', 3)].map(asNew);
        await store.append('a', a); // three events, one statement
        await store.append('a', [a[0] as NewEvent, asNew(opened('a', 4))]); // a retry and a new event: the checked transaction
        await expect(store.append('a', [asNew(opened('a', 5))], { expectedVersion: 1 })).rejects.toThrow(); // a version conflict writes nothing
        await store.importEvents([opened('b'), opened('c'), opened('d')].map(asNew), { batchSize: 2 }); // two chunks
        await quiet.append('e', [asNew(opened('e'))]);
        await quiet.importEvents([asNew(opened('f'))]);
        expect(await heardAll()).toEqual([await hashOf(db.client, 'a'), await hashOf(db.client, 'a'), '*', '*']);
      } finally {
        await session.release();
      }
    });

    it('a started worker resting for an hour projects an event appended through a notifying store at once', async () => {
      const db = await open();
      const { store, worker } = await restingWorker(db, { partitions: 2 });
      const batch = nextBatch(worker);
      await new Engine({ policies, store }).record(opened('a'));
      expect((await batch).customers).toEqual(['a']);
      const rows = await db.client.query<{ kind: string }>(`select kind from ${store.schema}.findings where customer_id = 'a'`);
      expect(rows.map((r) => r.kind)).toEqual(['fx.open']);
      await worker.stop();
    });

    it('a notification of another partition does not wake the worker (no pass); one of its own does', async () => {
      const db = await open();
      const { watched, store, worker, count } = await restingWorker(db, { partitions: 2, maxPartitions: 1 });
      const { own, other } = await split(db.client, worker.owned());
      const writer = new Engine({ policies, store });

      const before = count.count;
      const heard = watched.heard();
      await writer.record(opened(other));
      expect(await heard).toBe(await hashOf(db.client, other)); // the worker was given it...
      await turn();
      expect(count.count).toBe(before); // ...and ran no pass

      const batch = nextBatch(worker);
      await writer.record(opened(own));
      expect((await batch).customers).toEqual([own]);
      await worker.stop();
    });

    it('a burst of notifications while the worker rests runs one pass, not one per notification', async () => {
      const db = await open();
      const { store, worker, count } = await restingWorker(db, { partitions: 1 });
      const before = count.count;
      const rested = count.idle();
      // Three notifications of one transaction, delivered together after its commit.
      const hashes = await Promise.all(['a', 'b', 'c'].map((id) => hashOf(db.client, id)));
      await db.client.transaction(async (tx) => {
        for (const hash of hashes) await tx.query('select pg_notify($1, $2)', [noticeChannel(store.schema), hash]);
      });
      await rested; // woken: a pass ran and found nothing (no event was written)
      // One pass; two if the network split the three (the last ones heard during the pass).
      expect(count.count - before).toBeLessThanOrEqual(2);
      expect(count.count - before).toBeGreaterThanOrEqual(1);
      await worker.stop();
    });

    it('stop() of a listening worker unlistens and releases its connection: no connection listens afterwards, and the store closes', async () => {
      const db = await open();
      const { watched, store, worker, count } = await restingWorker(db, { partitions: 1 });
      expect(watched.listens).toBe(1);
      await worker.stop();
      await worker.stopped;
      expect(await db.listening()).toEqual([]);
      await store.close();
    });
  });
}
