import { describeValue } from '../../describe-value.js';
import { UsageError } from '../../errors.js';
import type { ProjectionError } from './customer-view.js';
import type { SqlExecutor } from './sql-client.js';

/**
 * `projection_failures`: the customers the projection cannot evaluate (ProjectionError), one row
 * each, so a CRM can see who is stuck and why while their read-model rows stay those of their last
 * good evaluation. Written in the batch's transaction: a failure row is there exactly when the
 * customer's latest committed evaluation failed (a customer evaluated fine has its row deleted by
 * the statement that writes its rows, writeCustomerViews: no round trip of its own per batch).
 */
export async function writeFailures(tx: SqlExecutor, s: string, failed: readonly ProjectionError[]): Promise<void> {
  if (failed.length === 0) return;
  await tx.query(
    `insert into ${s}.projection_failures (customer_id, stream_version, event_id, policy, message, failed_at)
     select u.*, now() from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[]) as u(customer_id, stream_version, event_id, policy, message)
     on conflict (customer_id) do update set stream_version = excluded.stream_version, event_id = excluded.event_id, policy = excluded.policy,
       message = excluded.message, failed_at = excluded.failed_at`,
    [
      failed.map((f) => f.customerId),
      failed.map((f) => f.streamVersion),
      failed.map((f) => f.eventId ?? null),
      failed.map((f) => f.policy ?? null),
      failed.map((f) => f.message),
    ],
  );
}

/**
 * Asks for the failures of `customerIds` (every failure when omitted) to be retried, whichever
 * worker owns their partitions: each row's `retry_requests` goes up by one, and the owner retries
 * a failure it holds once that count is no longer the one it saw fail (projection-worker.ts).
 * Returns how many failures were marked.
 */
export async function requestRetries(db: SqlExecutor, s: string, customerIds: readonly string[] | undefined): Promise<number> {
  const rows = await db.query(
    `update ${s}.projection_failures set retry_requests = retry_requests + 1 ${customerIds === undefined ? '' : 'where customer_id = any($1::text[])'} returning 1`,
    customerIds === undefined ? [] : [[...customerIds]],
  );
  return rows.length;
}

/**
 * retryFailed's ids: spread into the query, a string would mark its one-letter "ids" and the customer
 * not at all. Refused with `path` `customerIds` (or `customerIds[i]`, the first id that is no string)
 * and `rule` `invalid-type`.
 */
export function checkRetryIds(customerIds: unknown): void {
  if (customerIds === undefined) return;
  const owner = 'ProjectionWorker.retryFailed';
  if (!Array.isArray(customerIds)) {
    throw new UsageError(`${owner}: customerIds must be an array of customer ids when given, got ${describeValue(customerIds)}`, { path: 'customerIds', rule: 'invalid-type' });
  }
  const bad = customerIds.findIndex((id) => typeof id !== 'string');
  if (bad >= 0) {
    throw new UsageError(`${owner}: customerIds[${bad}] must be a customer id (a string), got ${describeValue(customerIds[bad])}`, { path: `customerIds[${bad}]`, rule: 'invalid-type' });
  }
}
