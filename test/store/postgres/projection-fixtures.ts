import { Engine, type EventInput } from '../../../src/index.js';
import type { SqlExecutor } from '../../../src/postgres.js';
import { ledger } from '../../fixtures/ledger-policy.js';

/** Journeys and expectations shared by the projection worker tests (PGlite and server). */
export const policies = [ledger];
export const DAY = 86_400_000;
export const START = Date.parse('2017-11-20T09:00:00Z');
/** The worker clock in the tests: after every event, so due promises have fallen due. */
export const NOW = START + 40 * DAY;

/** The instant `days` after START. */
export const at = (days: number): string => new Date(START + days * DAY).toISOString();
/** An inbound call of `customerId` at `when`. */
export const contact = (id: string, customerId: string, when: string) => ({ id, customerId, type: 'ContactMade', at: when, data: { direction: 'inbound', channel: 'phone' } });

/**
 * Per customer: a matter opened, a promise due two days later (kept for every third customer),
 * the matter resolved for every other customer, and a second promise due far after NOW (so a
 * wake time stays pending).
 */
export function journeys(customers: number, offset = 0): EventInput[] {
  const out: EventInput[] = [];
  for (let c = offset; c < offset + customers; c++) {
    const customerId = `cust-${String(c).padStart(3, '0')}`;
    const t = (days: number) => new Date(START + (c % 7) * 3_600_000 + days * DAY).toISOString();
    out.push({ id: `${customerId}-1`, customerId, type: 'MatterOpened', at: t(0), data: { matterId: 'm1' } });
    out.push({ id: `${customerId}-2`, customerId, type: 'PromiseMade', at: t(1), data: { promiseId: 'p1', what: 'call back', dueBy: t(3) } });
    if (c % 3 === 0) out.push({ id: `${customerId}-3`, customerId, type: 'PromiseKept', at: t(2), data: { promiseId: 'p1' } });
    if (c % 2 === 0) out.push({ id: `${customerId}-4`, customerId, type: 'MatterResolved', at: t(4 + (c % 5)), data: { matterId: 'm1' } });
    out.push({ id: `${customerId}-5`, customerId, type: 'PromiseMade', at: t(5), data: { promiseId: 'p2', what: 'visit', dueBy: t(60) } });
  }
  return out;
}

export interface Dump {
  readonly findings: readonly unknown[];
  readonly summaries: readonly unknown[];
  readonly wakes: readonly unknown[];
}

/** The read-model tables, normalised for comparison. */
export async function dumpTables(db: SqlExecutor, schema: string): Promise<Dump> {
  const iso = (v: unknown) => (v === null ? null : new Date(v as string).toISOString());
  const findings = await db.query<Record<string, unknown>>(
    `select customer_id, key, kind, matter_id, detected_at, severity, message, evidence, details from ${schema}.findings order by customer_id, key`,
  );
  const summaries = await db.query<Record<string, unknown>>(
    `select customer_id, summary, events, last_event_at, as_of, next_wake_at from ${schema}.summaries order by customer_id`,
  );
  const wakes = await db.query<Record<string, unknown>>(`select customer_id, wake_at from ${schema}.wake_times order by customer_id`);
  return {
    findings: findings.map((r) => ({ ...r, detected_at: iso(r.detected_at) })),
    summaries: summaries.map((r) => ({ ...r, last_event_at: iso(r.last_event_at), as_of: iso(r.as_of), next_wake_at: iso(r.next_wake_at) })),
    wakes: wakes.map((r) => ({ ...r, wake_at: iso(r.wake_at) })),
  };
}

/** What the tables must hold: every customer evaluated by an in-memory engine at `now`. */
export async function expectedDump(events: readonly EventInput[], now: number): Promise<Dump> {
  const findings: unknown[] = [];
  const summaries: unknown[] = [];
  const wakes: unknown[] = [];
  const byCustomer = new Map<string, EventInput[]>();
  for (const e of events) byCustomer.set(e.customerId, [...(byCustomer.get(e.customerId) ?? []), e]);
  for (const customerId of [...byCustomer.keys()].sort()) {
    const list = byCustomer.get(customerId) ?? [];
    const engine = new Engine({ policies });
    await engine.record(list);
    await engine.advanceTo(now);
    for (const { key, finding } of engine.findingEntries({ customerId }).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      findings.push({
        customer_id: customerId,
        key,
        kind: finding.kind,
        matter_id: finding.matterId,
        detected_at: finding.detectedAt,
        severity: finding.severity,
        message: finding.message,
        evidence: finding.evidence,
        details: finding.details,
      });
    }
    const wake = engine.nextWakeAt(customerId);
    const last = Math.max(...list.map((e) => Date.parse(e.at)));
    summaries.push({
      customer_id: customerId,
      summary: engine.summary(customerId),
      events: list.length,
      last_event_at: new Date(last).toISOString(),
      as_of: new Date(Math.max(now, last)).toISOString(),
      next_wake_at: wake === undefined ? null : new Date(wake).toISOString(),
    });
    if (wake !== undefined) wakes.push({ customer_id: customerId, wake_at: new Date(wake).toISOString() });
  }
  return { findings, summaries, wakes };
}
