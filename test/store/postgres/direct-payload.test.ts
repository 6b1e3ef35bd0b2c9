import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinPolicies, Engine, InvalidInputError, type NewEvent } from '../../../src/index.js';
import { openPGlite, PostgresEventStore, ProjectionWorker, type SqlClient } from '../../../src/postgres.js';
import { refusal } from '../../refusal.js';

/**
 * The production path of a CRM that writes to PostgreSQL itself and lets a projection worker
 * evaluate: the store validates a core type's payload as the engine does and keeps it normalised,
 * so the worker's policies read what the engine would have recorded.
 */

let client: SqlClient;
let n = 0;
beforeAll(async () => {
  client = await openPGlite();
});
afterAll(async () => client.close());

const AT = '2024-03-04T06:00:00Z';
const LATER = '2024-03-04T07:00:00Z';
const NOW = Date.parse('2024-03-10T00:00:00Z');

function direct(id: string, type: string, at: string, data: Record<string, unknown>): NewEvent {
  return { id, customerId: 'c', type, at, time: Date.parse(at), data };
}
const opened = direct('o', 'MatterOpened', AT, { matterId: 'm' });
const fix = direct('f', 'FixAttempted', LATER, { matterId: 'm', method: 'reboot', outcome: 'failed', downtimeHours: 24 });

async function refused(call: () => unknown): Promise<InvalidInputError> {
  const error = await refusal(call);
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

/** The burden summary the worker wrote for customer c. */
async function burdenRow(schema: string): Promise<unknown> {
  const [row] = await client.query<{ summary: { burden: unknown } }>(`select summary from ${schema}.summaries where customer_id = 'c'`);
  return row?.summary.burden;
}

/** The burden summary an engine that recorded the same events gives at NOW. */
async function engineBurden(): Promise<unknown> {
  const engine = new Engine({ policies: builtinPolicies });
  await engine.record([
    { id: 'o', customerId: 'c', type: 'MatterOpened', at: AT, data: { matterId: 'm' } },
    { id: 'f', customerId: 'c', type: 'FixAttempted', at: LATER, data: { matterId: 'm', method: 'reboot', outcome: 'failed', downtimeHours: 24 } },
  ]);
  await engine.advanceTo(NOW);
  return engine.summary('c')['burden'];
}

describe('PostgreSQL store (PGlite), called directly: a core payload validated and normalised', () => {
  for (const [name, write] of [
    ['append', (store: PostgresEventStore) => store.append('c', [opened, fix])],
    ['importEvents', (store: PostgresEventStore) => store.importEvents([opened, fix])],
    // An id already stored sends the chunk down the staged, checked path.
    ['importEvents, the checked path', async (store: PostgresEventStore) => { await store.append('c', [opened]); await store.importEvents([opened, fix]); }],
  ] as const) {
    it(`${name}: MatterOpened without severity is stored with the default, and the projection worker's burden score is the engine's`, async () => {
      const store = new PostgresEventStore(client, { schema: `direct_${++n}` });
      await write(store);
      const worker = new ProjectionWorker(store, { policies: builtinPolicies, clock: () => NOW, partitions: 1 });
      await worker.runUntilIdle();
      await worker.stop();
      const burden = (await burdenRow(store.schema)) as { score: unknown };
      expect(Number.isFinite(burden.score)).toBe(true);
      expect(burden).toEqual(await engineBurden());
      expect((await store.readStream('c')).map((e) => e.data)).toEqual([{ matterId: 'm', severity: 'normal' }, fix.data]);
    });
  }

  for (const [name, write] of [
    ['append', (store: PostgresEventStore, events: readonly NewEvent[]) => store.append('c', events)],
    ['importEvents', (store: PostgresEventStore, events: readonly NewEvent[]) => store.importEvents(events)],
  ] as const) {
    it(`${name}: a PromiseMade without dueBy is refused as the engine refuses it, before anything is written, not set aside later by the worker`, async () => {
      const store = new PostgresEventStore(client, { schema: `direct_${++n}` });
      const error = await refused(() => write(store, [opened, direct('p', 'PromiseMade', LATER, { promiseId: 'p', what: 'call back' })]));
      expect(error.errors.map((e) => e.problem())).toEqual([
        { customerId: 'c', eventId: 'p', eventType: 'PromiseMade', index: 1, path: 'data.dueBy', rule: 'required', message: 'required field is missing (expected string)' },
      ]);
      expect(await store.readAll()).toEqual([]);
    });
  }
});
