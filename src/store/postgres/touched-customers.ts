import { toIso } from '../../time/instant.js';
import { partitionOf } from './partition-leases.js';
import type { SqlExecutor } from './sql-client.js';

/** A customer a batch looks at besides those with events, and why (touchedCustomers). */
export interface Touched {
  readonly customer_id: string;
  readonly why: 'wake' | 'retry' | 'known';
  readonly requests: number;
}

/** Where and when a batch runs: its partition of `partitions`, at the worker's clock `now`. */
export interface TouchedScope {
  readonly schema: string;
  readonly partitions: number;
  readonly partition: number;
  readonly now: number;
  readonly limit: number;
}

/**
 * Customers a projection batch looks at without a new event: those whose wake time is due, and
 * those recorded as failed that this worker does not hold (it has not tried them yet, so a worker
 * started with a fixed policy retries every stuck customer once, whether or not anything touches
 * it; or their retry interval has passed; or a retry was asked for since: the row's count moved).
 * A held customer is one of `held` whose row still has the count held. The 'known' rows give the
 * count of the failures of the customers with events (`eventCustomers`), so that every customer
 * evaluated is held, if it fails, at the count from before its evaluation: a retry asked for
 * during it is not lost. One round trip for all three.
 */
export async function touchedCustomers(
  db: SqlExecutor,
  scope: TouchedScope,
  held: readonly { readonly customerId: string; readonly requests: number }[],
  eventCustomers: readonly string[],
): Promise<Touched[]> {
  const s = scope.schema;
  return db.query<Touched>(
    `(select customer_id, 'wake' as why, 0 as requests from ${s}.wake_times w where wake_at <= $1::timestamptz and ${partitionOf('customer_id', '$2')} = $3
        and not exists (select 1 from ${s}.projection_failures f join unnest($5::text[], $6::int[]) as h(customer_id, requests)
                          on h.customer_id = f.customer_id and h.requests = f.retry_requests where f.customer_id = w.customer_id)
      order by wake_at, customer_id limit $4)
     union all
     (select customer_id, 'retry' as why, retry_requests as requests from ${s}.projection_failures f where ${partitionOf('customer_id', '$2')} = $3
        and not exists (select 1 from unnest($5::text[], $6::int[]) as h(customer_id, requests) where h.customer_id = f.customer_id and h.requests = f.retry_requests)
      order by customer_id limit $4)
     union all
     (select customer_id, 'known' as why, retry_requests as requests from ${s}.projection_failures where customer_id = any($7::text[]))`,
    [toIso(scope.now), scope.partitions, scope.partition, scope.limit, held.map((h) => h.customerId), held.map((h) => h.requests), eventCustomers],
  );
}
