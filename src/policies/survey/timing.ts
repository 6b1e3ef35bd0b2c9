import { toIso } from '../../time/instant.js';
import type { CoreFindingInput } from '../core-findings.js';
import type { PolicyContext } from '../define-policy.js';
import { readable, writable } from '../owned.js';
import { matterName } from '../wording.js';
import type { SurveyOptions } from './options.js';
import { pendingPromises, track, untrack, type DueWindow, type SurveyState } from './state.js';

/**
 * `survey.due`: the right moment to ask. A window per matter, created at resolution (or, for the
 * opt-in check-in, when a long open matter shows risk), opened by a wake-up once it may open,
 * closed `answerWindow` later. Reopening the matter before it opens cancels it; reopening, the
 * customer leaving (or, for a check-in, the resolution) after it opened cuts it short.
 */
type Ctx = PolicyContext<SurveyOptions>;
type State = SurveyState;

export function windowKey(reason: DueWindow['reason'], matterId: string): string {
  return `${reason}:${matterId}`;
}

export function createWindow(state: State, ctx: Ctx, window: DueWindow): void {
  const key = windowKey(window.reason, window.matterId);
  writable(state, 'windows')[key] = window;
  track(state, 'waitingWindows', key);
  tryOpen(state, ctx, key);
}

/** Open the window if it may open now; otherwise ask to be woken when it might. */
export function tryOpen(state: State, ctx: Ctx, key: string): void {
  const window = readable(state, 'windows')[key];
  if (window === undefined || window.opensAt !== null) return;
  const matter = readable(state, 'matters')[window.matterId];
  // Cancelled: the matter changed (reopened, or resolved for a check-in) or the customer left.
  if (state.endedAt !== null || matter === undefined || matter.epoch !== window.epoch) {
    delete writable(state, 'windows')[key];
    untrack(state, 'waitingWindows', key);
    return;
  }
  const lastSentAt = state.lastSentAt;
  const cooldownEnds = lastSentAt === null ? Number.NEGATIVE_INFINITY : ctx.calendar.add(lastSentAt, ctx.options.cooldown, 'calendar');
  const earliest = Math.max(window.earliest, cooldownEnds);
  if (ctx.now < earliest) {
    ctx.wakeAt(earliest);
    return;
  }
  if (window.reason === 'resolved') {
    // Not while a promise on the matter is pending: retry when it falls due (settling retries too).
    const pending = pendingPromises(state, ctx.now, (p) => p.matterId === window.matterId);
    if (pending.length > 0) {
      ctx.wakeAt(Math.min(...pending.map((p) => p.dueBy)));
      return;
    }
  }
  const opened = { ...window, opensAt: ctx.now, closesAt: ctx.calendar.add(ctx.now, ctx.options.answerWindow, 'calendar') };
  writable(state, 'windows')[key] = opened;
  untrack(state, 'waitingWindows', key);
  reportDue(state, opened, ctx);
}

/** Retry the windows still waiting to open (after a promise settled, a wake-up...), of one matter or all. */
export function retryWindows(state: State, ctx: Ctx, matterId?: string): void {
  // Each window opens or not on its own, so the order they are retried in does not matter.
  const keys = matterId === undefined ? [...readable(state, 'waitingWindows')] : reasons.map((reason) => windowKey(reason, matterId));
  for (const key of keys) tryOpen(state, ctx, key);
}

const reasons: readonly DueWindow['reason'][] = ['resolved', 'check-in'];

/**
 * The matter changed or the customer left: cancel windows not yet open, cut open ones short.
 * `matterId` null means every matter's windows.
 */
export function closeWindows(state: State, ctx: Ctx, matterId: string | null, which: readonly DueWindow['reason'][], eventId: string): void {
  const keys = matterId === null ? Object.keys(readable(state, 'windows')) : which.map((reason) => windowKey(reason, matterId));
  for (const key of keys) {
    const window = readable(state, 'windows')[key];
    if (window === undefined || !which.includes(window.reason)) continue;
    if (window.opensAt === null) {
      delete writable(state, 'windows')[key];
      untrack(state, 'waitingWindows', key);
      continue;
    }
    if (window.closesAt !== null && window.closesAt > ctx.now) {
      reportDue(state, { ...window, closesAt: ctx.now, eventIds: [...window.eventIds, eventId] }, ctx);
    }
    delete writable(state, 'windows')[key];
  }
}

/** A survey went out while a window was open: note it on the finding. */
export function noteSurvey(state: State, ctx: Ctx, surveyId: string, matterId: string | null): void {
  for (const [key, window] of Object.entries(readable(state, 'windows'))) {
    if (window.opensAt === null || window.closesAt === null || window.surveyId !== null) continue;
    if (ctx.now < window.opensAt || ctx.now >= window.closesAt) continue;
    if (matterId !== null && matterId !== window.matterId) continue;
    const noted = { ...window, surveyId };
    writable(state, 'windows')[key] = noted;
    reportDue(state, noted, ctx);
  }
}

function reportDue(state: State, window: DueWindow, ctx: Ctx): void {
  const opensAt = window.opensAt as number;
  const closesAt = window.closesAt as number;
  // Named as the reader knows it (its title when it has one), as inattention names it.
  const name = matterName(window.matterId, readable(state, 'matters')[window.matterId]?.title ?? null);
  const why = window.reason === 'resolved' ? 'it has been resolved and settled with no promise pending' : 'it has been open a long time and shows risk';
  ctx.report({
    kind: 'survey.due',
    subject: window.matterId,
    start: `${window.reason}:${window.start}`,
    matterId: window.matterId,
    detectedAt: opensAt,
    severity: 'info',
    message: `Ask the customer about ${name} between ${ctx.calendar.format(opensAt)} and ${ctx.calendar.format(closesAt)}: ${why}.`,
    evidence: window.eventIds,
    details: { opensAt: toIso(opensAt), closesAt: toIso(closesAt), reason: window.reason, surveyId: window.surveyId },
  } satisfies CoreFindingInput<'survey.due'>);
}
