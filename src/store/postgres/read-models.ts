import { toIso } from '../../time/instant.js';
import type { CustomerView } from './customer-view.js';
import type { SqlExecutor } from './sql-client.js';

/**
 * The tables a CRM queries (schema `heed` by default):
 * - `findings`: one row per finding (primary key customer + the finding's stable key), its
 *   contract fields as columns, `evidence` and `details` as jsonb;
 * - `summaries`: one row per customer, the per-policy summaries as jsonb keyed by policy name;
 * - `wake_times`: when each customer must be looked at again without a new event.
 *
 * A customer's rows are replaced as a whole by each evaluation, inside the transaction that moves
 * the checkpoint: a reader never sees a customer half-updated, and a replay writes the same rows.
 */
export async function writeCustomerViews(tx: SqlExecutor, s: string, views: readonly CustomerView[]): Promise<void> {
  if (views.length === 0) return;
  const customers = views.map((v) => v.customerId);
  await tx.query(`delete from ${s}.findings where customer_id = any($1::text[])`, [customers]);
  const rows = views.flatMap((v) => v.findings.map(({ key, finding }) => ({ key, finding })));
  if (rows.length > 0) {
    await tx.query(
      `insert into ${s}.findings (customer_id, key, kind, matter_id, detected_at, severity, message, evidence, details)
       select u.customer_id, u.key, u.kind, u.matter_id, u.detected_at::timestamptz, u.severity, u.message, u.evidence::jsonb, u.details::jsonb
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
           as u(customer_id, key, kind, matter_id, detected_at, severity, message, evidence, details)`,
      [
        rows.map((r) => r.finding.customerId),
        rows.map((r) => r.key),
        rows.map((r) => r.finding.kind),
        rows.map((r) => r.finding.matterId),
        rows.map((r) => r.finding.detectedAt),
        rows.map((r) => r.finding.severity),
        rows.map((r) => r.finding.message),
        rows.map((r) => JSON.stringify(r.finding.evidence)),
        rows.map((r) => JSON.stringify(r.finding.details)),
      ],
    );
  }
  await tx.query(
    `insert into ${s}.summaries (customer_id, summary, events, last_event_at, as_of, next_wake_at, updated_at)
     select u.customer_id, u.summary::jsonb, u.events, u.last_event_at::timestamptz, u.as_of::timestamptz, u.next_wake_at::timestamptz, now()
       from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[]) as u(customer_id, summary, events, last_event_at, as_of, next_wake_at)
     on conflict (customer_id) do update set summary = excluded.summary, events = excluded.events, last_event_at = excluded.last_event_at,
       as_of = excluded.as_of, next_wake_at = excluded.next_wake_at, updated_at = now()`,
    [
      customers,
      views.map((v) => JSON.stringify(v.summary)),
      views.map((v) => v.events),
      views.map((v) => iso(v.lastEventTime)),
      views.map((v) => iso(v.asOf)),
      views.map((v) => iso(v.nextWakeAt)),
    ],
  );
  await tx.query(`delete from ${s}.wake_times where customer_id = any($1::text[])`, [customers]);
  const waking = views.filter((v) => v.nextWakeAt !== undefined);
  if (waking.length > 0) {
    await tx.query(
      `insert into ${s}.wake_times (customer_id, wake_at) select * from unnest($1::text[], $2::timestamptz[])`,
      [waking.map((v) => v.customerId), waking.map((v) => iso(v.nextWakeAt))],
    );
  }
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : toIso(ms);
}
