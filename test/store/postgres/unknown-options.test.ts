import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/index.js';
import { pgClient, pgliteClient, PostgresEventStore, type PGliteLike, type PgPoolLike, type SqlClient } from '../../../src/postgres.js';
import { refusal } from '../../refusal.js';

/**
 * Every options object of heed/postgres refuses a name it does not know, before it touches the
 * database: these clients fail any statement, so a check made after the first query (a
 * migration, a pool opened) would surface as their error instead of the UsageError.
 */
const untouched = (): SqlClient => {
  const fail = () => Promise.reject(new Error('the database was used'));
  return { kind: 'pglite', copyFrom: undefined, query: fail, exec: fail, transaction: fail, session: fail, close: async () => {} };
};
const pool: PgPoolLike = { query: () => Promise.reject(new Error('pool used')), connect: () => Promise.reject(new Error('pool used')), end: async () => {} };
const database: PGliteLike = { query: () => Promise.reject(new Error('db used')), exec: () => Promise.reject(new Error('db used')), transaction: () => Promise.reject(new Error('db used')), close: async () => {} };

const storeOptions = '"schema", "upcasters", "ownsClient", "notify"';
const event = { customerId: 'c', type: 'X', at: '2024-01-01T00:00:00Z', time: 0, data: {} };


const cases: readonly { readonly entry: string; readonly call: () => unknown; readonly message: string }[] = [
  {
    entry: 'new PostgresEventStore',
    call: () => new PostgresEventStore(untouched(), { schemaName: 'mine' } as never),
    message: `PostgresEventStore: unknown option "schemaName" (the options are ${storeOptions})`,
  },
  {
    entry: 'PostgresEventStore.connect',
    call: () => PostgresEventStore.connect(pool, { upcaster: [] } as never),
    message: `PostgresEventStore.connect: unknown option "upcaster" (the options are ${storeOptions}). Did you mean "upcasters"?`,
  },
  {
    entry: 'PostgresEventStore.pglite',
    call: () => PostgresEventStore.pglite(database, { ownsDatabase: true } as never),
    message: `PostgresEventStore.pglite: unknown option "ownsDatabase" (the options are ${storeOptions})`,
  },
  {
    entry: 'store.importEvents',
    call: () => new PostgresEventStore(untouched()).importEvents([event], { chunkSize: 10 } as never),
    message: 'importEvents: unknown option "chunkSize" (the options are "batchSize")',
  },
  {
    entry: 'store.importEvents (a bad batchSize, worded as before)',
    call: () => new PostgresEventStore(untouched()).importEvents([event], { batchSize: 0 }),
    message: 'importEvents: option "batchSize" must be a positive integer, got 0',
  },
  {
    entry: 'store.append',
    call: () => new PostgresEventStore(untouched()).append('c', [event], { expectedversion: 0 } as never),
    message: 'append: unknown option "expectedversion" (the options are "expectedVersion"). Did you mean "expectedVersion"?',
  },
  { entry: 'pgClient', call: () => pgClient(pool, { owns: true } as never), message: 'pgClient: unknown option "owns" (the options are "ownsPool")' },
  { entry: 'pgliteClient', call: () => pgliteClient(database, { ownsPool: true } as never), message: 'pgliteClient: unknown option "ownsPool" (the options are "ownsDatabase")' },
  { entry: 'pgliteClient (not an object)', call: () => pgliteClient(database, [] as never), message: 'pgliteClient: options must be an object, got an array' },
];

describe('heed/postgres options with unknown names', () => {
  it.each(cases)('$entry refuses them with a UsageError naming the entry, the names and the known ones, before using the database', async ({ call, message }) => {
    const error = await refusal(call);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(message);
  });

  it('keeps accepting every known option', async () => {
    const store = new PostgresEventStore(untouched(), { schema: 'mine', upcasters: [], ownsClient: false });
    expect(store.schema).toBe('mine');
    expect((await pgClient(pool, { ownsPool: false })).kind).toBe('pg');
    expect(pgliteClient(database, { ownsDatabase: false }).kind).toBe('pglite');
  });
});
