import { UsageError } from '../../errors.js';
import { checkOptionNames, optionNames } from '../../option-names.js';
import { pgListen, pgliteListen, type Unlisten } from './session-listen.js';

/**
 * One way to talk to PostgreSQL, whether it is a server reached through `pg` or PGlite running in
 * this process. The store, migrations and workers send the same SQL through it; only connection
 * handling and bulk loading differ.
 *
 * The types below describe just the parts of `pg` and PGlite heed uses, so `heed/postgres` type-checks
 * without either package installed (both are optional peers).
 */
export interface SqlExecutor {
  /**
   * Run one statement with `$1`-style parameters; rows as plain objects. A `name` makes it a
   * prepared statement on `pg` connections (parsed and planned once per connection, then only
   * bound and executed); the same name must always carry the same text. PGlite ignores it.
   */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[], name?: string): Promise<R[]>;
  /** Run a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/** A connection held for a while: a transaction, or a session owning advisory locks. */
export interface SqlSession extends SqlExecutor {
  /** Give the connection back (after UNLISTEN, if it listens). With an error, a pooled connection is discarded, not reused. */
  release(error?: unknown): Promise<void>;
  /**
   * LISTEN on `channel` until the session is released: `onNotice` is called with each
   * notification's payload, `onLost` once if the connection dies meanwhile (what is notified after
   * that is lost). Absent where notifications cannot be received: the caller polls.
   */
  listen?(channel: string, onNotice: (payload: string) => void, onLost: (error: unknown) => void): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  readonly kind: 'pg' | 'pglite';
  /** Run `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * A dedicated connection, for session-level advisory locks. With PGlite there is one session per
   * database, shared by everything in the process: locks taken there do not exclude each other.
   */
  session(): Promise<SqlSession>;
  /**
   * Stream rows in PostgreSQL's text COPY format into a table (inside `tx`). `pg` uses COPY FROM
   * STDIN through pg-copy-streams; PGlite has no COPY from a client stream, so the caller falls back
   * to multi-row inserts (`undefined` here).
   */
  readonly copyFrom: ((tx: SqlExecutor, copySql: string, lines: AsyncIterable<string> | Iterable<string>) => Promise<void>) | undefined;
  /** Close what this client opened (a pool it created; a PGlite database it created). */
  close(): Promise<void>;
}

/** The part of a `pg` Pool heed uses. */
export interface PgPoolLike {
  query(text: string | { readonly name: string; readonly text: string; readonly values: unknown[] }, params?: unknown[]): Promise<{ rows: unknown[] }>;
  connect(): Promise<PgPoolClientLike>;
  end(): Promise<void>;
  on?(event: 'error', listener: (error: Error) => void): unknown;
}

export interface PgPoolClientLike {
  query(text: string | object, params?: unknown[]): Promise<{ rows: unknown[] }> | NodeJS.WritableStream;
  release(error?: Error | boolean): void;
  /** Also `end` and `notification` (a `pg` Client is an EventEmitter): session-listen.ts. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** The part of a PGlite database heed uses. */
export interface PGliteLike {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  exec(script: string): Promise<unknown>;
  transaction<T>(work: (tx: { query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>; exec(script: string): Promise<unknown> }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite's own LISTEN (a LISTEN sent as a query delivers nothing); without it, a worker on this database polls. */
  listen?(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

export interface PgClientOptions {
  /** Close the pool on `close()`. Default: true when heed created the pool, false for yours. */
  readonly ownsPool?: boolean;
}

const PG_CLIENT_OPTIONS = optionNames<PgClientOptions>({ ownsPool: true });

/** A client over a `pg` Pool, or over a new pool for a connection string. */
export async function pgClient(pool: PgPoolLike | string, options: PgClientOptions = {}): Promise<SqlClient> {
  checkOptionNames('pgClient', options, PG_CLIENT_OPTIONS);
  let target: PgPoolLike;
  let owns = options.ownsPool ?? false;
  if (typeof pool === 'string') {
    const pg = await importOptional<{ default?: { Pool: new (config: object) => PgPoolLike }; Pool?: new (config: object) => PgPoolLike }>('pg');
    const Pool = pg.Pool ?? pg.default?.Pool;
    if (Pool === undefined) throw new UsageError('the "pg" package does not export Pool; install pg@8', MISSING_PACKAGE);
    target = new Pool({ connectionString: pool, connectionTimeoutMillis: connectTimeoutMs(pool) });
    // An idle connection that dies (a server restart) is dropped by the pool, which then emits
    // `error`: unlistened, that ends the process. The next query opens a new connection, or fails.
    target.on?.('error', ignore);
    owns = options.ownsPool ?? true;
  } else target = pool;
  return new PgClient(target, owns);
}

/** Seconds to wait for a new connection when a connection string says none (`connect_timeout`). */
const CONNECT_TIMEOUT_SECONDS = 10;

/**
 * How long a pool heed opens waits for a new connection: the connection string's `connect_timeout`
 * in seconds (libpq's parameter, which `pg` itself ignores), else 10 s. `pg` waits forever by default,
 * so a server that takes the connection and never answers would hang every call, and a worker's
 * pass, with no error.
 */
function connectTimeoutMs(connectionString: string): number {
  let given: string | null = null;
  try {
    given = new URL(connectionString).searchParams.get('connect_timeout');
  } catch {
    // Not a URL (a socket path, say): pg reads it its own way, and the default applies.
  }
  const seconds = given === null ? Number.NaN : Number(given);
  // libpq: 0 (or a negative number) waits forever.
  if (Number.isFinite(seconds) && given?.trim() !== '') return seconds <= 0 ? 0 : Math.max(1, Math.floor(seconds)) * 1000;
  return CONNECT_TIMEOUT_SECONDS * 1000;
}

interface PGliteClientOptions {
  /** Close the database on `close()`. Default false: the database is yours. */
  readonly ownsDatabase?: boolean;
}

const PGLITE_CLIENT_OPTIONS = optionNames<PGliteClientOptions>({ ownsDatabase: true });

/** A client over a PGlite database (`new PGlite()` or `new PGlite('./data')`). */
export function pgliteClient(db: PGliteLike, options: PGliteClientOptions = {}): SqlClient {
  checkOptionNames('pgliteClient', options, PGLITE_CLIENT_OPTIONS);
  return new PGliteClient(db, options.ownsDatabase ?? false);
}

/** A new PGlite database in memory (or at `dataDir`), owned by the client. */
export async function openPGlite(dataDir?: string): Promise<SqlClient> {
  const mod = await importOptional<{ PGlite?: new (dataDir?: string) => PGliteLike }>('@electric-sql/pglite');
  if (typeof mod.PGlite !== 'function') throw new UsageError('the "@electric-sql/pglite" package does not export PGlite; install @electric-sql/pglite@0.3 or later', MISSING_PACKAGE);
  return new PGliteClient(dataDir === undefined ? new mod.PGlite() : new mod.PGlite(dataDir), true);
}

class PgClient implements SqlClient {
  readonly kind = 'pg' as const;
  readonly #pool: PgPoolLike;
  readonly #owns: boolean;
  #closed: Promise<void> | undefined;

  constructor(pool: PgPoolLike, owns: boolean) {
    this.#pool = pool;
    this.#owns = owns;
  }

  async query<R>(text: string, params: readonly unknown[] = [], name?: string): Promise<R[]> {
    if (name !== undefined) return (await this.#pool.query({ name, text, values: [...params] })).rows as R[];
    return (await this.#pool.query(text, [...params])).rows as R[];
  }

  async exec(script: string): Promise<void> {
    await this.#pool.query(script);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const connection = checkedOut(await this.#pool.connect());
    const tx = pgExecutor(connection);
    try {
      await tx.query('begin');
      const result = await work(tx);
      await tx.query('commit');
      connection.release();
      return result;
    } catch (error) {
      // A failed rollback means the connection is unusable: discard it rather than reuse it.
      const broken = await tx.query('rollback').then(() => false, () => true);
      connection.release(broken ? asError(error) : undefined);
      throw error;
    }
  }

  async session(): Promise<SqlSession> {
    const connection = checkedOut(await this.#pool.connect());
    const executor = pgExecutor(connection);
    let unlisten: Unlisten | undefined;
    return {
      ...executor,
      listen: async (channel, onNotice, onLost) => {
        await unlisten?.(true);
        unlisten = await pgListen(connection, executor, channel, onNotice, onLost);
      },
      release: async (error?: unknown) => {
        let failure = error;
        // A connection that cannot UNLISTEN is not given back to the pool listening: it is discarded.
        await unlisten?.(failure === undefined).catch((cause: unknown) => void (failure = cause));
        unlisten = undefined;
        connection.release(failure === undefined ? undefined : asError(failure));
      },
    };
  }

  readonly copyFrom = async (tx: SqlExecutor, copySql: string, lines: AsyncIterable<string> | Iterable<string>): Promise<void> => {
    const copy = await importOptional<{ from?: (sql: string) => object; default?: { from: (sql: string) => object } }>('pg-copy-streams');
    const from = copy.from ?? copy.default?.from;
    if (from === undefined) throw new UsageError('the "pg-copy-streams" package does not export from(); install pg-copy-streams@7', MISSING_PACKAGE);
    const connection = connectionOf(tx);
    const stream = connection.query(from(copySql)) as NodeJS.WritableStream;
    const { Readable } = await import('node:stream');
    const { pipeline } = await import('node:stream/promises');
    await pipeline(Readable.from(lines), stream);
  };

  /** Idempotent: a shutdown often closes twice, and `pg` throws when a pool is ended twice. */
  close(): Promise<void> {
    if (!this.#owns) return Promise.resolve();
    return (this.#closed ??= this.#pool.end());
  }
}

class PGliteClient implements SqlClient {
  readonly kind = 'pglite' as const;
  readonly copyFrom = undefined;
  readonly #db: PGliteLike;
  readonly #owns: boolean;
  #closed: Promise<void> | undefined;

  constructor(db: PGliteLike, owns: boolean) {
    this.#db = db;
    this.#owns = owns;
  }

  async query<R>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    return (await this.#db.query<R>(text, [...params])).rows;
  }

  async exec(script: string): Promise<void> {
    await this.#db.exec(script);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#db.transaction((inner) =>
      work({
        query: async <R>(text: string, params: readonly unknown[] = []) => (await inner.query<R>(text, [...params])).rows,
        exec: async (script: string) => void (await inner.exec(script)),
      }),
    );
  }

  async session(): Promise<SqlSession> {
    const db = this.#db;
    let unlisten: Unlisten | undefined;
    return {
      query: (text, params) => this.query(text, params),
      exec: (script) => this.exec(script),
      ...(db.listen === undefined
        ? {}
        : {
            listen: async (channel: string, onNotice: (payload: string) => void) => {
              await unlisten?.(true);
              unlisten = await pgliteListen(db, channel, onNotice);
            },
          }),
      release: async (error?: unknown) => {
        const done = unlisten;
        unlisten = undefined;
        await done?.(error === undefined);
      },
    };
  }

  /** Idempotent, as for `pg` (PGlite throws when closed twice). */
  close(): Promise<void> {
    if (!this.#owns) return Promise.resolve();
    return (this.#closed ??= this.#db.close());
  }
}

const connections = new WeakMap<SqlExecutor, PgPoolClientLike>();

function ignore(): void {}

/**
 * A connection taken from the pool, listened to for `error` while heed holds it: `pg` emits one
 * when the connection dies between queries (a server restart, an administrator ending it), and
 * unlistened that ends the process. The connection's next query fails instead, which the caller
 * reports (a worker emits `error` and retries); the pool listens again once it is released.
 */
function checkedOut(connection: PgPoolClientLike): PgPoolClientLike {
  connection.on?.('error', ignore);
  const release = connection.release.bind(connection);
  connection.release = (error?: Error | boolean) => {
    connection.removeListener?.('error', ignore);
    release(error);
  };
  return connection;
}

function pgExecutor(connection: PgPoolClientLike): SqlExecutor {
  const executor: SqlExecutor = {
    query: async <R>(text: string, params: readonly unknown[] = []) => ((await (connection.query(text, [...params]) as Promise<{ rows: unknown[] }>)).rows) as R[],
    // No parameters: pg sends it with the simple protocol, which allows several statements.
    exec: async (script: string) => void (await (connection.query(script) as Promise<unknown>)),
  };
  connections.set(executor, connection);
  return executor;
}

function connectionOf(tx: SqlExecutor): PgPoolClientLike {
  const connection = connections.get(tx);
  // An executor, but not one of those transaction gives: a value outside the ones allowed.
  if (connection === undefined) throw new UsageError('copyFrom needs the transaction executor given by SqlClient#transaction', { path: 'tx', rule: 'invalid-value' });
  return connection;
}

/**
 * An optional peer package absent, or not the version heed needs: `rule` only, as no argument of
 * the caller's is at fault (the message names the package and the install command).
 */
const MISSING_PACKAGE = { rule: 'missing-package' } as const;

async function importOptional<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new UsageError(`heed/postgres needs the optional package "${name}" for this; install it (npm install ${name}): ${reason}`, { cause, ...MISSING_PACKAGE });
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
