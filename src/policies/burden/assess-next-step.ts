import type { Engine } from '../../engine/engine.js';
import { UsageError } from '../../errors.js';
import { checkOptionNames, optionNames } from '../../option-names.js';
import type { BurdenOptions } from './options.js';
import { levelOf, live, scoreOf } from './score.js';
import type { BurdenState } from './state.js';
import { unsuccessful } from './repeated-remedy.js';
import { severityFactor } from './weights.js';
import { timesText } from '../wording.js';
import { quoteId } from '../../quote-id.js';

/** A next step a CRM is about to schedule ("send the technician again"). */
export interface NextStepProposal {
  readonly customerId: string;
  /** The matter the step is for. Without it, only the relationship-wide burden is considered. */
  readonly matterId?: string;
  /** The fix method, as in `FixAttempted.method` (`onsite-visit`, `ship-in`, ...). */
  readonly method: string;
  /** What the step asks of the customer, in minutes (being there, restoring a backup, ...). */
  readonly expectedEffortMinutes?: number;
  /** How long the customer will be without the thing, in hours. */
  readonly expectedDowntimeHours?: number;
  /** Assess as of this instant (ISO-8601, epoch ms or a Date). Default: the engine's clock. */
  readonly at?: string | number | Date;
  /** How many unsuccessful tries of the same method on the matter are too many. Default 2. */
  readonly maxMethodFailures?: number;
  /** Customer effort on the matter (hours) after which any further effort needs their say. Default 8. */
  readonly maxEffortHours?: number;
}

// A misspelt limit (`maxMethodFailure`) would leave the default in force, unnoticed.
const PROPOSAL_FIELDS = optionNames<NextStepProposal>({
  customerId: true,
  matterId: true,
  method: true,
  expectedEffortMinutes: true,
  expectedDowntimeHours: true,
  at: true,
  maxMethodFailures: true,
  maxEffortHours: true,
});

export interface NextStepAssessment {
  /** False when the step should not be insisted upon without asking the customer. */
  readonly reasonable: boolean;
  /** Why not, in plain sentences (empty when reasonable). */
  readonly reasons: readonly string[];
  /** What to do instead or first. */
  readonly suggestions: readonly string[];
  /** The burden now and with this step's expected effort and downtime added. */
  readonly score: number;
  readonly level: number;
  readonly projectedScore: number;
  readonly projectedLevel: number;
  /** Unsuccessful attempts of this method on the matter so far. */
  readonly methodFailures: number;
  /** Hours the customer has spent on this matter so far (tasks, attempts, calls). */
  readonly effortHours: number;
}

/**
 * "Ask before insisting": before a CRM schedules the next step on a matter, is it reasonable to
 * put the customer through it? Reads the `burden` policy's state in the engine and records
 * nothing. Unreasonable when the same method already failed `maxMethodFailures` times (or made
 * things worse) on the matter, when the step would push the burden to a higher level, or when the
 * customer has already spent `maxEffortHours` on the matter and the step asks for more.
 */
export function assessNextStep(engine: Engine, proposal: NextStepProposal): NextStepAssessment {
  checkOptionNames('assessNextStep', proposal, PROPOSAL_FIELDS, { noun: 'proposal field', argument: 'the proposal' });
  const options = engine.policyOptions<BurdenOptions>('burden');
  const state = engine.state<BurdenState>(proposal.customerId, 'burden');
  const now = instant(engine, proposal) ?? engine.now ?? Number.NEGATIVE_INFINITY;
  return assessBurden(state, options, now, proposal);
}

function instant(engine: Engine, proposal: NextStepProposal): number | undefined {
  const { at } = proposal;
  if (at === undefined) return undefined;
  const ms = typeof at === 'number' ? at : at instanceof Date ? at.getTime() : engine.calendar.parseInstant(at);
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new UsageError(`assessNextStep: "at" must be an ISO-8601 date-time, epoch ms or a Date; got ${JSON.stringify(at)}`, { path: 'at', rule: 'invalid-instant', ...about(proposal) });
  }
  return ms;
}

/** The customer a proposal is about, for a UsageError's `customerId`, when it is a string. */
function about(proposal: NextStepProposal): { customerId?: string } {
  return typeof proposal.customerId === 'string' ? { customerId: proposal.customerId } : {};
}

/** The same assessment over a burden state and options (what `assessNextStep` reads from the engine). */
export function assessBurden(state: BurdenState | undefined, options: BurdenOptions, now: number, proposal: NextStepProposal): NextStepAssessment {
  const effortMinutes = checked(proposal, 'expectedEffortMinutes', 0, 'zero or more');
  const downtimeHours = checked(proposal, 'expectedDowntimeHours', 0, 'zero or more');
  const maxFailures = checked(proposal, 'maxMethodFailures', 2, 'a whole number, 1 or more');
  const maxEffortHours = checked(proposal, 'maxEffortHours', 8, 'zero or more');
  const { method } = proposal;
  const current = scoreOf(live(state?.contributions ?? [], now), options.levels);
  const matter = proposal.matterId === undefined ? undefined : state?.matters[proposal.matterId];
  const failed = matter === undefined ? [] : unsuccessful(matter.attempts, method);
  const effortHours = Math.round(((matter?.effortMinutes ?? 0) / 60) * 10) / 10;

  const w = options.weights;
  const factor = severityFactor[matter?.severity ?? 'normal'];
  const added = (effortMinutes / 60) * w.effortHour + (downtimeHours / 24) * w.downtimeDay * factor;
  const projectedScore = Math.round((current.score + added) * 10) / 10;
  const projectedLevel = levelOf(projectedScore, options.levels);

  const reasons: string[] = [];
  const suggestions: string[] = [];
  const repeat = failed.length >= maxFailures || failed.some((a) => a.outcome === 'worsened');
  if (failed.length >= maxFailures) {
    reasons.push(`"${method}" has already failed ${timesText(failed.length)} on this matter (${failed.map((a) => a.outcome).join(', ')}).`);
  }
  if (failed.some((a) => a.outcome === 'worsened')) reasons.push(`"${method}" made things worse on this matter before.`);
  if (projectedLevel > current.level) {
    reasons.push(`It would raise the customer's burden from level ${current.level} to level ${projectedLevel} (score ${current.score} to ${projectedScore}).`);
  }
  if (effortHours >= maxEffortHours && effortMinutes > 0) {
    reasons.push(`The customer has already spent ${effortHours} hours on this matter, and this step asks for ${Math.round((effortMinutes / 60) * 10) / 10} more.`);
  }
  if (repeat) suggestions.push(`Change the remedy instead of repeating "${method}" (replace rather than repair, or send someone who can decide).`);
  if (projectedLevel > current.level || (effortHours >= maxEffortHours && effortMinutes > 0)) {
    suggestions.push('Choose a step that asks less of the customer (less effort, less time without it), or take the effort on yourselves.');
  }
  if (reasons.length > 0 || current.level > 0) suggestions.push('Ask the customer whether this next step is acceptable before scheduling it.');
  if (current.level >= 2) suggestions.push('Escalate to someone with the authority to change the remedy or compensate the customer.');

  return {
    reasonable: reasons.length === 0,
    reasons,
    suggestions,
    score: current.score,
    level: current.level,
    projectedScore,
    projectedLevel,
    methodFailures: failed.length,
    effortHours,
  };
}

type NumericField = 'expectedEffortMinutes' | 'expectedDowntimeHours' | 'maxMethodFailures' | 'maxEffortHours';

/** A numeric field of the proposal, or its default; an error names the field, the rule and the value. */
function checked(proposal: NextStepProposal, field: NumericField, fallback: number, rule: 'zero or more' | 'a whole number, 1 or more'): number {
  const value = proposal[field] ?? fallback;
  const ok = rule === 'zero or more' ? Number.isFinite(value) && value >= 0 : Number.isInteger(value) && value >= 1;
  if (!ok) {
    throw new UsageError(`assessNextStep: "${field}" of customer ${quoteId(proposal.customerId)} must be ${rule}; got ${String(value)}`, {
      path: field,
      rule: numberRule(value, rule === 'a whole number, 1 or more'),
      ...about(proposal),
    });
  }
  return value;
}

/** The rule a refused number broke, as a schema names it: no number (or NaN, a fraction for a whole one) `invalid-type`, infinity `too-big`, else `too-small`. */
function numberRule(value: unknown, whole: boolean): 'invalid-type' | 'too-small' | 'too-big' {
  if (typeof value !== 'number' || Number.isNaN(value)) return 'invalid-type';
  if (value === Number.POSITIVE_INFINITY) return 'too-big';
  return whole && Number.isFinite(value) && !Number.isInteger(value) ? 'invalid-type' : 'too-small';
}
