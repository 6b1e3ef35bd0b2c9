import { Engine, promises, type AnyPolicy, type ValidEvent } from '../../src/index.js';
import { benchPolicy } from '../bench-policy.js';
import { Rng } from '../rng.js';
import { median } from '../measure.js';
import { settle, type TaskResult } from './load.js';

/**
 * Figure 4: wake-time scaling. `pending` promises (10 per customer, so a customer's state is the
 * same size whatever the total) fall due uniformly over ten days. The clock then advances one day
 * at a time; each day's cost is divided by the promises that fell due that day. Flat means the
 * engine pays per due promise, not per pending one or per customer. Policies: the bench policy
 * (one wake-up per promise, at its due time) or the built-in promises policy (at-risk warning
 * before the due time, broken at it).
 */

const POLICIES: Record<string, AnyPolicy> = { bench: benchPolicy, promises };

const T0 = Date.parse('2017-11-20T00:00:00Z');
const DAY = 86_400_000;
const PER_CUSTOMER = 10;
const DAYS = 5;

export interface WakeResult extends TaskResult {
  readonly pending: number;
  readonly customers: number;
  readonly dueTotal: number;
  readonly perDueUs: number;
  readonly perDayUs: readonly number[];
  readonly setupMs: number;
}

export async function wake(args: { pending: number; policy?: string; seed?: number }): Promise<WakeResult> {
  const policy = POLICIES[args.policy ?? 'bench'];
  if (policy === undefined) throw new Error(`unknown policy ${args.policy ?? ''}`);
  const rng = new Rng(args.seed ?? 42);
  const customers = Math.ceil(args.pending / PER_CUSTOMER);
  const events: ValidEvent[] = [];
  const dues: number[] = [];
  for (let c = 0; c < customers; c++) {
    const customerId = `w${c}`;
    for (let p = 0; p < PER_CUSTOMER && events.length < args.pending; p++) {
      const time = T0 + p * 60_000;
      const due = T0 + DAY + 60_000 * (1 + Math.floor(rng.next() * 10 * 24 * 60));
      dues.push(due);
      events.push({
        id: `${customerId}-${p}`,
        customerId,
        type: 'PromiseMade',
        at: new Date(time).toISOString(),
        time,
        data: { promiseId: `p${p}`, what: 'call back', dueBy: new Date(due).toISOString(), importance: 'normal' },
      });
    }
  }
  const engine = new Engine({ policies: [policy] });
  settle();
  const setupStarted = performance.now();
  await engine.recordValidated(events);
  const setupMs = performance.now() - setupStarted;

  const perDay: number[] = [];
  let dueTotal = 0;
  let ms = 0;
  for (let day = 1; day <= DAYS; day++) {
    settle();
  const started = performance.now();
    const changes = await engine.advanceTo(T0 + (day + 1) * DAY);
    const elapsed = performance.now() - started;
    const due = dues.filter((t) => t > T0 + day * DAY && t <= T0 + (day + 1) * DAY).length;
    if (changes.length < due) throw new Error(`day ${day}: ${due} promises fell due but only ${changes.length} findings changed`);
    perDay.push((elapsed * 1000) / due);
    dueTotal += due;
    ms += elapsed;
  }
  return { events: events.length, ms, pending: events.length, customers, dueTotal, perDueUs: median(perDay), perDayUs: perDay, setupMs };
}
