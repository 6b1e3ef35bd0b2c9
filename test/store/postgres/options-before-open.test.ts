import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../src/index.js';
import { PostgresEventStore } from '../../../src/postgres.js';
import { refusal } from '../../refusal.js';

/**
 * PostgresEventStore.connect and .pglite check every option before they open anything: a refused
 * store is never returned, so nothing would close a pool or a PGlite database opened for it (a
 * PGlite left open can keep the process from exiting). The PGlite and pg constructors are wrapped
 * to count what is opened, and what is closed.
 */
const opened = vi.hoisted(() => ({ pglite: [] as { closed: boolean }[], pools: [] as { ended: boolean }[] }));

vi.mock('@electric-sql/pglite', async (importOriginal) => {
  const real = await importOriginal<typeof import('@electric-sql/pglite')>();
  class CountingPGlite extends real.PGlite {
    readonly #record = { closed: false };
    constructor(...args: ConstructorParameters<typeof real.PGlite>) {
      super(...args);
      opened.pglite.push(this.#record);
    }
    override async close(): Promise<void> {
      this.#record.closed = true;
      return super.close();
    }
  }
  return { ...real, PGlite: CountingPGlite };
});

vi.mock('pg', () => {
  // Never connects: the tests only count pools made and ended.
  class Pool {
    readonly #record = { ended: false };
    constructor() {
      opened.pools.push(this.#record);
    }
    on() {
      return this;
    }
    query() {
      return Promise.reject(new Error('no server in this test'));
    }
    connect() {
      return Promise.reject(new Error('no server in this test'));
    }
    async end() {
      this.#record.ended = true;
    }
  }
  return { Pool, default: { Pool } };
});

afterEach(() => {
  opened.pglite.length = 0;
  opened.pools.length = 0;
});


// `fields`: the UsageError's structured fields (errors.ts), where it names an option of the caller's.
const bad = [
  {
    option: 'schema',
    options: { schema: 'Bad-Name' },
    message: /^PostgresEventStore\.(pglite|connect): option "schema": "Bad-Name" must be lowercase letters/,
    fields: { path: 'schema', rule: 'invalid-format' },
  },
  {
    option: 'schema (not a string)',
    options: { schema: 7 as never },
    message: /^PostgresEventStore\.(pglite|connect): option "schema": 7 must be lowercase letters/,
    fields: { path: 'schema', rule: 'invalid-type' },
  },
  // Kept as given, "yes" was truthy: close() would have ended a pool the caller owns.
  {
    option: 'ownsClient',
    options: { ownsClient: 'yes' as never },
    message: /^PostgresEventStore\.(pglite|connect): option "ownsClient" must be true or false, got "yes"$/,
    fields: { path: 'ownsClient', rule: 'invalid-type' },
  },
  {
    option: 'notify',
    options: { notify: 1 as never },
    message: /^PostgresEventStore\.(pglite|connect): option "notify" must be true or false, got 1$/,
    fields: { path: 'notify', rule: 'invalid-type' },
  },
  {
    option: 'upcasters',
    options: { upcasters: [{ type: 'X', fromVersion: 0, upcast: (d: unknown) => d }] },
    message: /^upcaster for "X": fromVersion must be an integer >= 1, got 0$/,
    fields: { path: 'upcasters[0].fromVersion', rule: 'too-small' },
  },
] as const;

describe('PostgresEventStore.pglite and .connect check their options before opening anything', () => {
  it('the wrapped constructors see what a store opens, and its close', async () => {
    const store = await PostgresEventStore.pglite(undefined, { schema: 'fine' });
    expect(opened.pglite).toEqual([{ closed: false }]);
    await store.close();
    expect(opened.pglite).toEqual([{ closed: true }]);
    const pooled = await PostgresEventStore.connect('postgres://nobody@127.0.0.1:1/none', { schema: 'fine' });
    expect(opened.pools).toEqual([{ ended: false }]);
    await pooled.close();
    expect(opened.pools).toEqual([{ ended: true }]);
  });

  it.each(bad)('pglite() with a bad $option opens no PGlite database', async ({ options, message, fields }) => {
    const error = await refusal(() => PostgresEventStore.pglite(undefined, options));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect({ path: (error as UsageError).path, rule: (error as UsageError).rule }).toEqual(fields);
    expect(opened.pglite).toEqual([]);
  });

  it.each(bad)('connect() with a bad $option creates no pool', async ({ options, message, fields }) => {
    const error = await refusal(() => PostgresEventStore.connect('postgres://nobody@127.0.0.1:1/none', options));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect({ path: (error as UsageError).path, rule: (error as UsageError).rule }).toEqual(fields);
    expect(opened.pools).toEqual([]);
  });
});
