import { toIso } from '../time/instant.js';
import { dataInstant } from './data-instant.js';
import { defineBuiltinPolicy } from './define-policy.js';
import { markOverdue, noteRisk } from './survey/check-in.js';
import { checkExpiry, dueExpiries, judgeSurveys, onSurveySent } from './survey/mistimed.js';
import { surveyOptions } from './survey/options.js';
import { initialSurveyState, track, untrack, type SurveyState } from './survey/state.js';
import { readable, writable } from './owned.js';
import { closeWindows, createWindow, retryWindows } from './survey/timing.js';
import { onRelationshipEnded } from './survey/too-late.js';

/**
 * Survey timing: ask while the answers still matter. `survey.due` after a matter is resolved and
 * settled (not while a promise on it is pending, not within the cooldown of the last survey);
 * `survey.mistimed` for every survey sent at the wrong moment, with all its reasons;
 * `survey.too-late` when the customer leaves unasked; optionally a `check-in` while a long
 * matter is open and at risk.
 */
export const survey = defineBuiltinPolicy({
  name: 'survey',
  description: 'Surveys at the right moment: after resolution, not mid-repair, not after the customer left.',
  options: surveyOptions,
  kinds: ['survey.due', 'survey.mistimed', 'survey.too-late'],
  initialState: (): SurveyState => initialSurveyState(),
  // State is reached as owned.ts describes: collections taken from the draft, records replaced.
  evolve(draft, event, ctx) {
    const state: SurveyState = draft;
    switch (event.type) {
      case 'RelationshipStarted':
        state.endedAt = null;
        state.endedEventId = null;
        return;
      case 'RelationshipEnded':
        onRelationshipEnded(state, event, ctx);
        return;
      case 'MatterOpened':
      case 'MatterReopened': {
        const { matterId } = event.data;
        const before = readable(state, 'matters')[matterId];
        const epoch = (before?.epoch ?? 0) + 1;
        // A reopened matter keeps the title it was opened with.
        const title = event.type === 'MatterOpened' ? (event.data.title ?? null) : (before?.title ?? null);
        writable(state, 'matters')[matterId] = { title, open: true, openedAt: ctx.now, openEventId: event.id, epoch, riskAt: null, riskEventId: null };
        state.hadMatter = true;
        // Reopened before its survey window opened: the window is cancelled; after: cut short.
        closeWindows(state, ctx, matterId, ['resolved', 'check-in'], event.id);
        return;
      }
      case 'MatterResolved': {
        const { matterId } = event.data;
        const before = readable(state, 'matters')[matterId];
        if (before === undefined) return;
        const matter = { ...before, open: false, epoch: before.epoch + 1 };
        writable(state, 'matters')[matterId] = matter;
        state.lastResolvedAt = ctx.now;
        state.lastResolvedEventId = event.id;
        state.lastResolvedMatterId = matterId;
        closeWindows(state, ctx, matterId, ['check-in'], event.id);
        createWindow(state, ctx, {
          matterId,
          reason: 'resolved',
          start: ctx.now,
          epoch: matter.epoch,
          eventIds: [event.id],
          earliest: ctx.calendar.add(ctx.now, ctx.options.settleAfter, 'calendar'),
          opensAt: null,
          closesAt: null,
          surveyId: null,
        });
        return;
      }
      case 'PromiseMade': {
        const { promiseId, matterId, dueBy } = event.data;
        const due = dataInstant(dueBy);
        writable(state, 'promises')[promiseId] = { eventId: event.id, matterId: matterId ?? null, dueBy: due, settled: false, overdue: false };
        track(state, 'unsettledPromises', promiseId);
        track(state, 'duePromises', promiseId);
        ctx.wakeAt(due);
        return;
      }
      case 'PromiseRevised': {
        const promise = readable(state, 'promises')[event.data.promiseId];
        // Revised before its due time, the due time moves; after it, the promise stays broken.
        if (promise !== undefined && !promise.settled && ctx.now < promise.dueBy) {
          const dueBy = dataInstant(event.data.dueBy);
          writable(state, 'promises')[event.data.promiseId] = { ...promise, dueBy };
          ctx.wakeAt(dueBy);
        }
        return;
      }
      case 'PromiseKept':
      case 'PromiseCancelled':
      case 'PromiseBroken': {
        const promise = readable(state, 'promises')[event.data.promiseId];
        if (promise === undefined) return;
        writable(state, 'promises')[event.data.promiseId] = { ...promise, settled: true };
        untrack(state, 'unsettledPromises', event.data.promiseId);
        untrack(state, 'duePromises', event.data.promiseId);
        if (event.type === 'PromiseBroken') noteRisk(state, ctx, promise.matterId, ctx.now, event.id);
        if (promise.matterId !== null) retryWindows(state, ctx, promise.matterId);
        return;
      }
      case 'FixAttempted':
        if (event.data.outcome === 'failed' || event.data.outcome === 'worsened') noteRisk(state, ctx, event.data.matterId, ctx.now, event.id);
        return;
      case 'SurveySent':
        onSurveySent(state, event, ctx);
        return;
      default:
        return;
    }
  },
  tick(draft, ctx) {
    const state: SurveyState = draft;
    markOverdue(state, ctx);
    // Windows first: a survey at the very instant a window opens is the one it asked for.
    retryWindows(state, ctx);
    judgeSurveys(state, ctx);
    for (const surveyId of dueExpiries(state, ctx.now)) checkExpiry(state, ctx, surveyId);
  },
  summary(state, ctx) {
    const open = Object.values(state.windows).filter((w) => w.opensAt !== null && w.closesAt !== null && w.opensAt <= ctx.now && ctx.now < w.closesAt);
    return {
      surveysSent: Object.keys(state.surveys).length,
      mistimed: Object.values(state.surveys).filter((s) => s.reasons.length > 0).length,
      askNow: open.map((w) => ({ matterId: w.matterId, reason: w.reason, closesAt: toIso(w.closesAt as number) })),
      ended: state.endedAt !== null,
    };
  },
});
