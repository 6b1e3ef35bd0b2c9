import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/index.js';
import { inattention } from '../../../src/policies/inattention.js';
import { openPGlite, PostgresEventStore, ProjectionWorker, type SqlClient } from '../../../src/postgres.js';

let client: SqlClient;
beforeAll(async () => {
  client = await openPGlite();
});
afterAll(async () => client.close());

const policies = [inattention];
const config = { calendar: { timeZone: 'America/Denver' }, policies: { inattention: { maxSilence: 'P1D', clock: 'calendar' } } };
const DAY = 86_400_000;
const START = Date.parse('2017-11-20T09:00:00Z');
/** The README, whose SQL recipes the tests run as written. */
const readmeSql = () => readFile(new URL('../../../README.md', import.meta.url), 'utf8');

describe('projection worker: an open gap worsens with no new event', () => {
  it("steps the row's severity up at its wake times: warning, then breach at 2x, critical at 4x the allowance", async () => {
    const schema = 'proj_severity';
    const store = new PostgresEventStore(client, { schema });
    await new Engine({ policies, config, store }).record({
      id: 'open',
      customerId: 'c1',
      type: 'MatterOpened',
      at: new Date(START).toISOString(),
      data: { matterId: 'm1' },
    });
    let now = START + DAY + 3_600_000;
    const worker = new ProjectionWorker(store, { policies, config, clock: () => now, partitions: 1 });
    const row = async () => {
      const [finding] = await client.query<{ severity: string; details: { silenceMinutes: number } }>(`select severity, details from ${schema}.findings`);
      const [wake] = await client.query<{ wake_at: string }>(`select wake_at from ${schema}.wake_times`);
      return [finding?.severity, finding?.details.silenceMinutes, wake === undefined ? null : new Date(wake.wake_at).toISOString()];
    };
    await worker.runUntilIdle();
    expect(await row()).toEqual(['warning', 25 * 60, '2017-11-22T09:00:00.000Z']);
    now = START + 3 * DAY;
    await worker.runUntilIdle();
    expect(await row()).toEqual(['breach', 72 * 60, '2017-11-24T09:00:00.000Z']);
    now = START + 5 * DAY;
    await worker.runUntilIdle();
    expect(await row()).toEqual(['critical', 120 * 60, null]);
    await worker.stop();
  });

  it("past its last step an open gap has no wake time: the row's silenceMinutes is as of summaries.as_of, and the README's query gives the silence now (calendar clock), stopped while the matter waits on the customer", async () => {
    const schema = 'proj_silence_now';
    const store = new PostgresEventStore(client, { schema });
    const iso = (t: number) => new Date(t).toISOString();
    const events = [
      { id: 'c1-open', customerId: 'c1', type: 'MatterOpened', at: iso(START), data: { matterId: 'm1' } },
      { id: 'c2-open', customerId: 'c2', type: 'MatterOpened', at: iso(START), data: { matterId: 'm1' } },
      { id: 'c2-wait', customerId: 'c2', type: 'MatterStatusChanged', at: iso(START + 2 * DAY), data: { matterId: 'm1', status: 'waiting-on-customer' } },
    ];
    await new Engine({ policies, config, store }).record(events);
    let now = START + 5 * DAY;
    const worker = new ProjectionWorker(store, { policies, config, clock: () => now, partitions: 1 });
    await worker.runUntilIdle();
    const rows = async () =>
      client.query<{ customer_id: string; severity: string; silence: number; as_of: string; next_wake_at: string | null }>(
        `select f.customer_id, f.severity, (f.details->>'silenceMinutes')::int as silence, s.as_of, s.next_wake_at
           from ${schema}.findings f join ${schema}.summaries s using (customer_id) order by f.customer_id`,
      );
    const asOf = (await rows()).map((r) => [r.customer_id, r.severity, r.silence, iso(Date.parse(r.as_of)), r.next_wake_at]);
    expect(asOf).toEqual([
      ['c1', 'critical', 5 * 24 * 60, iso(START + 5 * DAY), null],
      ['c2', 'breach', 2 * 24 * 60, iso(START + 5 * DAY), null],
    ]);

    // Four days on, nothing is due: no evaluation, and the rows are as they were.
    now = START + 9 * DAY;
    expect(await worker.runUntilIdle()).toEqual([]);
    expect((await rows()).map((r) => [r.customer_id, r.severity, r.silence, iso(Date.parse(r.as_of)), r.next_wake_at])).toEqual(asOf);
    await worker.stop();

    // The README's query, at the worker's clock for now(), gives what an evaluation now would.
    const readme = /-- every open gap's silence now[^\n]*\n((?:--[^\n]*\n)*[\s\S]*?)\n```/.exec(await readmeSql())?.[1];
    expect(readme).toBeDefined();
    const sql = (readme as string).replaceAll('heed.', `${schema}.`).replaceAll('now()', '$1::timestamptz');
    const got = await client.query<{ customer_id: string; silence_minutes_now: number }>(`${sql.replace(/;\s*$/, '')} order by 1`, [iso(now)]);
    const engine = new Engine({ policies, config });
    await engine.record(events);
    await engine.advanceTo(iso(now));
    const evaluated = engine.findings({ kind: 'inattention.gap' }).map((f) => [f.customerId, f.details.silenceMinutes]);
    expect(evaluated).toEqual([
      ['c1', 9 * 24 * 60],
      ['c2', 2 * 24 * 60],
    ]);
    expect(got.map((r) => [r.customer_id, Number(r.silence_minutes_now)])).toEqual(evaluated);
  });

  it("after a change of configuration, quiet customers keep the old rows until re-evaluated: the README's upgrade query makes the next passes re-evaluate every customer", async () => {
    const schema = 'proj_reevaluate';
    const store = new PostgresEventStore(client, { schema });
    await new Engine({ policies, config, store }).record({ id: 'open', customerId: 'c1', type: 'MatterOpened', at: new Date(START).toISOString(), data: { matterId: 'm1' } });
    const now = START + DAY + 3_600_000;
    const findings = async () => (await client.query<{ allowed: number }>(`select (details->>'allowedMinutes')::int as allowed from ${schema}.findings`)).map((r) => r.allowed);
    const before = new ProjectionWorker(store, { policies, config, clock: () => now, partitions: 1 });
    await before.runUntilIdle();
    await before.stop();
    expect(await findings()).toEqual([24 * 60]); // a gap: a day allowed, 25 hours silent

    const twoDays = { ...config, policies: { inattention: { maxSilence: 'P2D', clock: 'calendar' } } };
    const after = new ProjectionWorker(store, { policies, config: twoDays, clock: () => now, partitions: 1 });
    expect(await after.runUntilIdle()).toEqual([]); // nothing new, nothing due: the old row stays
    expect(await findings()).toEqual([24 * 60]);

    const readme = /-- re-evaluate every customer[^\n]*\n([\s\S]*?)\n```/.exec(await readmeSql())?.[1];
    expect(readme).toBeDefined();
    await client.query((readme as string).replaceAll('heed.', `${schema}.`).replaceAll('now()', '$1::timestamptz').replace(/;\s*$/, ''), [new Date(now).toISOString()]);
    expect((await after.runUntilIdle()).flatMap((b) => b.customers)).toEqual(['c1']);
    expect(await findings()).toEqual([]); // two days allowed: no gap yet
    const [wake] = await client.query<{ wake_at: string }>(`select wake_at from ${schema}.wake_times`);
    expect(new Date(wake?.wake_at as string).toISOString()).toBe(new Date(START + 2 * DAY).toISOString()); // its own wake time again
    await after.stop();
  });
});
