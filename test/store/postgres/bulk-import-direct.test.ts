import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventIdConflictError } from '../../../src/index.js';
import { openPGlite, PostgresEventStore, type SqlClient } from '../../../src/postgres.js';
import { ev } from '../store-contract.js';
import { counting } from './counting-client.js';

describe('bulk import writes new events straight into events (PGlite)', () => {
  let db: SqlClient;
  let n = 0;
  beforeAll(async () => void (db = await openPGlite()));
  afterAll(async () => db.close());

  async function fresh() {
    const { client, statements } = counting(db);
    const store = new PostgresEventStore(client, { schema: `direct_${++n}` });
    await store.migrate();
    statements.length = 0;
    return { store, statements };
  }
  const staged = (statements: readonly string[]) => statements.filter((s) => s.includes('create temp table heed_import')).length;

  it('stages nothing for events none of which is stored, and continues streams that exist', async () => {
    const { store, statements } = await fresh();
    await store.append('a', [ev('a', 0, { id: 'a0' })]);
    statements.length = 0;
    const result = await store.importEvents([ev('a', 1), ev('b', 0, { id: 'b0' }), ev('a', 2, { id: 'a2' }), ev('b', 1)], { batchSize: 3 });
    expect(result).toEqual({ imported: 4, duplicates: 0 });
    expect(staged(statements)).toBe(0);
    expect((await store.readStream('a')).map((e) => [e.streamVersion, e.id])).toEqual([
      [1, 'a0'],
      [2, 'a:2'],
      [3, 'a2'],
    ]);
    expect((await store.readStream('b')).map((e) => [e.streamVersion, e.id])).toEqual([
      [1, 'b0'],
      [2, 'b:2'],
    ]);
    expect([await store.streamVersion('a'), await store.streamVersion('b')]).toEqual([3, 2]);
  });

  it('rolls a chunk with a stored id back and settles it on the checked path, keeping versions right', async () => {
    const { store, statements } = await fresh();
    await store.importEvents([ev('c', 0, { id: 'c0' }), ev('c', 1, { id: 'c1' })]);
    statements.length = 0;
    const result = await store.importEvents([ev('c', 0, { id: 'c0' }), ev('c', 2, { id: 'c2' }), ev('d', 0)]);
    expect(result).toEqual({ imported: 2, duplicates: 1 });
    expect(staged(statements)).toBe(1);
    expect((await store.readStream('c')).map((e) => [e.streamVersion, e.id])).toEqual([
      [1, 'c0'],
      [2, 'c1'],
      [3, 'c2'],
    ]);
    expect(await store.streamVersion('c')).toBe(3);
    expect(await store.streamVersion('d')).toBe(1);
    const error = await store.importEvents([ev('c', 9, { id: 'c1' }), ev('e', 0)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventIdConflictError);
    expect(await store.streamVersion('e')).toBe(0);
    expect(await store.streamVersion('c')).toBe(3);
  });

  it('takes the checked path when a generated id is an explicit id of the same chunk, earlier (moved aside) or later (a retry)', async () => {
    const { store, statements } = await fresh();
    const result = await store.importEvents([ev('f', 0, { id: 'f:2' }), ev('f', 1), ev('f', 2), ev('f', 2, { id: 'f:3' })]);
    expect(result).toEqual({ imported: 3, duplicates: 1 });
    expect(staged(statements)).toBe(1);
    expect((await store.readStream('f')).map((e) => e.id)).toEqual(['f:2', 'f:2~2', 'f:3']);
  });
});
