import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Engine, loadConfigFileWithPlugins, UsageError } from '../../../src/index.js';
import { openPGlite, PostgresEventStore, ProjectionWorker, type BatchReport, type SqlClient } from '../../../src/postgres.js';
import { DAY, dumpTables, expectedDump, journeys, NOW, policies, START } from './projection-fixtures.js';

let client: SqlClient;
let n = 0;
beforeAll(async () => {
  client = await openPGlite();
});
afterAll(async () => client.close());

async function fresh(): Promise<{ store: PostgresEventStore; engine: Engine; schema: string }> {
  const schema = `proj_${++n}`;
  const store = new PostgresEventStore(client, { schema });
  return { store, engine: new Engine({ policies, store }), schema };
}

describe('projection worker (PGlite)', () => {
  it('projects findings, per-customer summaries and wake times into tables, equal to an in-memory evaluation at the clock', async () => {
    const { store, engine, schema } = await fresh();
    const events = journeys(12);
    await engine.record(events);
    const worker = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 4, batchSize: 10 });
    const batches = await worker.runUntilIdle();
    expect(batches.reduce((sum, b) => sum + b.events, 0)).toBe(events.length);
    expect(worker.owned()).toEqual([0, 1, 2, 3]);
    const dump = await dumpTables(client, schema);
    expect(dump).toEqual(await expectedDump(events, NOW));
    expect(dump.findings.filter((f) => (f as { kind: string }).kind === 'fx.overdue')).toHaveLength(8); // every customer but each third kept p1
    expect(await worker.runUntilIdle()).toEqual([]); // nothing new: nothing written
    await worker.stop();
  });

  it('follows new and backdated events from its checkpoint, replacing a customer\'s rows rather than adding to them', async () => {
    const { store, engine, schema } = await fresh();
    const first = journeys(6);
    await engine.record(first);
    const worker = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 3 });
    await worker.runUntilIdle();
    const more = [
      ...journeys(3, 6),
      // Backdated: cust-001 kept p1 before it fell due after all; its fx.overdue must disappear.
      { id: 'late-keep', customerId: 'cust-001', type: 'PromiseKept', at: new Date(START + 2 * DAY).toISOString(), data: { promiseId: 'p1' } },
    ];
    await engine.record(more);
    const batches = await worker.runUntilIdle();
    expect(batches.reduce((sum, b) => sum + b.events, 0)).toBe(more.length);
    expect(await dumpTables(client, schema)).toEqual(await expectedDump([...first, ...more], NOW));
    const overdue = await client.query(`select 1 from ${schema}.findings where customer_id = 'cust-001' and kind = 'fx.overdue'`);
    expect(overdue).toEqual([]);
    await worker.stop();
  });

  it('writes only the finding rows that changed: an unchanged finding keeps its row version, a changed one is updated, a retracted one deleted', async () => {
    const { store, engine, schema } = await fresh();
    const first = journeys(2); // cust-001: p1 overdue, m1 still open
    await engine.record(first);
    const worker = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1 });
    await worker.runUntilIdle();
    // xmin is the transaction that wrote a row version: it moves only when the row is written again.
    const versions = async () =>
      Object.fromEntries(
        (await client.query<{ kind: string; xmin: string }>(`select kind, xmin::text as xmin from ${schema}.findings where customer_id = 'cust-001'`)).map((r) => [r.kind, r.xmin]),
      );
    const written = await versions();
    expect(Object.keys(written).sort()).toEqual(['fx.open', 'fx.overdue']);
    const later = (days: number) => new Date(START + days * DAY).toISOString();
    const contact = { id: 'x-1', customerId: 'cust-001', type: 'ContactMade', at: later(20), data: { direction: 'inbound', channel: 'email' } };
    const resolve = { id: 'x-2', customerId: 'cust-001', type: 'MatterResolved', at: later(21), data: { matterId: 'm1' } };
    // Backdated: p1 was kept before it fell due after all.
    const keep = { id: 'x-3', customerId: 'cust-001', type: 'PromiseKept', at: later(2), data: { promiseId: 'p1' } };

    // Re-evaluated (an event of its stream), but no finding changes: no row is written.
    await engine.record([contact]);
    expect((await worker.runUntilIdle()).flatMap((b) => b.customers)).toEqual(['cust-001']);
    expect(await versions()).toEqual(written);

    // The matter is resolved: fx.open changes and is updated; fx.overdue is left alone.
    await engine.record([resolve]);
    await worker.runUntilIdle();
    const resolved = await versions();
    expect(resolved['fx.overdue']).toBe(written['fx.overdue']);
    expect(resolved['fx.open']).not.toBe(written['fx.open']);

    // p1 kept in time after all: fx.overdue is retracted, its row deleted; fx.open is left alone.
    await engine.record([keep]);
    await worker.runUntilIdle();
    expect(await versions()).toEqual({ 'fx.open': resolved['fx.open'] });
    expect(await dumpTables(client, schema)).toEqual(await expectedDump([...first, contact, resolve, keep], NOW));
    await worker.stop();
  });

  it('keeps wake times durable: what fell due while no worker ran is found by the next one, without a new event', async () => {
    const { store, engine, schema } = await fresh();
    const before = START + 2 * DAY + 12 * 3_600_000; // p1 not yet due for anyone
    const events = journeys(4).filter((e) => Date.parse(e.at) <= before); // nothing written after the clock either
    await engine.record(events);
    const first = new ProjectionWorker(store, { policies, clock: () => before, partitions: 2 });
    await first.runUntilIdle();
    await first.stop();
    expect(await client.query(`select 1 from ${schema}.findings where kind = 'fx.overdue'`)).toEqual([]);
    const wakes = await client.query<{ customer_id: string; wake_at: Date }>(`select customer_id, wake_at from ${schema}.wake_times order by customer_id`);
    // Each customer's policy asked to look again when p1 falls due (kept or not: it decides then).
    expect(wakes.map((w) => [w.customer_id, new Date(w.wake_at).getTime()])).toEqual(
      [0, 1, 2, 3].map((c) => [`cust-00${c}`, START + c * 3_600_000 + 3 * DAY]),
    );

    // Every worker down; time passes. A new worker, no new events.
    const later = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 2 });
    const batches = await later.runUntilIdle();
    expect(batches.every((b) => b.events === 0)).toBe(true);
    expect(batches.reduce((sum, b) => sum + b.wakes, 0)).toBe(4);
    const overdue = await client.query<{ customer_id: string }>(`select customer_id from ${schema}.findings where kind = 'fx.overdue' order by 1`);
    expect(overdue.map((r) => r.customer_id)).toEqual(['cust-001', 'cust-002']); // cust-000 and cust-003 kept p1
    expect(await client.query(`select 1 from ${schema}.wake_times`)).toEqual([]);
    expect(await dumpTables(client, schema)).toEqual(await expectedDump(events, NOW));
    await later.stop();
  });

  it('a worker that fails mid-batch leaves nothing of that batch, and a restarted one ends exactly like an uninterrupted run', async () => {
    const events = journeys(10);
    const clean = await fresh();
    await clean.engine.record(events);
    const uninterrupted = new ProjectionWorker(clean.store, { policies, clock: () => NOW, partitions: 2, batchSize: 7 });
    await uninterrupted.runUntilIdle();
    await uninterrupted.stop();

    const { store, engine, schema } = await fresh();
    await engine.record(events);
    let commits = 0;
    const committed: BatchReport[] = [];
    const faulty = new ProjectionWorker(store, {
      policies,
      clock: () => NOW,
      partitions: 2,
      batchSize: 7,
      beforeCommit: (batch) => {
        if (++commits === 3) throw new Error('injected crash between writing the rows and committing');
      },
    });
    faulty.on('batch', (b) => committed.push(b));
    await expect(faulty.runUntilIdle()).rejects.toThrow(/injected crash/);
    await faulty.crash();
    expect(committed).toHaveLength(2);
    // The failed batch's checkpoint did not move: each partition is where its last committed batch left it.
    const checkpoints = await client.query<{ partition: number; p: number }>(`select partition, global_position::float8 as p from ${schema}.checkpoints order by partition`);
    for (const { partition, p } of checkpoints) {
      const last = committed.filter((b) => b.partition === partition).at(-1);
      expect(p).toBe(last?.checkpoint.position ?? 0);
    }

    const restarted = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 2, batchSize: 7 });
    await restarted.runUntilIdle();
    await restarted.stop();
    const dump = await dumpTables(client, schema);
    expect(dump).toEqual(await dumpTables(client, clean.schema));
    expect(dump).toEqual(await expectedDump(events, NOW));
  });

  it('answers the CRM questions in SQL: open matters older than five days, customers by summary values', async () => {
    const { store, engine, schema } = await fresh();
    await engine.record(journeys(8));
    const worker = new ProjectionWorker(store, { policies, clock: () => NOW });
    await worker.runUntilIdle();
    await worker.stop();
    const open = await client.query<{ customer_id: string }>(
      `select customer_id from ${schema}.findings
        where kind = 'fx.open' and (details->>'closed')::boolean = false and detected_at < $1::timestamptz - interval '5 days'
        order by customer_id`,
      [new Date(NOW).toISOString()],
    );
    expect(open.map((r) => r.customer_id)).toEqual(['cust-001', 'cust-003', 'cust-005', 'cust-007']);
    const two = await client.query<{ customer_id: string }>(
      `select customer_id from ${schema}.summaries where (summary->'fx'->>'promises')::int = 2 order by customer_id`,
    );
    expect(two).toHaveLength(8);
  });

  it('refuses to run with another partition count than the projection was built with, naming the option', async () => {
    const { store } = await fresh();
    await new ProjectionWorker(store, { policies, partitions: 4 }).runUntilIdle();
    const other = new ProjectionWorker(store, { policies, partitions: 8 });
    const error = await other.runOnce().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(String(error)).toMatch(/option "partitions": this projection was built with 4 partitions/);
    expect(() => new ProjectionWorker(store, { policies, batchSize: 0 })).toThrow(/option "batchSize" must be a positive integer/);
  });

  it('validates retryFailedAfterMs like the other options: a positive integer, or Infinity (never by time)', async () => {
    const { store } = await fresh();
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => new ProjectionWorker(store, { policies, retryFailedAfterMs: bad })).toThrow(/option "retryFailedAfterMs" must be a positive integer/);
    }
    expect(() => new ProjectionWorker(store, { policies, retryFailedAfterMs: Number.POSITIVE_INFINITY })).not.toThrow();
  });

  it('refuses more than 1024 partitions, naming the option, the bound and the value (1e9 would insert a billion checkpoint rows and take a lock per partition)', async () => {
    const { store } = await fresh();
    for (const [bad, shown] of [[1e9, '1000000000'], [1025, '1025'], [2 ** 31, '2147483648']] as const) {
      const error = (() => {
        try {
          new ProjectionWorker(store, { policies, partitions: bad });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(UsageError);
      expect(String(error)).toMatch(new RegExp(`option "partitions" must be at most 1024 \\(.*\\), got ${shown}$`));
    }
    expect(new ProjectionWorker(store, { policies, partitions: 1024 }).partitions).toBe(1024);
  });

  it('refuses an option it does not know (a misspelt one would do nothing), naming it and listing the known ones', async () => {
    const { store } = await fresh();
    for (const typo of ['batchsize', 'pollIntervall']) {
      const error = (() => {
        try {
          new ProjectionWorker(store, { policies, [typo]: 10 } as never);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(UsageError);
      expect(String(error)).toContain(`ProjectionWorker: unknown option "${typo}" (the options are "policies", "config", "partitions", "batchSize", "maxPartitions", "clock", "pollInterval", `);
      // The closest option, as for an unknown event type.
      expect(String(error)).toMatch(new RegExp(`\\)\\. Did you mean "${typo === 'batchsize' ? 'batchSize' : 'pollInterval'}"\\?$`));
    }
    expect(() => new ProjectionWorker(store, { policies, batchsize: 10, pollIntervall: 5 } as never)).toThrow(/unknown options "batchsize", "pollIntervall"/);
    expect(() => new ProjectionWorker(store, null as never)).toThrow(/ProjectionWorker: options must be an object, got null/);
  });

  it('takes "plugins" as the Engine does, so what loadConfigFileWithPlugins gives can be passed whole, and refuses a plugin whose policies are not run', async () => {
    const { store } = await fresh();
    const loaded = await loadConfigFileWithPlugins(fileURLToPath(new URL('../../../examples/plugins/heed.config.json', import.meta.url)));
    const worker = new ProjectionWorker(store, { ...loaded, partitions: 4 });
    expect(worker.partitions).toBe(4);
    const refusal = (options: object) => {
      try {
        new ProjectionWorker(store, options);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const missing = refusal({ plugins: loaded.plugins, partitions: 4 }); // the built-in policies: not the plugin's
    expect(missing).toBeInstanceOf(UsageError);
    expect(String(missing)).toBe(
      'UsageError: ProjectionWorker: option "plugins": policy "no-reply" of plugin "./no-reply.js" is not among "policies", so it would not run; pass the policies loadConfigFileWithPlugins gave with the plugins',
    );
    expect(String(refusal({ policies, plugins: './no-reply.js' }))).toBe(
      'UsageError: ProjectionWorker: option "plugins" must be an array (what loadConfigFileWithPlugins gives), got "./no-reply.js"',
    );
  });

  it('validates pollInterval like the other options: a negative or NaN interval (which setTimeout runs as 1 ms, polling without rest) is refused by name', async () => {
    const { store } = await fresh();
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new ProjectionWorker(store, { policies, pollInterval: bad })).toThrow(/option "pollInterval" must be a non-negative integer/);
    }
    expect(() => new ProjectionWorker(store, { policies, pollInterval: 0 })).not.toThrow();
    // Beyond a 32-bit timer Node's setTimeout waits 1 ms (and warns on the console): the worker would poll without rest.
    expect(() => new ProjectionWorker(store, { policies, pollInterval: 2 ** 31 })).toThrow(/option "pollInterval" must be at most 2147483647 \(.*\), got 2147483648$/);
    expect(() => new ProjectionWorker(store, { policies, pollInterval: 2 ** 31 - 1 })).not.toThrow();
  });

  it('validates rebalanceInterval: a positive integer (0 would check the leases without rest) no longer than a timer can wait', async () => {
    const { store } = await fresh();
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '1000']) {
      expect(() => new ProjectionWorker(store, { policies, rebalanceInterval: bad as number })).toThrow(/option "rebalanceInterval" must be a positive integer/);
    }
    expect(() => new ProjectionWorker(store, { policies, rebalanceInterval: 2 ** 31 })).toThrow(/option "rebalanceInterval" must be at most 2147483647 \(.*\), got 2147483648$/);
    expect(() => new ProjectionWorker(store, { policies, rebalanceInterval: 1 })).not.toThrow();
    expect(() => new ProjectionWorker(store, { policies, rebalanceInterval: 2 ** 31 - 1 })).not.toThrow();
  });
});
