/**
 * Baseline (a), the floor: what a developer writes without heed. Raw parsed JSON objects, grouped
 * per customer, each stream sorted by `at` and folded into a plain mutable state. It tracks the
 * same things as the bench policy (bench/bench-policy.ts), so figure 2 compares like with like:
 * promises broken by their due time, silences on open matters, burden, repeated failed remedies,
 * surveys sent while a matter is open. No validation, no store, no immer, no wake-ups: the due times are
 * checked when the next event arrives and once at the end.
 */

export interface RawEvent {
  readonly id?: string;
  readonly customerId: string;
  readonly type: string;
  readonly at: string;
  readonly data?: Record<string, unknown>;
}

/** Silence on an open matter longer than this is a gap (calendar clock). */
export const MAX_SILENCE_MS = 2 * 24 * 3_600_000;

interface Matter {
  open: boolean;
  lastAttention: number;
  failures: Map<string, number>;
}

interface Promise_ {
  due: number;
  settled: boolean;
  broken: boolean;
}

export interface PlainState {
  readonly matters: Map<string, Matter>;
  readonly promises: Map<string, Promise_>;
  gaps: number;
  brokenPromises: number;
  burden: number;
  repeatedRemedies: number;
  mistimedSurveys: number;
  openMatters: number;
  events: number;
  last: number;
}

export type PlainSummary = Omit<PlainState, 'matters' | 'promises'> & { pendingPromises: number };

export function initialPlainState(): PlainState {
  return { matters: new Map(), promises: new Map(), gaps: 0, brokenPromises: 0, burden: 0, repeatedRemedies: 0, mistimedSurveys: 0, openMatters: 0, events: 0, last: 0 };
}

const ATTENTIVE = (purpose: unknown): boolean => purpose !== 'marketing' && purpose !== 'automated' && purpose !== 'survey';

/** Apply one event (in `at` order) to a customer's state. */
export function plainEvolve(state: PlainState, event: RawEvent, time: number): void {
  const data = event.data ?? {};
  state.events++;
  state.last = time;
  switch (event.type) {
    case 'MatterOpened':
    case 'MatterReopened': {
      const matterId = data['matterId'] as string;
      const matter = state.matters.get(matterId);
      if (matter === undefined) state.matters.set(matterId, { open: true, lastAttention: time, failures: new Map() });
      else {
        matter.open = true;
        matter.lastAttention = time;
      }
      state.openMatters++;
      break;
    }
    case 'MatterResolved': {
      const matter = state.matters.get(data['matterId'] as string);
      if (matter !== undefined) matter.open = false;
      state.openMatters--;
      break;
    }
    case 'ContactMade': {
      if (data['direction'] !== 'outbound') {
        state.burden += ((data['waitMinutes'] as number | undefined) ?? 0) / 15 + ((data['transfers'] as number | undefined) ?? 0);
        break;
      }
      const matter = data['matterId'] === undefined ? undefined : state.matters.get(data['matterId'] as string);
      if (matter === undefined || !matter.open || !ATTENTIVE(data['purpose'])) break;
      if (time - matter.lastAttention > MAX_SILENCE_MS) state.gaps++;
      matter.lastAttention = time;
      break;
    }
    case 'FixAttempted': {
      const outcome = data['outcome'];
      if (outcome !== 'failed' && outcome !== 'worsened') break;
      state.burden += outcome === 'failed' ? 3 : 5;
      const matter = state.matters.get(data['matterId'] as string);
      if (matter === undefined) break;
      const method = data['method'] as string;
      const failures = (matter.failures.get(method) ?? 0) + 1;
      matter.failures.set(method, failures);
      if (failures >= 2) state.repeatedRemedies++;
      break;
    }
    case 'CustomerTaskRequested':
      state.burden += data['repeat'] === true ? 2 : 0.5;
      break;
    case 'PromiseMade':
      state.promises.set(data['promiseId'] as string, { due: Date.parse(data['dueBy'] as string), settled: false, broken: false });
      break;
    case 'PromiseRevised': {
      const promise = state.promises.get(data['promiseId'] as string);
      if (promise === undefined) break;
      if (time > promise.due) markBroken(state, promise);
      else promise.due = Date.parse(data['dueBy'] as string);
      break;
    }
    case 'PromiseKept':
    case 'PromiseCancelled':
    case 'PromiseBroken': {
      const promise = state.promises.get(data['promiseId'] as string);
      if (promise === undefined) break;
      if (time > promise.due || event.type === 'PromiseBroken') markBroken(state, promise);
      promise.settled = true;
      break;
    }
    case 'SurveySent':
      if (state.openMatters > 0) state.mistimedSurveys++;
      break;
    default:
      break;
  }
}

function markBroken(state: PlainState, promise: Promise_): void {
  if (promise.broken) return;
  promise.broken = true;
  state.brokenPromises++;
}

/** At the end of the input: promises whose due time passed unsettled are broken. */
export function plainFinish(state: PlainState, until: number): void {
  for (const promise of state.promises.values()) {
    if (!promise.settled && promise.due <= until) markBroken(state, promise);
  }
}

export function plainSummary(state: PlainState): PlainSummary {
  const { matters: _matters, promises, ...rest } = state;
  let pendingPromises = 0;
  for (const promise of promises.values()) if (!promise.settled && !promise.broken) pendingPromises++;
  return { ...rest, pendingPromises };
}

/** Group raw events per customer, sort each stream by `at` (stable), fold, finish at the latest instant. */
export function plainFoldAll(events: Iterable<RawEvent>): Map<string, PlainState> {
  const streams = new Map<string, { event: RawEvent; time: number }[]>();
  let until = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    const time = Date.parse(event.at);
    if (time > until) until = time;
    let list = streams.get(event.customerId);
    if (list === undefined) streams.set(event.customerId, (list = []));
    list.push({ event, time });
  }
  const states = new Map<string, PlainState>();
  for (const [customerId, list] of streams) {
    list.sort((a, b) => a.time - b.time);
    const state = initialPlainState();
    for (const { event, time } of list) plainEvolve(state, event, time);
    plainFinish(state, until);
    states.set(customerId, state);
  }
  return states;
}
