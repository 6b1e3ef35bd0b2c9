import { compareStrings } from '../engine/finding.js';
import { dataInstant } from './data-instant.js';
import { defineBuiltinPolicy, type PolicyContext } from './define-policy.js';
import { onContactMade, onFixAttempted, onTaskRequested, promiseBroken, settleContacts, settlePromise, updateMatter } from './burden/contributions.js';
import { escalate } from './burden/escalation.js';
import { burdenOptions, type BurdenOptions } from './burden/options.js';
import { checkRepeatedRemedy, unsuccessful } from './burden/repeated-remedy.js';
import { live, scoreOf } from './burden/score.js';
import { initialBurdenState, type BurdenState, type TrackedPromise } from './burden/state.js';
import { readable, writable } from './owned.js';

/**
 * Burden: what the customer has been put through (failed fixes, their own effort, holds,
 * downtime, transfers, repeated asks, channel switches, chases, broken promises), per matter and
 * across the relationship over a rolling window, so a new matter remembers the old ones
 * ("is this the fifth time in six months you are asking?"). Raises `burden.escalated` at each
 * level and `burden.repeated-remedy` when the same fix method fails again on a matter.
 *
 * Promises are tracked here too (made, revised before due, kept, broken, cancelled, due time
 * passed) so burden does not depend on another policy's state.
 */
/**
 * A promise whose due time passed unkept is broken at that instant (no grace: heed's promises
 * policy may allow one, but burden counts what the customer lived through).
 */
function breakDuePromises(state: BurdenState, ctx: PolicyContext<BurdenOptions>): void {
  const promises = readable(state, 'promises');
  const due = readable(state, 'pendingPromises')
    .map((id) => [id, promises[id]] as const)
    .filter((entry): entry is readonly [string, TrackedPromise] => entry[1]?.status === 'pending' && entry[1].dueBy <= ctx.now)
    .sort(([a, p], [b, q]) => p.dueBy - q.dueBy || compareStrings(a, b));
  for (const [promiseId, promise] of due) promiseBroken(state, ctx, promiseId, promise.dueBy, promise.eventId);
  let next = Number.POSITIVE_INFINITY;
  const after = readable(state, 'promises');
  for (const id of readable(state, 'pendingPromises')) {
    const promise = after[id];
    if (promise !== undefined && promise.dueBy < next) next = promise.dueBy;
  }
  state.nextPromiseDue = next;
}

export const burden = defineBuiltinPolicy({
  name: 'burden',
  description: 'Accumulated customer burden across failed fixes, effort, transfers and broken promises; escalates as failures pile up.',
  options: burdenOptions,
  kinds: ['burden.escalated', 'burden.repeated-remedy'],
  initialState: (): BurdenState => initialBurdenState(),
  // State is reached as owned.ts describes: collections taken from the draft, records replaced.
  evolve(draft, event, ctx) {
    const state: BurdenState = draft;
    switch (event.type) {
      case 'MatterOpened':
        updateMatter(state, event.data.matterId, { severity: event.data.severity, title: event.data.title ?? null });
        return;
      case 'FixAttempted': {
        const matter = onFixAttempted(state, event, ctx);
        if (event.data.outcome !== 'succeeded') checkRepeatedRemedy(matter, event.data.matterId, event.data.method, ctx);
        ctx.wakeAt(ctx.now);
        return;
      }
      case 'ContactMade':
        onContactMade(state, event, ctx);
        ctx.wakeAt(ctx.now);
        return;
      case 'CustomerTaskRequested':
        onTaskRequested(state, event, ctx);
        ctx.wakeAt(ctx.now);
        return;
      case 'PromiseMade': {
        const { promiseId, matterId, importance, dueBy } = event.data;
        const due = dataInstant(dueBy);
        writable(state, 'promises')[promiseId] = { eventId: event.id, matterId: matterId ?? null, importance, dueBy: due, status: 'pending' };
        if (!readable(state, 'pendingPromises').includes(promiseId)) writable(state, 'pendingPromises').push(promiseId);
        if (due < state.nextPromiseDue) state.nextPromiseDue = due;
        ctx.wakeAt(due);
        return;
      }
      case 'PromiseRevised': {
        const promise = readable(state, 'promises')[event.data.promiseId];
        // Revised before its due time, the due time moves; after it, the promise stays broken.
        if (promise?.status === 'pending' && ctx.now < promise.dueBy) {
          const dueBy = dataInstant(event.data.dueBy);
          writable(state, 'promises')[event.data.promiseId] = { ...promise, dueBy };
          if (dueBy < state.nextPromiseDue) state.nextPromiseDue = dueBy;
          ctx.wakeAt(dueBy);
        }
        return;
      }
      case 'PromiseKept':
      case 'PromiseCancelled': {
        const promise = readable(state, 'promises')[event.data.promiseId];
        if (promise?.status !== 'pending') return;
        writable(state, 'promises')[event.data.promiseId] = { ...promise, status: event.type === 'PromiseKept' ? 'kept' : 'cancelled' };
        settlePromise(state, event.data.promiseId);
        return;
      }
      case 'PromiseBroken':
        if (promiseBroken(state, ctx, event.data.promiseId, event.time, event.id)) ctx.wakeAt(ctx.now);
        return;
      default:
        return;
    }
  },
  // Escalation is judged at the end of each instant (a wake-up at the event's own time runs after
  // every event at that time), so events tied at one instant count the same in any append order.
  tick(draft, ctx) {
    const state: BurdenState = draft;
    settleContacts(state, ctx);
    if (ctx.now >= state.nextPromiseDue) breakDuePromises(state, ctx);
    escalate(state, ctx);
  },
  summary(state, ctx) {
    const result = scoreOf(live(state.contributions, ctx.now), ctx.options.levels);
    const repeatedRemedies = Object.entries(state.matters).flatMap(([matterId, matter]) =>
      [...new Set(matter.attempts.map((a) => a.method))]
        .map((method) => ({ matterId, method, failures: unsuccessful(matter.attempts, method).length }))
        .filter((r) => r.failures >= 2),
    );
    return { score: result.score, level: result.level, drivers: result.drivers, matters: result.matters, repeatedRemedies };
  },
});
