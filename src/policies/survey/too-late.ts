import type { CoreEventOf } from '../../events/event.js';
import { toIso } from '../../time/instant.js';
import type { CoreFindingInput } from '../core-findings.js';
import type { PolicyContext } from '../define-policy.js';
import { readable } from '../owned.js';
import { matterName, plural } from '../wording.js';
import type { SurveyOptions } from './options.js';
import type { SurveyState } from './state.js';
import { closeWindows } from './timing.js';

/**
 * `survey.too-late`: the customer left, and no well-timed survey was sent since the last resolved
 * matter (or ever, when none was resolved). Surveys that went out mistimed do not count: they
 * asked, but not while the answer could be given. Only raised once the customer had a matter.
 */
export function onRelationshipEnded(state: SurveyState, event: CoreEventOf<'RelationshipEnded'>, ctx: PolicyContext<SurveyOptions>): void {
  state.endedAt = ctx.now;
  state.endedEventId = event.id;
  closeWindows(state, ctx, null, ['resolved', 'check-in'], event.id);
  if (!state.hadMatter) return;
  const since = state.lastResolvedAt ?? Number.NEGATIVE_INFINITY;
  if (state.lastWellTimedAt !== null && state.lastWellTimedAt >= since) return;
  // The surveys that did go out since the last well-timed one, all at the wrong moment.
  const after = state.lastWellTimedAt ?? Number.NEGATIVE_INFINITY;
  const mistimed = Object.entries(readable(state, 'surveys'))
    .filter(([, s]) => s.time > after && s.reasons.length > 0)
    .map(([id, s]) => ({ id, eventId: s.eventId }));
  const resolvedAt = state.lastResolvedAt;
  const lastMatter = state.lastResolvedMatterId;
  const resolvedName = lastMatter === null ? 'the matter' : matterName(lastMatter, readable(state, 'matters')[lastMatter]?.title ?? null);
  const about = resolvedAt === null ? 'while its matters were handled' : `after ${resolvedName} was resolved on ${ctx.calendar.formatDate(resolvedAt)}`;
  const asked = mistimed.length === 0 ? 'nobody asked' : `nobody asked at the right moment (${plural(mistimed.length, 'mistimed survey')})`;
  ctx.report({
    kind: 'survey.too-late',
    subject: 'relationship',
    start: ctx.now,
    matterId: null,
    detectedAt: ctx.now,
    severity: 'breach',
    message: `The customer left on ${ctx.calendar.formatDate(ctx.now)} and ${asked} ${about}, while the answer still mattered.`,
    evidence: [...(state.lastResolvedEventId !== null ? [state.lastResolvedEventId] : []), ...mistimed.map((s) => s.eventId), event.id],
    details: {
      endedAt: toIso(ctx.now),
      lastResolvedAt: resolvedAt === null ? null : toIso(resolvedAt),
      mistimedSurveys: mistimed.map((s) => s.id),
    },
  } satisfies CoreFindingInput<'survey.too-late'>);
}
