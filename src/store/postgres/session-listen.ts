import { quoteIdent } from './migrations.js';
import type { PgPoolClientLike, PGliteLike, SqlExecutor } from './sql-client.js';

/**
 * LISTEN on a held connection (`SqlSession.listen`), for `pg` and PGlite. What it returns undoes it
 * when the session is released: `unlisten` (false when the connection is given up broken, as
 * nothing is to be sent on it) and the connection's listeners removed, so a pooled connection goes
 * back to the pool listening to nothing.
 */
export type Unlisten = (send: boolean) => Promise<void>;

interface PgNotification {
  readonly channel: string;
  readonly payload?: string;
}

/**
 * `pg`: notifications arrive as the connection's `notification` events, between queries (the lock
 * session runs no transaction, so none waits for one to end). A connection that dies while held
 * emits `error` (when no query is running) and `end`: `onLost` is called once, at `end`, and what
 * was notified from then on is lost until someone listens again.
 */
export async function pgListen(
  connection: PgPoolClientLike,
  executor: SqlExecutor,
  channel: string,
  onNotice: (payload: string) => void,
  onLost: (error: unknown) => void,
): Promise<Unlisten> {
  let lost = false;
  let cause: unknown;
  const notice = (message: PgNotification) => {
    if (message.channel === channel) onNotice(message.payload ?? '');
  };
  // Reported when the socket has closed (`end`), not at the `error` before it (the FATAL of a
  // terminated backend): the server closes the socket after the backend released its locks, so a
  // pass run at once on a new connection does not find its own partitions still locked by it.
  const failed = (error: unknown) => void (cause ??= error);
  const gone = () => {
    if (lost) return;
    lost = true;
    onLost(cause instanceof Error ? cause : new Error(`the connection listening on "${channel}" closed`));
  };
  // Typed for `error` only (PgPoolClientLike): `pg`'s Client, an EventEmitter, emits these too.
  const emitter = connection as unknown as Partial<Record<'on' | 'removeListener', (event: string, listener: (arg: never) => void) => unknown>>;
  const on = emitter.on?.bind(connection);
  const off = emitter.removeListener?.bind(connection);
  on?.('notification', notice);
  on?.('error', failed);
  on?.('end', gone);
  const detach = (broken: boolean) => {
    off?.('notification', notice);
    // A broken connection is discarded, and `pg` may still emit `error` on it (the socket's end
    // after the FATAL that ended it): unlistened that ends the process, so the listeners stay (they
    // report nothing twice, and the session's owner ignores a session it no longer holds).
    if (broken) return;
    off?.('error', failed);
    off?.('end', gone);
  };
  try {
    // A quoted identifier: pg_notify takes the channel as a string, exactly (case-sensitive).
    await executor.query(`listen ${quoteIdent(channel)}`);
  } catch (error) {
    detach(true);
    throw error;
  }
  return async (send) => {
    detach(!send);
    if (send) await executor.query(`unlisten ${quoteIdent(channel)}`);
  };
}

/**
 * PGlite: its own `listen()` (it dispatches the notifications of its one session to callbacks;
 * `LISTEN` sent as a query would deliver nothing). Its connection is the database in this process,
 * so it is never lost.
 */
export async function pgliteListen(db: PGliteLike, channel: string, onNotice: (payload: string) => void): Promise<Unlisten> {
  // PGlite splices the channel into LISTEN as given: quoted, as for `pg`.
  const unlisten = await (db.listen as NonNullable<PGliteLike['listen']>)(quoteIdent(channel), onNotice);
  return async (send) => {
    // Also when given up (a crash in a test): the callback goes, whether or not UNLISTEN runs.
    await unlisten().catch((error: unknown) => {
      if (send) throw error;
    });
  };
}
