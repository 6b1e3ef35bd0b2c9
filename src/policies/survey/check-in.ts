import type { PolicyContext } from '../define-policy.js';
import { readable, writable } from '../owned.js';
import type { SurveyOptions } from './options.js';
import { inKeyOrder, untrack, type SurveyState } from './state.js';
import { createWindow, windowKey } from './timing.js';

/**
 * The opt-in `check-in` survey.due: a matter open for `checkIn.after` whose journey shows risk
 * (a promise on it broken or overdue, a fix that failed or made things worse). Ask while the
 * answer still matters, once per opening of the matter.
 */
export function noteRisk(state: SurveyState, ctx: PolicyContext<SurveyOptions>, matterId: string | null, time: number, eventId: string): void {
  if (matterId === null) return;
  const matter = readable(state, 'matters')[matterId];
  if (matter === undefined || !matter.open) return;
  if (matter.riskAt !== null) {
    // Risks at the same instant: keep the smallest event id, whatever the append order.
    if (matter.riskAt === time && matter.riskEventId !== null && eventId < matter.riskEventId) {
      writable(state, 'matters')[matterId] = { ...matter, riskEventId: eventId };
      const key = windowKey('check-in', matterId);
      const window = readable(state, 'windows')[key];
      if (window !== undefined && window.opensAt === null && window.eventIds[1] !== undefined) {
        writable(state, 'windows')[key] = { ...window, eventIds: window.eventIds.map((id, i) => (i === 1 ? eventId : id)) };
      }
    }
    return;
  }
  writable(state, 'matters')[matterId] = { ...matter, riskAt: time, riskEventId: eventId };
  if (!ctx.options.checkIn.enabled || readable(state, 'windows')[windowKey('check-in', matterId)] !== undefined) return;
  createWindow(state, ctx, {
    matterId,
    reason: 'check-in',
    start: matter.openedAt,
    epoch: matter.epoch,
    eventIds: [matter.openEventId, eventId],
    earliest: Math.max(ctx.calendar.add(matter.openedAt, ctx.options.checkIn.after, 'calendar'), time),
    opensAt: null,
    closesAt: null,
    surveyId: null,
  });
}

/** Promises whose due time passed unsettled at this wake-up are a risk on their matter. */
export function markOverdue(state: SurveyState, ctx: PolicyContext<SurveyOptions>): void {
  const promises = readable(state, 'promises');
  const due = readable(state, 'duePromises').filter((id) => {
    const promise = promises[id];
    return promise !== undefined && !promise.settled && !promise.overdue && promise.dueBy <= ctx.now;
  });
  // Several at once can race for a matter's first risk: take them in the state's own order.
  for (const id of inKeyOrder(promises, due)) {
    const promise = readable(state, 'promises')[id];
    if (promise === undefined || promise.settled || promise.overdue || promise.dueBy > ctx.now) continue;
    writable(state, 'promises')[id] = { ...promise, overdue: true };
    untrack(state, 'duePromises', id);
    noteRisk(state, ctx, promise.matterId, promise.dueBy, promise.eventId);
  }
}
