import type { CoreEventOf } from '../../events/event.js';
import type { CoreFindingInput } from '../core-findings.js';
import { keyed } from '../keyed.js';
import { toIso } from '../../time/instant.js';
import { dataInstant } from '../data-instant.js';
import { compareStrings } from '../../engine/finding.js';
import type { PolicyContext } from '../define-policy.js';
import { readable, replace, writable } from '../owned.js';
import { listText, matterName, optionText } from '../wording.js';
import type { SurveyOptions } from './options.js';
import { mistimedReasons, pendingPromises, track, untrack, type MistimedReason, type PendingSurvey, type SentSurvey, type SurveyState } from './state.js';
import { noteSurvey, windowKey } from './timing.js';

/**
 * `survey.mistimed`: every survey sent at the wrong moment, with all the reasons that apply. A
 * survey about a matter is checked against that matter; one without a matter against the whole
 * relationship (any open matter, any pending promise). `expires-before-resolution` is only known
 * at the expiry, so the finding is updated then, or created then (and detected then) when nothing
 * else was wrong at sending.
 */
type Ctx = PolicyContext<SurveyOptions>;
type State = SurveyState;

/** Note the survey; it is judged at the end of its instant (`judgeSurveys`). */
export function onSurveySent(state: State, event: CoreEventOf<'SurveySent'>, ctx: Ctx): void {
  const { surveyId, matterId, expiresAt } = event.data;
  writable(state, 'pendingSurveys').push({ eventId: event.id, time: event.time, surveyId, matterId: matterId ?? null, expiresAt: expiresAt === undefined ? null : dataInstant(expiresAt) });
  ctx.wakeAt(ctx.now);
}

/**
 * Judge the surveys sent at this instant, after every event at it (a resolution or a kept promise
 * at the same time counts as before the survey), in event-id order: the same result in any append
 * order.
 */
export function judgeSurveys(state: State, ctx: Ctx): void {
  const surveys = readable(state, 'pendingSurveys');
  if (surveys.length === 0) return;
  const pending = [...surveys].sort((a, b) => a.time - b.time || compareStrings(a.eventId, b.eventId));
  replace(state, 'pendingSurveys', []);
  for (const survey of pending) judge(state, survey, ctx);
}

function judge(state: State, sent: PendingSurvey, ctx: Ctx): void {
  const { surveyId, expiresAt: expires } = sent;
  const matterId = sent.matterId ?? undefined;
  const event = { id: sent.eventId };
  const now = ctx.now;
  // Inside an open check-in window heed itself said to ask: the matter being open, or a promise
  // pending, is the point of the question, not a mistake.
  const windows = readable(state, 'windows');
  const matters = readable(state, 'matters');
  const checkingIn = (m: string): boolean => {
    const w = windows[windowKey('check-in', m)];
    return w !== undefined && w.opensAt !== null && w.closesAt !== null && w.opensAt <= now && now < w.closesAt;
  };
  const open = (matterId !== undefined ? [matterId] : Object.keys(matters)).filter((m) => matters[m]?.open === true);
  const reasons: MistimedReason[] = [];
  const evidence: string[] = [event.id];

  const asked = open.filter((m) => !checkingIn(m));
  if (asked.length > 0) {
    reasons.push('matter-open');
    for (const m of asked) evidence.push((matters[m] as { openEventId: string }).openEventId);
  }
  const pending = pendingPromises(
    state,
    now,
    (p) => (matterId === undefined || p.matterId === matterId) && !(p.matterId !== null && checkingIn(p.matterId)),
  );
  if (pending.length > 0) {
    reasons.push('promise-pending');
    evidence.push(...pending.map((p) => p.eventId));
  }
  if (state.lastSentAt !== null && now < ctx.calendar.add(state.lastSentAt, ctx.options.cooldown, 'calendar')) {
    reasons.push('too-soon-after-previous');
    if (state.lastSentEventId !== null) evidence.push(state.lastSentEventId);
  }
  if (state.endedAt !== null) {
    reasons.push('after-relationship-ended');
    if (state.endedEventId !== null) evidence.push(state.endedEventId);
  }

  const watched = keyed<number>();
  if (expires !== null) for (const m of open) watched[m] = (matters[m] as { epoch: number }).epoch;
  const survey: SentSurvey = { eventId: event.id, time: now, matterId: matterId ?? null, expiresAt: expires, reasons, mistimedAt: now, evidence, watched };
  writable(state, 'surveys')[surveyId] = survey;
  if (expires !== null && open.length > 0) {
    track(state, 'watchingSurveys', surveyId);
    if (expires <= now) checkExpiry(state, ctx, surveyId);
    else ctx.wakeAt(expires);
  }
  // Reported as it stands now: an expiry already due above has added its reason.
  if (reasons.length > 0) reportMistimed(state, surveyId, readable(state, 'surveys')[surveyId] ?? survey, ctx);

  state.lastSentAt = now;
  state.lastSentEventId = event.id;
  if (reasons.length === 0) {
    state.lastWellTimedAt = now;
    noteSurvey(state, ctx, surveyId, matterId ?? null);
  }
}

/** At a survey's expiry: was a matter it asked about still not resolved? */
export function checkExpiry(state: State, ctx: Ctx, surveyId: string): void {
  const survey = readable(state, 'surveys')[surveyId];
  if (survey === undefined || survey.expiresAt === null || ctx.now < survey.expiresAt) return;
  const matters = readable(state, 'matters');
  const unresolved = Object.entries(survey.watched).filter(([m, epoch]) => matters[m]?.epoch === epoch);
  untrack(state, 'watchingSurveys', surveyId);
  if (unresolved.length === 0) {
    writable(state, 'surveys')[surveyId] = { ...survey, watched: keyed<number>() };
    return;
  }
  const expired: SentSurvey = {
    ...survey,
    watched: keyed<number>(),
    reasons: mistimedReasons.filter((r) => r === 'expires-before-resolution' || survey.reasons.includes(r)),
    // Mistimed since it was sent if a reason held then; otherwise only since the expiry (not before sending).
    mistimedAt: survey.reasons.length > 0 ? survey.mistimedAt : Math.max(survey.time, survey.expiresAt),
    // What makes it true: the opening (or reopening) of each matter still unresolved at the expiry.
    evidence: [...new Set([...survey.evidence, ...unresolved.map(([m]) => (matters[m] as { openEventId: string }).openEventId)])],
  };
  writable(state, 'surveys')[surveyId] = expired;
  reportMistimed(state, surveyId, expired, ctx);
}

/** Surveys whose expiry has come and still watch a matter. */
export function dueExpiries(state: SurveyState, now: number): string[] {
  const surveys = readable(state, 'surveys');
  return readable(state, 'watchingSurveys').filter((id) => {
    const s = surveys[id];
    return s !== undefined && s.expiresAt !== null && s.expiresAt <= now && Object.keys(s.watched).length > 0;
  });
}

function reportMistimed(state: State, surveyId: string, survey: SentSurvey, ctx: Ctx): void {
  // A survey about no matter is judged against every open matter of the customer.
  const aboutMatter = survey.matterId !== null;
  const words: Record<MistimedReason, string> = {
    'matter-open': aboutMatter ? 'the matter was still open' : 'the customer still had a matter open',
    'promise-pending': 'a promise to the customer was still pending',
    'expires-before-resolution': aboutMatter ? 'it expired before the matter was resolved' : 'it expired with a matter still unresolved',
    'too-soon-after-previous': `it came within ${optionText(ctx.options.cooldown, 'calendar')} of the previous survey`,
    'after-relationship-ended': 'the customer had already left',
  };
  const sentence = listText(survey.reasons.map((r) => words[r]));
  // Named as the reader knows it (its title when it has one), as the other matter messages name it.
  const about = survey.matterId === null ? '' : ` about ${matterName(survey.matterId, readable(state, 'matters')[survey.matterId]?.title ?? null)}`;
  ctx.report({
    kind: 'survey.mistimed',
    subject: surveyId,
    matterId: survey.matterId,
    detectedAt: survey.mistimedAt,
    severity: survey.reasons.length >= 2 ? 'breach' : 'warning',
    message: `Survey "${surveyId}"${about} was sent at the wrong moment: ${sentence}.`,
    evidence: survey.evidence,
    details: { surveyId, reasons: [...survey.reasons], sentAt: toIso(survey.time), expiresAt: survey.expiresAt === null ? null : toIso(survey.expiresAt) },
  } satisfies CoreFindingInput<'survey.mistimed'>);
}
