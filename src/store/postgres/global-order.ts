import { eventColumnsOf, type EventRow } from './event-rows.js';
import type { SqlExecutor } from './sql-client.js';

/**
 * Reading every stream in one global order without ever skipping an event.
 *
 * The trap: `global_position` comes from a sequence when a row is inserted, but transactions
 * commit in any order. A reader that sees position 11 (committed) while position 10's transaction
 * is still open, and remembers "after 11", never sees 10.
 *
 * The fix (the technique of Emmett, Marten and Eventuous): every row records the id of the
 * transaction that wrote it (`pg_current_xact_id()`, an `xid8`). A reader only takes rows whose
 * transaction id is below `pg_snapshot_xmin(pg_current_snapshot())`, the oldest transaction still
 * running anywhere: all of those are settled and no new transaction can get a smaller id. The set
 * of readable rows therefore only ever grows at its end when ordered by
 * `(transaction_id, global_position)`, which is the order readers use. A transaction that commits
 * late holds readers back (they wait for it), never past it.
 *
 * The cursor is the pair (transaction id, position) of the last event read.
 */
export interface GlobalCursor {
  /** `xid8` as text ('0' before the first event). */
  readonly transactionId: string;
  readonly position: number;
}

export const startCursor: GlobalCursor = { transactionId: '0', position: 0 };

export interface GlobalRow extends EventRow {}

/**
 * Rows after `cursor` in global order. `where` adds a filter on the events table (aliased `e`),
 * with its parameters numbered from `$4`.
 */
export async function readGlobal(
  db: SqlExecutor,
  s: string,
  cursor: GlobalCursor,
  limit: number | undefined,
  where = '',
  params: readonly unknown[] = [],
): Promise<GlobalRow[]> {
  return db.query<GlobalRow>(
    `select ${eventColumnsOf('e')} from ${s}.events e
      where (e.transaction_id, e.global_position) > ($1::xid8, $2::int8)
        and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ${where}
      order by e.transaction_id, e.global_position
      limit $3`,
    [cursor.transactionId, cursor.position, limit ?? null, ...params],
  );
}

/**
 * The cursor of a position a reader was given earlier (`readAll({ after })` takes a plain
 * position). A position that no event has (0, or a number a caller made up) gives a cursor by
 * position alone: every settled event after it, in global order.
 */
export async function cursorAt(db: SqlExecutor, s: string, position: number): Promise<GlobalCursor | undefined> {
  if (position <= 0) return startCursor;
  const [row] = await db.query<{ transaction_id: string }>(`select transaction_id::text as transaction_id from ${s}.events where global_position = $1`, [position]);
  return row === undefined ? undefined : { transactionId: row.transaction_id, position };
}

/** Settled events after a bare position (no event there), still in global order. */
export async function readAfterPosition(db: SqlExecutor, s: string, position: number, limit: number | undefined): Promise<GlobalRow[]> {
  return db.query<GlobalRow>(
    `select ${eventColumnsOf('e')} from ${s}.events e
      where e.global_position > $1 and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      order by e.transaction_id, e.global_position
      limit $2`,
    [position, limit ?? null],
  );
}
