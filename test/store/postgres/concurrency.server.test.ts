import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../../src/index.js';
import type { StoredEvent } from '../../../src/index.js';
import type { PostgresEventStore, SqlClient } from '../../../src/postgres.js';
import { ev } from '../store-contract.js';
import { freshSchema, serverClient, serverStore } from './server.js';

/** Real concurrency on the server: separate connections, transactions that overlap. */
describe('PostgreSQL server under concurrency', () => {
  let writerA: SqlClient;
  let writerB: SqlClient;
  let reader: SqlClient;
  let store: PostgresEventStore;
  let storeB: PostgresEventStore;
  let cleanup: () => Promise<void>;
  const schema = freshSchema('race');

  beforeAll(async () => {
    [writerA, writerB, reader] = await Promise.all([serverClient(), serverClient(), serverClient()]);
    ({ store, cleanup } = await serverStore(writerA, schema));
    ({ store: storeB } = await serverStore(writerB, schema));
    await store.migrate();
  });
  afterAll(async () => {
    await cleanup();
    await Promise.all([writerA.close(), writerB.close(), reader.close()]);
  });

  it('two writers racing on one stream with the same expected version: exactly one wins, the other gets the actual version', async () => {
    for (let round = 0; round < 15; round++) {
      const customer = `race-${round}`;
      await store.append(customer, [ev(customer, 0)]);
      const results = await Promise.allSettled([
        store.append(customer, [ev(customer, 1, { id: 'from-a' })], { expectedVersion: 1 }),
        storeB.append(customer, [ev(customer, 2, { id: 'from-b' })], { expectedVersion: 1 }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(VersionConflictError);
      expect(lost[0]).toMatchObject({ customerId: customer, expected: 1, actual: 2 });
      const stream = await store.readStream(customer);
      expect(stream.map((e) => e.streamVersion)).toEqual([1, 2]);
      expect(['from-a', 'from-b']).toContain(stream[1]?.id);
    }
  });

  it("writers racing to create a stream with 'no-stream' or 0: exactly one wins, the other sees version 1", async () => {
    for (let round = 0; round < 10; round++) {
      const customer = `new-${round}`;
      const results = await Promise.allSettled([
        store.append(customer, [ev(customer, 0, { id: 'from-a' })], { expectedVersion: round % 2 === 0 ? 'no-stream' : 0 }),
        storeB.append(customer, [ev(customer, 1, { id: 'from-b' })], { expectedVersion: 'no-stream' }),
      ]);
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(VersionConflictError);
      expect(lost[0]).toMatchObject({ customerId: customer, actual: 1 });
      expect((await store.readStream(customer)).map((e) => e.streamVersion)).toEqual([1]);
    }
  });

  it('the same event sent by two writers at once is written once; the other gets it back as a duplicate', async () => {
    for (let round = 0; round < 10; round++) {
      const customer = `retry-${round}`;
      const [a, b] = await Promise.all([
        store.append(customer, [ev(customer, 0, { id: 'once' })]),
        storeB.append(customer, [ev(customer, 0, { id: 'once' })]),
      ]);
      expect([a.appended.length, b.appended.length].sort()).toEqual([0, 1]);
      expect([a.duplicates.length, b.duplicates.length].sort()).toEqual([0, 1]);
      expect(a.streamVersion).toBe(1);
      expect(b.streamVersion).toBe(1);
      expect((await store.readStream(customer)).map((e) => e.id)).toEqual(['once']);
    }
  });

  it("writers racing with 'any' all succeed: versions are contiguous and nothing is lost", async () => {
    const writes = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : storeB).append('crowd', [ev('crowd', i, { id: `w${i}` })]));
    await Promise.all(writes);
    const stream = await store.readStream('crowd');
    expect(stream.map((e) => e.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(stream.map((e) => e.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `w${i}`).sort());
  });

  /**
   * The cursor after every committed event. Any open writing transaction on the server (another
   * test run, another application) holds readers back for as long as it lasts, so wait for it.
   */
  async function settledCursor(): Promise<number> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const all = await store.readAll();
      const [row] = await reader.query<{ n: number }>(`select count(*)::int as n from ${schema}.events`);
      if (all.length === row?.n) return all.at(-1)?.globalPosition ?? 0;
      if (Date.now() > deadline) throw new Error('another transaction on the server stayed open for 15 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a reader never passes an event whose transaction commits after a later position committed', async () => {
    const cursor0 = await settledCursor();
    // Writer A takes a position and keeps its transaction open.
    const slow = await writerA.session();
    let open = true;
    try {
      await slow.query('begin');
      const [held] = await slow.query<{ p: string }>(
        `insert into ${schema}.events (customer_id, stream_version, event_id, type, data, at, at_text)
         values ('late', 1, 'late-1', 'ContactMade', '{}', now(), '2017-11-20') returning global_position::text as p`,
      );
      // Writer B commits a later position meanwhile.
      const { appended } = await storeB.append('early', [ev('early', 0, { id: 'early-1' })]);
      const later = appended[0]?.globalPosition ?? 0;
      expect(later).toBeGreaterThan(Number(held?.p));
      // The trap is real: a plain position query already sees B's event past A's open position.
      const naive = await reader.query<{ id: string }>(`select event_id as id from ${schema}.events where global_position > $1`, [cursor0]);
      expect(naive.map((r) => r.id)).toEqual(['early-1']);

      const readerStore = (await serverStore(reader, schema)).store;
      const seen: StoredEvent[] = [];
      let cursor = cursor0;
      const poll = async () => {
        const page = await readerStore.readAll({ after: cursor });
        seen.push(...page);
        cursor = page.at(-1)?.globalPosition ?? cursor;
      };
      for (let i = 0; i < 5; i++) await poll();
      expect(seen).toEqual([]); // held back by A's open transaction, not moved past it

      await slow.query('commit');
      open = false;
      const deadline = Date.now() + 15_000;
      while (seen.length < 2 && Date.now() < deadline) await poll();
      expect(seen.map((e) => e.id)).toEqual(['late-1', 'early-1']);
    } finally {
      if (open) await slow.query('rollback').catch(() => undefined);
      await slow.release();
    }
  });

  it('a reader polling through many overlapping, randomly slow transactions sees every event exactly once', async () => {
    const writers = 6;
    const perWriter = 8;
    let cursor = await settledCursor();
    const readerStore = (await serverStore(reader, schema)).store;
    const seen: string[] = [];
    let done = false;
    const polling = (async () => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const page = await readerStore.readAll({ after: cursor, limit: 7 });
        seen.push(...page.map((e) => e.id));
        cursor = page.at(-1)?.globalPosition ?? cursor;
        if (done && page.length === 0 && seen.length >= writers * perWriter) return;
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const session = await (w % 2 === 0 ? writerA : writerB).session();
        for (let j = 0; j < perWriter; j++) {
          await session.query('begin');
          await session.query(
            `insert into ${schema}.events (customer_id, stream_version, event_id, type, data, at, at_text)
             values ($1, 1, $2, 'ContactMade', '{}', now(), '2017-11-20')`,
            [`mix-${w}-${j}`, `mix-${w}-${j}`],
          );
          await session.query('select pg_sleep($1)', [((w * 7 + j * 13) % 10) / 200]);
          await session.query('commit');
        }
        await session.release();
      }),
    );
    done = true;
    await polling;
    expect(seen).toHaveLength(writers * perWriter);
    expect(new Set(seen).size).toBe(writers * perWriter);
  });
});
