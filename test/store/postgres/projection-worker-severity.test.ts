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
});
