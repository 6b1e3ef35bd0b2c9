import type { FindingSeverity } from '../../engine/finding.js';
import type { Calendar } from '../../time/calendar.js';
import type { Duration } from '../../time/duration.js';
import { toIso } from '../../time/instant.js';
import type { CoreFindingInput, PromiseDetails } from '../core-findings.js';
import { dueText, optionText, quoted, spanText, thePromiseBy } from '../wording.js';
import { isZero } from './before-due.js';
import type { PromiseEntry } from './ledger.js';

/**
 * The three promise findings. Each is about one promise (its subject); `promise.at-risk` also
 * carries the due time it warned about as its start, so a promise renegotiated to a new due time
 * can be at risk again.
 */

const BROKEN_SEVERITY: Record<PromiseEntry['importance'], FindingSeverity> = { low: 'warning', normal: 'breach', high: 'critical' };

export function atRiskFinding(calendar: Calendar, entry: PromiseEntry, at: number, warnBefore: Duration): CoreFindingInput<'promise.at-risk'> {
  return {
    kind: 'promise.at-risk',
    subject: entry.promiseId,
    start: entry.dueBy,
    matterId: entry.matterId,
    detectedAt: at,
    severity: 'warning',
    message: `${thePromiseBy(entry.party)} ${quoted(entry.what)}, due ${dueText(calendar, entry.dueBy, entry.windowStart)}, is not kept yet with ${optionText(warnBefore, 'calendar')} to go: call the customer now if it may be late.`,
    evidence: entry.evidence,
    details: { ...common(entry), dueBy: toIso(entry.dueBy), windowStart: iso(entry.windowStart) },
  };
}

export function brokenFinding(calendar: Calendar, entry: PromiseEntry, at: number, grace: Duration): CoreFindingInput<'promise.broken'> {
  const when = dueText(calendar, entry.dueBy, entry.windowStart);
  const graceText = isZero(grace) ? '' : ` (plus ${optionText(grace, 'calendar')} of grace)`;
  const message = entry.explicit
    ? `${thePromiseBy(entry.party)} ${quoted(entry.what)}, due ${when}, was broken${entry.reason === null ? '' : `: ${sentence(entry.reason)}`}.`
    : `${thePromiseBy(entry.party)} ${quoted(entry.what)} was due ${when}${graceText} and had not been kept when that time passed${entry.reason === null ? '' : `; it was then broken: ${sentence(entry.reason)}`}.`;
  return {
    kind: 'promise.broken',
    subject: entry.promiseId,
    matterId: entry.matterId,
    detectedAt: at,
    severity: BROKEN_SEVERITY[entry.importance],
    message,
    evidence: entry.evidence,
    details: {
      ...common(entry),
      dueBy: toIso(entry.dueBy),
      windowStart: iso(entry.windowStart),
      explicit: entry.explicit,
      reason: entry.reason,
    },
  };
}

export function keptLateFinding(calendar: Calendar, entry: PromiseEntry, keptAt: number): CoreFindingInput<'promise.kept-late'> {
  return {
    kind: 'promise.kept-late',
    subject: entry.promiseId,
    matterId: entry.matterId,
    detectedAt: keptAt,
    severity: 'warning',
    message: `${thePromiseBy(entry.party)} ${quoted(entry.what)} was kept on ${calendar.format(keptAt)}, ${spanText(keptAt - entry.dueBy)} after it was due (${calendar.format(entry.dueBy)}).`,
    evidence: entry.evidence,
    details: { ...common(entry), dueBy: toIso(entry.dueBy), keptAt: toIso(keptAt), lateMinutes: entry.lateMinutes },
  };
}

function common(entry: PromiseEntry): PromiseDetails {
  return { promiseId: entry.promiseId, what: entry.what, party: entry.party };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : toIso(ms);
}

/** A reason as the end of a sentence: trimmed, without its own final full stop. */
function sentence(text: string): string {
  return text.trim().replace(/[.!]+$/, '');
}
