import { definePolicy, type FindingInput } from '../src/index.js';
import { MAX_SILENCE_MS, type PlainSummary } from './plain-fold.js';

/**
 * The plain fold of baseline (a) written as a heed policy: the same state and rules, but through
 * the engine (validation, lifecycle, store, immer drafts, wake-ups at due times, findings). Figure 2
 * divides its cost by the plain fold's, so the ratio is what the engine adds. test/bench checks that
 * both compute the same summaries.
 *
 * Promises are indexed by due instant so a wake-up touches only the promises due then: a policy
 * that scanned every promise on each tick would make wake cost grow with the promises a customer
 * has, which is the policy's cost, not the engine's (figure 4 uses this policy too).
 */

interface Matter {
  open: boolean;
  lastAttention: number;
  failures: Record<string, number>;
}

interface PromiseEntry {
  due: number;
  settled: boolean;
  broken: boolean;
  made: string;
}

interface State {
  matters: Record<string, Matter>;
  promises: Record<string, PromiseEntry>;
  /** Promise ids per due instant (epoch ms): what a wake-up at that instant looks at. */
  dueAt: Record<number, string[]>;
  gaps: number;
  brokenPromises: number;
  burden: number;
  repeatedRemedies: number;
  mistimedSurveys: number;
  openMatters: number;
  events: number;
  last: number;
}

const attentive = (purpose: string): boolean => purpose !== 'marketing' && purpose !== 'automated' && purpose !== 'survey';

export const benchPolicy = definePolicy({
  name: 'bench',
  kinds: ['bench.promise-broken', 'bench.gap', 'bench.repeated-remedy'],
  initialState: (): State => ({
    matters: {},
    promises: {},
    dueAt: {},
    gaps: 0,
    brokenPromises: 0,
    burden: 0,
    repeatedRemedies: 0,
    mistimedSurveys: 0,
    openMatters: 0,
    events: 0,
    last: 0,
  }),
  evolve(state, event, ctx) {
    state.events++;
    state.last = event.time;
    switch (event.type) {
      case 'MatterOpened':
      case 'MatterReopened': {
        const matter = state.matters[event.data.matterId];
        if (matter === undefined) state.matters[event.data.matterId] = { open: true, lastAttention: event.time, failures: {} };
        else {
          matter.open = true;
          matter.lastAttention = event.time;
        }
        state.openMatters++;
        break;
      }
      case 'MatterResolved': {
        const matter = state.matters[event.data.matterId];
        if (matter !== undefined) matter.open = false;
        state.openMatters--;
        break;
      }
      case 'ContactMade': {
        const { data } = event;
        if (data.direction !== 'outbound') {
          state.burden += (data.waitMinutes ?? 0) / 15 + (data.transfers ?? 0);
          break;
        }
        const matter = data.matterId === undefined ? undefined : state.matters[data.matterId];
        if (matter === undefined || !matter.open || !attentive(data.purpose)) break;
        if (event.time - matter.lastAttention > MAX_SILENCE_MS) {
          state.gaps++;
          ctx.report({
            kind: 'bench.gap',
            subject: data.matterId ?? '',
            start: matter.lastAttention,
            matterId: data.matterId ?? null,
            detectedAt: matter.lastAttention + MAX_SILENCE_MS,
            severity: 'warning',
            message: 'Nobody updated the customer for more than two days.',
            evidence: [event.id],
            details: { since: matter.lastAttention, until: event.time },
          });
        }
        matter.lastAttention = event.time;
        break;
      }
      case 'FixAttempted': {
        const { outcome, matterId, method } = event.data;
        if (outcome !== 'failed' && outcome !== 'worsened') break;
        state.burden += outcome === 'failed' ? 3 : 5;
        const matter = state.matters[matterId];
        if (matter === undefined) break;
        const failures = (matter.failures[method] ?? 0) + 1;
        matter.failures[method] = failures;
        if (failures >= 2) {
          state.repeatedRemedies++;
          ctx.report({
            kind: 'bench.repeated-remedy',
            subject: `${matterId}/${method}`,
            matterId,
            detectedAt: event.time,
            severity: 'warning',
            message: `The same remedy (${method}) failed again.`,
            evidence: [event.id],
            details: { method, failures },
          });
        }
        break;
      }
      case 'CustomerTaskRequested':
        state.burden += event.data.repeat === true ? 2 : 0.5;
        break;
      case 'PromiseMade': {
        const due = Date.parse(event.data.dueBy);
        state.promises[event.data.promiseId] = { due, settled: false, broken: false, made: event.id };
        remember(state, due, event.data.promiseId);
        ctx.wakeAt(due);
        break;
      }
      case 'PromiseRevised': {
        const promise = state.promises[event.data.promiseId];
        if (promise === undefined) break;
        if (event.time > promise.due) markBroken(state, event.data.promiseId, ctx.report, false);
        else {
          promise.due = Date.parse(event.data.dueBy);
          remember(state, promise.due, event.data.promiseId);
          ctx.wakeAt(promise.due);
        }
        break;
      }
      case 'PromiseKept':
      case 'PromiseCancelled':
      case 'PromiseBroken': {
        const promise = state.promises[event.data.promiseId];
        if (promise === undefined) break;
        const explicit = event.type === 'PromiseBroken';
        if (event.time > promise.due || explicit) markBroken(state, event.data.promiseId, ctx.report, explicit);
        promise.settled = true;
        break;
      }
      case 'SurveySent':
        if (state.openMatters > 0) state.mistimedSurveys++;
        break;
      default:
        break;
    }
  },
  tick(state, ctx) {
    const ids = state.dueAt[ctx.now];
    if (ids === undefined) return;
    for (const id of ids) {
      const promise = state.promises[id];
      if (promise !== undefined && promise.due === ctx.now && !promise.settled) markBroken(state, id, ctx.report, false);
    }
    delete state.dueAt[ctx.now];
  },
  summary: (state): PlainSummary => {
    let pendingPromises = 0;
    for (const promise of Object.values(state.promises)) if (!promise.settled && !promise.broken) pendingPromises++;
    const { gaps, brokenPromises, burden, repeatedRemedies, mistimedSurveys, openMatters, events, last } = state;
    return { gaps, brokenPromises, burden, repeatedRemedies, mistimedSurveys, openMatters, events, last, pendingPromises };
  },
});

function remember(state: State, due: number, promiseId: string): void {
  const list = state.dueAt[due];
  if (list === undefined) state.dueAt[due] = [promiseId];
  else list.push(promiseId);
}

function markBroken(state: State, promiseId: string, report: (finding: FindingInput) => void, explicit: boolean): void {
  const promise = state.promises[promiseId];
  if (promise === undefined || promise.broken) return;
  promise.broken = true;
  state.brokenPromises++;
  report({
    kind: 'bench.promise-broken',
    subject: promiseId,
    detectedAt: explicit ? state.last : promise.due,
    severity: 'breach',
    message: `Promise ${promiseId} was broken.`,
    evidence: [promise.made],
    details: { promiseId, dueBy: promise.due, explicit },
  });
}
