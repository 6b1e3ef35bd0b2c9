import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError, VALIDATION_RULES } from '../../../src/index.js';
import { openPGlite, pgClient, type PgPoolLike } from '../../../src/postgres.js';
import { rejected, details } from '../../usage-error-helpers.js';

/**
 * heed/postgres's optional peer packages (`pg`, `pg-copy-streams`, `@electric-sql/pglite`), absent
 * or not the version heed needs: a UsageError with `rule` `missing-package`, so a program can tell
 * "install it" from a wrong argument without reading the message. No `path`: no argument of the
 * caller's is at fault. The packages are mocked away (each test its own mock).
 */
afterEach(() => {
  vi.doUnmock('pg');
  vi.doUnmock('pg-copy-streams');
  vi.doUnmock('@electric-sql/pglite');
  vi.resetModules();
});

const missing = (name: string) => () => {
  throw new Error(`Cannot find package '${name}'`);
};

const fields = { path: undefined, rule: 'missing-package', customerId: undefined };

describe('a missing optional package: rule missing-package', () => {
  it('pg, for a connection string', async () => {
    vi.doMock('pg', missing('pg'));
    const e = await rejected(() => pgClient('postgres://nowhere/db'));
    expect(e.message).toMatch(/^heed\/postgres needs the optional package "pg" for this; install it \(npm install pg\): /);
    expect(details(e)).toEqual(fields);
  });

  it('pg without Pool (not pg@8)', async () => {
    vi.doMock('pg', () => ({ default: {}, Pool: undefined }));
    const e = await rejected(() => pgClient('postgres://nowhere/db'));
    expect(e.message).toBe('the "pg" package does not export Pool; install pg@8');
    expect(details(e)).toEqual(fields);
  });

  it('@electric-sql/pglite, for openPGlite', async () => {
    vi.doMock('@electric-sql/pglite', missing('@electric-sql/pglite'));
    const e = await rejected(() => openPGlite());
    expect(e.message).toMatch(/^heed\/postgres needs the optional package "@electric-sql\/pglite"/);
    expect(details(e)).toEqual(fields);
  });

  it('@electric-sql/pglite without a PGlite class, for openPGlite', async () => {
    vi.doMock('@electric-sql/pglite', () => ({ PGlite: undefined }));
    const e = await rejected(() => openPGlite());
    expect(e.message).toBe('the "@electric-sql/pglite" package does not export PGlite; install @electric-sql/pglite@0.3 or later');
    expect(details(e)).toEqual(fields);
  });

  it('pg-copy-streams, missing or without from(), for copyFrom', async () => {
    const pool = { query: async () => ({ rows: [] }), connect: async () => { throw new Error('no server'); }, end: async () => {} };
    const client = await pgClient(pool as unknown as PgPoolLike);
    const tx = { query: async () => [], exec: async () => {} };
    vi.doMock('pg-copy-streams', missing('pg-copy-streams'));
    expect(details(await rejected(() => client.copyFrom!(tx, 'copy t from stdin', [])))).toEqual(fields);
    vi.doUnmock('pg-copy-streams');
    vi.resetModules();
    vi.doMock('pg-copy-streams', () => ({ default: {}, from: undefined }));
    const e = await rejected(() => client.copyFrom!(tx, 'copy t from stdin', []));
    expect(e.message).toBe('the "pg-copy-streams" package does not export from(); install pg-copy-streams@7');
    expect(details(e)).toEqual(fields);
  });

  it('missing-package is a documented rule', () => {
    expect(Object.keys(VALIDATION_RULES)).toContain('missing-package');
  });
});
