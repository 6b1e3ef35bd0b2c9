import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { Rng } from './rng.js';

/**
 * Seeded generator of realistic, lifecycle-valid customer journeys for the benchmark: every core
 * event type, several matters and promises per customer, promises kept, kept late, revised,
 * cancelled, broken explicitly or left to fall due; surveys sent at good and bad moments; a
 * heavy-tailed number of events per customer (most customers are quiet, a few are very busy).
 *
 * Lines come out in arrival order: by time, except ~2% that arrive up to two days late (a CRM
 * export is not perfectly sorted), so a reader must sort each stream by `at`.
 */

export interface GenerateOptions {
  /** Exact number of events (lines) to produce. */
  readonly events: number;
  /** Customers (streams). Default: `defaultCustomers(events)`. */
  readonly customers?: number;
  readonly seed?: number;
}

export interface JourneyEvent {
  readonly id: string;
  readonly customerId: string;
  readonly type: string;
  readonly at: string;
  readonly data: Record<string, unknown>;
  readonly meta?: Record<string, unknown>;
}

export const DEFAULT_SEED = 20_171_120;

/** 10k customers, but at least ~10 events each on average: one event per customer is not a journey. */
export function defaultCustomers(events: number): number {
  return Math.max(1, Math.min(10_000, Math.floor(events / 10)));
}

const START = Date.parse('2015-01-05T00:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SPAN = 730 * DAY; // a busy journey covers about two years

/** The events in arrival order, as objects. */
export function generateJourneys(options: GenerateOptions): JourneyEvent[] {
  return arrange(options).map((item) => item.event);
}

/** The events in arrival order, as JSONL lines (no trailing newline). */
export function generateLines(options: GenerateOptions): string[] {
  return arrange(options).map((item) => JSON.stringify(item.event));
}

/** Write a JSONL file of journeys (creating its directory). */
export async function writeJourneys(file: string, options: GenerateOptions): Promise<{ events: number; customers: number }> {
  await mkdir(dirname(file), { recursive: true });
  const items = arrange(options);
  const out = createWriteStream(file, { encoding: 'utf8' });
  let chunk: string[] = [];
  for (const item of items) {
    chunk.push(JSON.stringify(item.event));
    if (chunk.length === 5_000) {
      if (!out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
      chunk = [];
    }
  }
  if (chunk.length > 0) out.write(`${chunk.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
  return { events: items.length, customers: options.customers ?? defaultCustomers(options.events) };
}

function arrange(options: GenerateOptions): { key: number; event: JourneyEvent }[] {
  const rng = new Rng(options.seed ?? DEFAULT_SEED);
  const customers = options.customers ?? defaultCustomers(options.events);
  if (options.events < customers) throw new Error(`${options.events} events cannot cover ${customers} customers`);
  const items: { key: number; event: JourneyEvent }[] = [];
  budgets(options.events, customers, rng).forEach((budget, i) => {
    const customerId = `c${String(i + 1).padStart(5, '0')}`;
    for (const event of new Journey(customerId, budget, rng).events) {
      const time = Date.parse(event.at);
      items.push({ key: rng.chance(0.02) ? time + rng.next() * 2 * DAY : time, event });
    }
  });
  return items.sort((a, b) => a.key - b.key); // stable: ties keep generation order
}

/** Events per customer: at least one each, the rest shared by log-normal weights (heavy tail). */
function budgets(total: number, customers: number, rng: Rng): number[] {
  const weights = Array.from({ length: customers }, () => Math.exp(rng.normal()));
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = total - customers;
  const out = weights.map((w) => 1 + Math.floor((spare * w) / sum));
  let missing = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; missing > 0; i = (i + 1) % customers, missing--) out[i] = (out[i] ?? 0) + 1;
  return out;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

interface Pending {
  readonly id: string;
  due: number;
}

/** One customer's journey: a state machine that only emits what the lifecycle rules accept. */
class Journey {
  readonly events: JourneyEvent[] = [];
  readonly #customerId: string;
  readonly #rng: Rng;
  #time: number;
  #counter = 0;
  readonly #open: string[] = [];
  readonly #resolved: string[] = [];
  readonly #pending: Pending[] = [];
  readonly #surveys: string[] = [];
  readonly #feedback: string[] = [];

  constructor(customerId: string, budget: number, rng: Rng) {
    this.#customerId = customerId;
    this.#rng = rng;
    this.#time = START + Math.floor(rng.next() * 365 * DAY / MINUTE) * MINUTE;
    const meanGap = Math.min(5 * DAY, Math.max(5 * MINUTE, SPAN / budget));
    const ends = budget >= 6 && rng.chance(0.12);
    const callAfterEnd = ends && budget >= 10 && rng.chance(0.3);
    const body = budget - 1 - (ends ? 1 : 0) - (callAfterEnd ? 1 : 0);

    this.#emit('RelationshipStarted', rng.chance(0.5) ? { plan: rng.pick(['basic', 'plus', 'premium']) } : {});
    for (let i = 0; i < body; i++) {
      this.#time += Math.max(MINUTE, Math.round(rng.exponential(meanGap) / MINUTE) * MINUTE);
      this.#step();
    }
    if (ends) {
      this.#time += Math.max(MINUTE, Math.round(rng.exponential(meanGap) / MINUTE) * MINUTE);
      this.#emit('RelationshipEnded', { reason: rng.pick(['moved', 'switched provider', 'price', 'service']) });
    }
    if (callAfterEnd) {
      this.#time += DAY + rng.int(0, 10) * DAY;
      this.#emit('ContactMade', { direction: 'outbound', channel: 'phone', purpose: 'check-in', party: this.#agent() });
    }
  }

  #step(): void {
    const rng = this.#rng;
    const open = this.#open.length > 0;
    const choices: [number, () => void][] = [
      [this.#open.length === 0 ? 6 : this.#open.length < 3 ? 0.8 : 0, () => this.#openMatter()],
      [open ? 4 : 0.6, () => this.#outbound()],
      [open ? 2.5 : 0.4, () => this.#inbound()],
      [open ? 0.8 : 0, () => this.#emit('MatterStatusChanged', { matterId: this.#anyOpen(), status: rng.pick(['in-progress', 'waiting-on-customer', 'waiting-on-third-party']) })],
      [open ? 1.5 : 0, () => this.#fix()],
      [open ? 0.8 : 0.1, () => this.#task()],
      [this.#pending.length < 6 ? (open ? 1.8 : 0.3) : 0, () => this.#promise()],
      [this.#pending.length > 0 ? 2.2 : 0, () => this.#settle()],
      [open ? 1.2 : 0, () => this.#resolve()],
      [this.#resolved.length > 0 ? 0.25 : 0, () => this.#reopen()],
      [0.5, () => this.#survey()],
      [this.#surveys.length > 0 ? 0.8 : 0, () => this.#answerSurvey()],
      [0.3, () => this.#receiveFeedback()],
      [this.#feedback.length > 0 ? 0.6 : 0, () => this.#emit('FeedbackAnswered', { feedbackId: take(this.#feedback, rng) })],
    ];
    let roll = rng.next() * choices.reduce((sum, [w]) => sum + w, 0);
    for (const [weight, act] of choices) {
      roll -= weight;
      if (weight > 0 && roll < 0) return act();
    }
    this.#outbound();
  }

  #openMatter(): void {
    const matterId = `m${++this.#counter}`;
    this.#open.push(matterId);
    const rng = this.#rng;
    this.#emit('MatterOpened', {
      matterId,
      ...(rng.chance(0.7) ? { title: rng.pick(['Claim', 'Repair', 'Billing question', 'Upgrade', 'Outage', 'Delivery']) } : {}),
      ...(rng.chance(0.6) ? { severity: rng.pick(['low', 'normal', 'normal', 'high', 'critical']) } : {}),
    });
  }

  #outbound(): void {
    const rng = this.#rng;
    const purpose = weighted(rng, [['update', 50], ['check-in', 15], ['answer', 15], ['marketing', 8], ['automated', 7], ['survey', 5]]);
    const channel = rng.pick(['phone', 'email', 'sms', 'chat', 'visit', 'mail']);
    this.#emit('ContactMade', {
      ...(this.#open.length > 0 && rng.chance(0.9) ? { matterId: this.#anyOpen() } : {}),
      direction: 'outbound',
      channel,
      ...(rng.chance(0.8) ? { purpose } : {}),
      ...(rng.chance(0.7) ? { party: this.#agent() } : {}),
      ...(channel === 'phone' ? { durationMinutes: rng.int(1, 45) } : {}),
    });
  }

  #inbound(): void {
    const rng = this.#rng;
    const channel = rng.pick(['phone', 'chat', 'email', 'web', 'social', 'bot']);
    this.#emit('ContactMade', {
      ...(this.#open.length > 0 && rng.chance(0.85) ? { matterId: this.#anyOpen() } : {}),
      direction: 'inbound',
      channel,
      ...(rng.chance(0.7) ? { purpose: weighted(rng, [['question', 50], ['chase', 25], ['complaint', 10], ['answer', 15]]) } : {}),
      ...(channel === 'phone' ? { waitMinutes: rng.int(0, 60), transfers: rng.int(0, 3), durationMinutes: rng.int(2, 60) } : {}),
    });
  }

  #fix(): void {
    const rng = this.#rng;
    this.#emit('FixAttempted', {
      matterId: this.#anyOpen(),
      method: rng.pick(['onsite-visit', 'remote-session', 'ship-in', 'replace-part', 'reset', 'escalate-engineering']),
      outcome: weighted(rng, [['failed', 35], ['partial', 15], ['succeeded', 45], ['worsened', 5]]),
      ...(rng.chance(0.3) ? { attemptId: `a${++this.#counter}` } : {}),
      ...(rng.chance(0.5) ? { customerEffortMinutes: rng.int(5, 240) } : {}),
      ...(rng.chance(0.3) ? { downtimeHours: rng.int(1, 72) } : {}),
      ...(rng.chance(0.6) ? { party: rng.pick(['field-tech', 'remote-support', 'partner-garage', 'depot']) } : {}),
    });
  }

  #task(): void {
    const rng = this.#rng;
    this.#emit('CustomerTaskRequested', {
      task: rng.pick(['send photos', 'upload receipt', 'restart the router', 'confirm address', 'sign the form']),
      ...(this.#open.length > 0 && rng.chance(0.8) ? { matterId: this.#anyOpen() } : {}),
      ...(rng.chance(0.6) ? { effortMinutes: rng.int(5, 90) } : {}),
      ...(rng.chance(0.2) ? { repeat: true } : {}),
    });
  }

  #promise(): void {
    const rng = this.#rng;
    const promiseId = `p${++this.#counter}`;
    const due = this.#time + Math.max(HOUR, Math.round(rng.exponential(36 * HOUR) / MINUTE) * MINUTE);
    this.#pending.push({ id: promiseId, due });
    this.#emit('PromiseMade', {
      promiseId,
      what: rng.pick(['call back', 'tow the car', 'send the parts', 'refund the fee', 'send a technician', 'no upgrade fee']),
      dueBy: iso(due),
      ...(rng.chance(0.2) ? { windowStart: iso(due - 4 * HOUR) } : {}),
      ...(this.#open.length > 0 && rng.chance(0.85) ? { matterId: this.#anyOpen() } : {}),
      ...(rng.chance(0.6) ? { party: rng.chance(0.5) ? this.#agent() : rng.pick(['tow-partner', 'parts-vendor', 'billing']) } : {}),
      ...(rng.chance(0.4) ? { importance: rng.pick(['low', 'normal', 'high']) } : {}),
    });
  }

  #settle(): void {
    const rng = this.#rng;
    const index = rng.int(0, this.#pending.length - 1);
    const promise = this.#pending[index] as Pending;
    const late = this.#time > promise.due;
    const type = late
      ? weighted(rng, [['PromiseKept', 50], ['PromiseCancelled', 20], ['PromiseBroken', 20], ['PromiseRevised', 10]])
      : weighted(rng, [['PromiseKept', 70], ['PromiseRevised', 15], ['PromiseCancelled', 10], ['PromiseBroken', 5]]);
    if (type === 'PromiseRevised') {
      promise.due = this.#time + rng.int(1, 72) * HOUR;
      this.#emit(type, { promiseId: promise.id, dueBy: iso(promise.due), ...(rng.chance(0.5) ? { reason: 'parts delayed' } : {}) });
      return;
    }
    this.#pending.splice(index, 1);
    this.#emit(type, { promiseId: promise.id, ...(type !== 'PromiseKept' && rng.chance(0.5) ? { reason: 'changed plans' } : {}) });
  }

  #resolve(): void {
    const matterId = take(this.#open, this.#rng);
    this.#resolved.push(matterId);
    this.#emit('MatterResolved', { matterId, ...(this.#rng.chance(0.5) ? { resolution: 'fixed' } : {}) });
  }

  #reopen(): void {
    const matterId = take(this.#resolved, this.#rng);
    this.#open.push(matterId);
    this.#emit('MatterReopened', { matterId, ...(this.#rng.chance(0.5) ? { reason: 'came back' } : {}) });
  }

  #survey(): void {
    const rng = this.#rng;
    const surveyId = `s${++this.#counter}`;
    this.#surveys.push(surveyId);
    const matters = [...this.#resolved, ...this.#open];
    this.#emit('SurveySent', {
      surveyId,
      ...(matters.length > 0 && rng.chance(0.8) ? { matterId: rng.pick(matters) } : {}),
      ...(rng.chance(0.5) ? { expiresAt: iso(this.#time + rng.int(3, 14) * DAY) } : {}),
      ...(rng.chance(0.7) ? { channel: rng.pick(['email', 'sms', 'web']) } : {}),
    });
  }

  #answerSurvey(): void {
    const rng = this.#rng;
    this.#emit('SurveyAnswered', {
      surveyId: take(this.#surveys, rng),
      ...(rng.chance(0.9) ? { score: rng.int(0, 10) } : {}),
      ...(rng.chance(0.3) ? { comment: rng.pick(['great', 'too slow', 'nobody called me back', 'fine']) } : {}),
    });
  }

  #receiveFeedback(): void {
    const rng = this.#rng;
    const feedbackId = `f${++this.#counter}`;
    this.#feedback.push(feedbackId);
    const matters = [...this.#open, ...this.#resolved];
    this.#emit('FeedbackReceived', {
      feedbackId,
      ...(matters.length > 0 && rng.chance(0.5) ? { matterId: rng.pick(matters) } : {}),
      ...(rng.chance(0.7) ? { channel: rng.pick(['email', 'web', 'social', 'phone']) } : {}),
      ...(rng.chance(0.8) ? { text: rng.pick(['why is this taking so long?', 'thanks for the help', 'I was promised a call']) } : {}),
    });
  }

  #anyOpen(): string {
    return this.#rng.pick(this.#open);
  }

  #agent(): string {
    return `agent-${this.#rng.int(1, 40)}`;
  }

  #emit(type: string, data: Record<string, unknown>): void {
    const n = this.events.length + 1;
    const meta = this.#rng.chance(0.25) ? { meta: { source: this.#rng.pick(['zendesk', 'salesforce', 'phone-system', 'web']) } } : {};
    this.events.push({ id: `${this.#customerId}-${n}`, customerId: this.#customerId, type, at: iso(this.#time), data, ...meta });
  }
}

function weighted<T extends string>(rng: Rng, options: readonly (readonly [T, number])[]): T {
  let roll = rng.next() * options.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of options) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return (options.at(-1) as readonly [T, number])[0];
}

function take<T>(list: T[], rng: Rng): T {
  return list.splice(rng.int(0, list.length - 1), 1)[0] as T;
}
