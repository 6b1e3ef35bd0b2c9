import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventIdConflictError, VersionConflictError } from '../../../src/index.js';
import { openPGlite, PostgresEventStore, type SqlClient } from '../../../src/postgres.js';
import { ev } from '../store-contract.js';
import { counting } from './counting-client.js';

describe('PostgreSQL append in one statement (PGlite)', () => {
  let db: SqlClient;
  let n = 0;
  beforeAll(async () => void (db = await openPGlite()));
  afterAll(async () => db.close());

  async function fresh() {
    const { client, statements } = counting(db);
    const store = new PostgresEventStore(client, { schema: `one_${++n}` });
    await store.migrate();
    statements.length = 0;
    return { store, statements };
  }

  it('writes new events with one statement for every kind of expected version', async () => {
    const { store, statements } = await fresh();
    const steps = [
      () => store.append('a', [ev('a', 0, { id: 'a0' })], { expectedVersion: 'no-stream' }),
      () => store.append('a', [ev('a', 1), ev('a', 2, { id: 'a2' })], { expectedVersion: 1 }),
      () => store.append('a', [ev('a', 3)], { expectedVersion: 'stream-exists' }),
      () => store.append('a', [ev('a', 4)]),
      () => store.append('b', [ev('b', 0)], { expectedVersion: 0 }),
    ];
    for (const step of steps) {
      statements.length = 0;
      await step();
      expect(statements).toHaveLength(1);
    }
    expect((await store.readStream('a')).map((e) => [e.streamVersion, e.id])).toEqual([
      [1, 'a0'],
      [2, 'a:2'],
      [3, 'a2'],
      [4, 'a:4'],
      [5, 'a:5'],
    ]);
    expect(await store.streamVersion('a')).toBe(5);
    expect(await store.streamVersion('b')).toBe(1);
  });

  it('changes nothing when the one statement cannot settle the append, and the checked path answers', async () => {
    const { store, statements } = await fresh();
    const first = await store.append('c', [ev('c', 0, { id: 'x' }), ev('c', 1, { id: 'c:3' })]);
    // A retry with a stale expected version: the statement finds the version moved, the checked
    // transaction finds the id stored with the same payload.
    statements.length = 0;
    const retry = await store.append('c', [ev('c', 0, { id: 'x' })], { expectedVersion: 0 });
    expect(retry).toEqual({ streamVersion: 2, appended: [], duplicates: [first.appended[0]] });
    expect(statements.length).toBeGreaterThan(1);
    // An id with another payload: a unique violation in the statement, a conflict in the transaction.
    await expect(store.append('c', [ev('c', 5, { id: 'x' }), ev('c', 6, { id: 'new' })])).rejects.toBeInstanceOf(EventIdConflictError);
    // A wrong version: the actual one is reported.
    const stale = await store.append('c', [ev('c', 7)], { expectedVersion: 1 }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(VersionConflictError);
    expect(stale).toMatchObject({ expected: 1, actual: 2 });
    // A generated id already taken ("c:3" at version 3): suffixed, as before.
    const taken = await store.append('c', [ev('c', 8)], { expectedVersion: 2 });
    expect(taken.appended.map((e) => [e.streamVersion, e.id])).toEqual([[3, 'c:3~2']]);
    expect((await store.readStream('c')).map((e) => e.id)).toEqual(['x', 'c:3', 'c:3~2']);
    expect(await store.streamVersion('c')).toBe(3);
  });

  it('sends a batch that repeats an id straight to the checked transaction', async () => {
    const { store, statements } = await fresh();
    const result = await store.append('d', [ev('d', 0, { id: 'same' }), ev('d', 0, { id: 'same' }), ev('d', 1)]);
    expect(result.appended.map((e) => [e.streamVersion, e.id])).toEqual([
      [1, 'same'],
      [2, 'd:2'],
    ]);
    expect(statements[0]).not.toMatch(/^with st as/);
  });
});
