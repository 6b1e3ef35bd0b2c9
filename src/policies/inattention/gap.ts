import type { FindingSeverity } from '../../engine/finding.js';
import type { Severity } from '../../events/fields.js';
import type { Calendar } from '../../time/calendar.js';
import { describeDuration, parseDuration, type Clock } from '../../time/duration.js';
import { toIso } from '../../time/instant.js';
import type { CoreFindingDetails, CoreFindingInput } from '../core-findings.js';
import { listText, matterName, spanText, timesText, workingText } from '../wording.js';
import { silenceMs, type Silence } from './silence.js';

/**
 * One open matter as the inattention policy sees it (immutable: a change replaces it), and the
 * `inattention.gap` finding it reports.
 * A gap is identified by its matter and the start of its silence, so it is reported once and
 * updated as it grows (more chases, more silence) and when it closes.
 */
export interface MatterWatch {
  readonly matterId: string;
  readonly title: string | null;
  readonly severity: Severity;
  readonly open: boolean;
  /** Waiting on the customer: the silence clock is stopped. */
  readonly waitingOnCustomer: boolean;
  /** The current silence; null when resolved or while the relationship has ended. */
  readonly silence: Silence | null;
  // Totals over closed gaps, for the summary (the open gap is added when summarising).
  readonly gaps: number;
  readonly longestGapMs: number;
  readonly unattendedMs: number;
  /** Inbound contacts while the silence clock ran, over the matter's life. */
  readonly chases: number;
}

export interface GapView {
  readonly calendar: Calendar;
  readonly clock: Clock;
  /** Who counts as attention, when the `parties` option restricts it. */
  readonly parties: readonly string[] | undefined;
}

/**
 * The gap finding of a matter's current silence, as of `now` (still open) or as closed at `until`
 * by the event `closedBy`. Called from evolve, tick and refresh alike, so the same state and
 * instant always give the same finding.
 */
export function gapFinding(view: GapView, matter: MatterWatch, silence: Silence, now: number, closing?: { until: number; event: string }): CoreFindingInput<'inattention.gap'> {
  const end = closing?.until ?? now;
  const silent = silenceMs(view.calendar, view.clock, silence, end);
  const evidence = [silence.sinceEvent, ...silence.chases, ...(closing === undefined ? [] : [closing.event])];
  return {
    kind: 'inattention.gap',
    subject: matter.matterId,
    start: silence.since,
    matterId: matter.matterId,
    detectedAt: silence.gapAt ?? end,
    severity: gapSeverity(silent, silence.allowedMs),
    message: gapMessage(view, matter, silence, end, closing !== undefined),
    evidence,
    details: {
      since: toIso(silence.since),
      until: closing === undefined ? null : toIso(closing.until),
      silenceMinutes: Math.floor(silent / 60_000),
      allowedMinutes: Math.floor(silence.allowedMs / 60_000),
      clock: view.clock,
      chases: silence.chases.length,
      // A spread's fields escape the excess-property check: this one is checked on its own.
      ...(view.parties === undefined ? {} : ({ parties: [...view.parties] } satisfies Partial<CoreFindingDetails['inattention.gap']>)),
    },
    ongoing: closing === undefined,
  };
}

/**
 * How serious a gap is, by how far the silence went past what was allowed: up to twice the
 * allowance a warning, up to four times a breach, beyond that critical.
 */
export function gapSeverity(silent: number, allowed: number): FindingSeverity {
  if (allowed <= 0) return silent > 0 ? 'critical' : 'warning';
  const ratio = silent / allowed;
  return ratio < 2 ? 'warning' : ratio < 4 ? 'breach' : 'critical';
}

/**
 * The amounts of silence at which `gapSeverity` steps up, in order: twice and four times the
 * allowance (with no allowance, any silence at all). The policy wakes when an open gap reaches
 * each, so the step is reported as it happens, not only when the findings are next read.
 */
export function gapSeveritySteps(allowed: number): readonly number[] {
  return allowed <= 0 ? [1] : [2 * allowed, 4 * allowed];
}

function gapMessage(view: GapView, matter: MatterWatch, silence: Silence, end: number, closed: boolean): string {
  const { calendar } = view;
  const nobody = view.parties === undefined ? 'Nobody from the company' : `Nobody from ${listText([...view.parties], 'or')}`;
  const chases = silence.chases.length;
  if (closed) {
    const chased = chases === 0 ? '' : `; the customer chased ${timesText(chases)}`;
    return `${nobody} updated the customer on ${matterName(matter.matterId, matter.title)} from ${calendar.format(silence.since)} until ${calendar.format(end)} (${measured(view, silence, end, '')})${chased}.`;
  }
  const chased = chases === 0 ? '' : `, and the customer has chased ${timesText(chases)}`;
  return `${nobody} has updated the customer on ${matterName(matter.matterId, matter.title)} since ${calendar.format(silence.since)} (${measured(view, silence, end, ' so far')})${chased}.`;
}

/**
 * The silence beside the allowance, on the same clock so the two compare, for an open gap (`tail`
 * " so far") and a closed one alike: wall-clock time on the calendar clock; on the business
 * clock, working time (pauses excluded), with the allowance also in working hours when it was
 * given in working days ("18 working hours so far; 2 working days (16 working hours) allowed"),
 * since a calendar span beside working days misleads ("8 weeks; 1 working day allowed" hides
 * how far past the allowance it went). The closed gap's dates already give its calendar extent.
 */
function measured(view: GapView, silence: Silence, end: number, tail: string): string {
  const allowance = allowanceText(silence.allowedMs, silence.allowedText, view.clock);
  if (view.clock === 'calendar') return `${spanText(end - silence.since)}${tail}; ${allowance} allowed`;
  const silent = workingText(silenceMs(view.calendar, view.clock, silence, end));
  const hours = workingText(silence.allowedMs);
  return `${silent}${tail}; ${allowance}${hours === allowance ? '' : ` (${hours})`} allowed`;
}

/** Descriptions of the allowance texts met so far, per clock (a handful: the configured limits). */
const allowances = { business: new Map<string, string>(), calendar: new Map<string, string>() };

/** "1 working day" for `P1D` on the business clock, "4 hours" for `PT4H` on the calendar clock. */
function allowanceText(allowedMs: number, text: string, clock: Clock): string {
  const known = allowances[clock].get(text);
  if (known !== undefined) return known;
  const duration = parseDuration(text);
  if (duration === undefined) return `${Math.floor(allowedMs / 60_000)} minutes`;
  const described = describeDuration(duration, clock);
  allowances[clock].set(text, described);
  return described;
}
