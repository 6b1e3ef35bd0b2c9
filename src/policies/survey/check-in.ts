import type { Draft } from 'immer';
import type { PolicyContext } from '../define-policy.js';
import type { SurveyOptions } from './options.js';
import { inKeyOrder, untrack, type SurveyState } from './state.js';
import { createWindow, windowKey } from './timing.js';

/**
 * The opt-in `check-in` survey.due: a matter open for `checkIn.after` whose journey shows risk
 * (a promise on it broken or overdue, a fix that failed or made things worse). Ask while the
 * answer still matters, once per opening of the matter.
 */
export function noteRisk(state: Draft<SurveyState>, ctx: PolicyContext<SurveyOptions>, matterId: string | null, time: number, eventId: string): void {
  if (matterId === null) return;
  const matter = state.matters[matterId];
  if (matter === undefined || !matter.open) return;
  if (matter.riskAt !== null) {
    // Risks at the same instant: keep the smallest event id, whatever the append order.
    if (matter.riskAt === time && matter.riskEventId !== null && eventId < matter.riskEventId) {
      matter.riskEventId = eventId;
      const window = state.windows[windowKey('check-in', matterId)];
      if (window !== undefined && window.opensAt === null && window.eventIds[1] !== undefined) window.eventIds[1] = eventId;
    }
    return;
  }
  matter.riskAt = time;
  matter.riskEventId = eventId;
  if (!ctx.options.checkIn.enabled || state.windows[windowKey('check-in', matterId)] !== undefined) return;
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
export function markOverdue(state: Draft<SurveyState>, ctx: PolicyContext<SurveyOptions>): void {
  const due = state.duePromises.filter((id) => {
    const promise = state.promises[id];
    return promise !== undefined && !promise.settled && !promise.overdue && promise.dueBy <= ctx.now;
  });
  // Several at once can race for a matter's first risk: take them in the state's own order.
  for (const id of inKeyOrder(state.promises, due)) {
    const promise = state.promises[id];
    if (promise === undefined || promise.settled || promise.overdue || promise.dueBy > ctx.now) continue;
    promise.overdue = true;
    untrack(state.duePromises, id);
    noteRisk(state, ctx, promise.matterId, promise.dueBy, promise.eventId);
  }
}
