import { toIso } from '../../time/instant.js';
import type { CustomerView } from './customer-view.js';
import type { SqlExecutor } from './sql-client.js';

/**
 * The tables a CRM queries (schema `heed` by default):
 * - `findings`: one row per finding (primary key customer + the finding's stable key), its
 *   contract fields as columns, `evidence` and `details` as jsonb (their values, for SQL: jsonb
 *   keeps its own key order, so they read back deep-equal to the finding, not as its JSON text);
 * - `summaries`: one row per customer, the per-policy summaries as jsonb keyed by policy name;
 * - `wake_times`: when each customer must be looked at again without a new event.
 *
 * A customer's rows are made those of its latest evaluation as a whole (its `projection_failures`
 * row, if any, deleted), inside the transaction that moves the checkpoint: a reader never sees a
 * customer half-updated, and a replay writes the same rows. Only what differs is written: a finding row is deleted, inserted or updated when the
 * finding went, came or changed, and left alone otherwise, so `findings.updated_at` is when that
 * finding last changed, and triggers or logical replication on the table see real changes only.
 */
export async function writeCustomerViews(tx: SqlExecutor, s: string, views: readonly CustomerView[]): Promise<void> {
  if (views.length === 0) return;
  const customers = views.map((v) => v.customerId);
  const rows = views.flatMap((v) => v.findings.map(({ key, finding }) => ({ key, finding })));
  // One statement: a customer's findings that are gone are deleted, new ones inserted, changed ones
  // updated, and a finding that is the same as its row is left alone (no new row version, its
  // `updated_at` kept). The delete and the upsert touch disjoint keys, so running them as one
  // statement (where neither sees the other's effect) is the same as running them in turn.
  await tx.query(
    `with incoming as (
       select * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[], $9::jsonb[], $10::jsonb[])
         as u(customer_id, key, kind, matter_id, detected_at, severity, message, evidence, details)
     ), gone as (
       delete from ${s}.findings f
        where f.customer_id = any($1::text[])
          and not exists (select 1 from incoming i where i.customer_id = f.customer_id and i.key = f.key)
     )
     insert into ${s}.findings as f (customer_id, key, kind, matter_id, detected_at, severity, message, evidence, details)
     select * from incoming
     on conflict (customer_id, key) do update
       set kind = excluded.kind, matter_id = excluded.matter_id, detected_at = excluded.detected_at, severity = excluded.severity,
           message = excluded.message, evidence = excluded.evidence, details = excluded.details, updated_at = now()
       where (f.kind, f.matter_id, f.detected_at, f.severity, f.message, f.evidence, f.details)
             is distinct from (excluded.kind, excluded.matter_id, excluded.detected_at, excluded.severity, excluded.message, excluded.evidence, excluded.details)`,
    [
      customers,
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
  const waking = views.filter((v) => v.nextWakeAt !== undefined);
  // As for findings: one statement, and a wake time that did not move is not written again. The same
  // statement clears the customers' failure rows (projection-failures.ts): they evaluated fine.
  await tx.query(
    `with incoming as (select * from unnest($2::text[], $3::timestamptz[]) as u(customer_id, wake_at)),
     gone as (
       delete from ${s}.wake_times w
        where w.customer_id = any($1::text[]) and not exists (select 1 from incoming i where i.customer_id = w.customer_id)
     ),
     recovered as (delete from ${s}.projection_failures where customer_id = any($1::text[]))
     insert into ${s}.wake_times as w (customer_id, wake_at) select * from incoming
     on conflict (customer_id) do update set wake_at = excluded.wake_at where w.wake_at is distinct from excluded.wake_at`,
    [customers, waking.map((v) => v.customerId), waking.map((v) => iso(v.nextWakeAt))],
  );
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : toIso(ms);
}
