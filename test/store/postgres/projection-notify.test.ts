import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/index.js';
import { openPGlite, PostgresEventStore, ProjectionWorker, type SqlClient } from '../../../src/postgres.js';
import { nextBatch, observed, passes, startResting } from './notify-helpers.js';
import { at, NOW, policies } from './projection-fixtures.js';
import { projectionNotifySpec } from './projection-notify-spec.js';

let client: SqlClient;
let n = 0;
beforeAll(async () => {
  client = await openPGlite();
});
afterAll(async () => client.close());

projectionNotifySpec('PGlite', async () => ({
  client,
  schema: () => `proj_notify_${++n}`,
  // PGlite has one session: what it listens on is what the database listens on.
  listening: async () => (await client.query<{ c: string }>('select pg_listening_channels() as c')).map((r) => r.c),
}));

/** One event opening a matter for `customerId`. */
const opened = (customerId: string) => ({ id: `${customerId}-1`, customerId, type: 'MatterOpened', at: at(1), data: { matterId: 'm1' } });

// PGlite's connection is the database in this process: it is never lost. These stand a lost one in
// through the session's onLost, with its notifications dropped meanwhile (the server's own test
// ends a real connection: projection-notify.server.test.ts).
describe('a worker whose listening connection is lost (PGlite)', () => {
  it('reports it as error, listens again on a new connection at once, and that pass projects what was appended while it heard nothing', async () => {
    const watched = observed(client);
    const store = new PostgresEventStore(watched.client, { schema: `proj_notify_${++n}`, notify: true });
    const worker = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1, pollInterval: 3_600_000 });
    const errors: unknown[] = [];
    worker.on('error', (error) => errors.push(error));
    const count = await startResting(worker);
    const writer = new Engine({ policies, store });

    watched.deaf = true; // the connection is gone: nothing is heard
    await writer.record(opened('a'));
    watched.deaf = false;
    const batch = nextBatch(worker);
    const lost = new Error('connection lost');
    watched.lose(lost);
    expect((await batch).customers).toEqual(['a']);
    expect(errors).toEqual([lost]);
    expect(watched.listens).toBe(2); // a new session listens

    const next = nextBatch(worker);
    await writer.record(opened('b'));
    expect((await next).customers).toEqual(['b']);
    await worker.stop();
  });

  it('with no error listener, stops on it as on a failed pass: `stopped` rejects with it and the partitions are given back', async () => {
    const watched = observed(client);
    const store = new PostgresEventStore(watched.client, { schema: `proj_notify_${++n}`, notify: true });
    const worker = new ProjectionWorker(store, { policies, clock: () => NOW, partitions: 1, pollInterval: 3_600_000 });
    const count = passes(worker);
    const resting = count.idle();
    const stopped = worker.start().stopped;
    await resting;
    expect(worker.owned()).toEqual([0]);
    const lost = new Error('connection lost');
    watched.lose(lost);
    await expect(stopped).rejects.toBe(lost);
    expect(worker.owned()).toEqual([]);
    expect(await client.query('select pg_listening_channels()')).toEqual([]);
  });
});
