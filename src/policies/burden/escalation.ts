import type { FindingSeverity } from '../../engine/finding.js';
import { toIso } from '../../time/instant.js';
import type { CoreFindingInput } from '../core-findings.js';
import type { PolicyContext } from '../define-policy.js';
import { readable, writable } from '../owned.js';
import { optionText } from '../wording.js';
import type { BurdenOptions } from './options.js';
import { scoreOf, type BurdenScore, type DriverTotal } from './score.js';
import type { BurdenState, Contribution } from './state.js';
import { expire, inWindow, levelBefore, quickLevel } from './window.js';

type Ctx = PolicyContext<BurdenOptions>;

/**
 * Re-score the relationship at `ctx.now` (the end of an instant: every event at it is counted)
 * and raise `burden.escalated` once for each level the
 * score has newly reached. A level's finding describes the crossing (score and drivers at that
 * moment); the current score is in the summary. If the window later lets the score fall below a
 * level, that episode ends, and crossing it again is a new finding.
 */
export function escalate(state: BurdenState, ctx: Ctx): void {
  // Nothing entered or left the window since the last judgement: the same level, nothing to do.
  if (!state.changed && ctx.now < state.nextExpiry) return;
  endLapsedEpisodes(state, ctx);
  // Forget what left the window, so the state stays as small as the window.
  expire(state, ctx.now);
  state.changed = false;
  const next = readable(state, 'contributions')[state.expired];
  state.nextExpiry = next === undefined ? Number.POSITIVE_INFINITY : next.expiresAt;
  const { levels } = ctx.options;
  // Scored in full only when a finding is written (or the running sums cannot decide the level).
  let scored: { result: BurdenScore; contributions: Contribution[] } | undefined;
  const full = () => {
    if (scored === undefined) {
      const contributions = inWindow(state);
      scored = { result: scoreOf(contributions, levels), contributions };
    }
    return scored;
  };
  const reached = quickLevel(state, levels) ?? full().result.level;
  levels.forEach((threshold, i) => {
    const level = i + 1;
    const key = String(level);
    const open = readable(state, 'episodes')[key] !== undefined;
    if (reached < level) {
      if (open) delete writable(state, 'episodes')[key];
      return;
    }
    if (open) return;
    writable(state, 'episodes')[key] = ctx.now;
    const { result, contributions } = full();
    ctx.report({
      kind: 'burden.escalated',
      subject: `level-${level}`,
      start: ctx.now,
      matterId: crossingMatter(contributions, ctx.now),
      detectedAt: ctx.now,
      severity: severityOf(level),
      message: `The customer's burden reached level ${level} (score ${result.score}, threshold ${threshold}) over the last ${optionText(ctx.options.window, 'calendar')}: ${describeDrivers(result.drivers)}.`,
      evidence: result.evidence,
      details: {
        level,
        threshold,
        score: result.score,
        drivers: result.drivers,
        matters: result.matters,
        window: ctx.options.window.text,
        since: toIso(ctx.now),
      },
    } satisfies CoreFindingInput<'burden.escalated'>);
  });
}

/**
 * An open episode ends when the window lets the score fall below its level, which can happen with
 * no event at all; one event that reaches the level again later is then a new finding. Found at
 * the next judgement rather than by waking at every expiry (a wake-up per contribution while an
 * episode lasts cost a sixth of a replay): between two judgements contributions only leave, and
 * the score never falls when one enters, so its lowest point is just after the last of them left,
 * before anything entered at this instant. Contributions leaving at this very instant count with
 * it, as a wake-up then would have judged the instant as a whole.
 */
function endLapsedEpisodes(state: BurdenState, ctx: Ctx): void {
  const list = readable(state, 'contributions');
  const head = list[state.expired];
  if (head === undefined || head.expiresAt >= ctx.now) return;
  const episodes = readable(state, 'episodes');
  const open = Object.keys(episodes);
  if (open.length === 0) return;
  expire(state, ctx.now - 1);
  const level = levelBefore(state, ctx.now, ctx.options.levels);
  for (const key of open) if (Number(key) > level) delete writable(state, 'episodes')[key];
}

/** The matter that added most at this instant (ties: smallest id), or null when none did. */
function crossingMatter(contributions: readonly Contribution[], now: number): string | null {
  const byMatter = new Map<string, number>();
  for (const c of contributions) if (c.time === now && c.matterId !== null) byMatter.set(c.matterId, (byMatter.get(c.matterId) ?? 0) + c.points);
  let best: string | null = null;
  let bestPoints = 0;
  for (const [matterId, points] of byMatter) {
    if (points > bestPoints || (points === bestPoints && best !== null && matterId < best)) {
      best = matterId;
      bestPoints = points;
    }
  }
  return best;
}

export function severityOf(level: number): FindingSeverity {
  return level <= 1 ? 'warning' : level === 2 ? 'breach' : 'critical';
}

/** "failed-attempt: 2 attempts (8 points), transfer: 3 transfers (6 points)..." — the three largest. */
function describeDrivers(drivers: readonly DriverTotal[]): string {
  const top = drivers.slice(0, 3).map((d) => `${d.driver}: ${formatAmount(d.amount)} ${d.amount === 1 ? singular(d.unit) : d.unit} (${d.points === 1 ? '1 point' : `${d.points} points`})`);
  const rest = drivers.length - top.length;
  return rest > 0 ? `${top.join(', ')} and ${rest} more` : top.join(', ');
}

function singular(unit: string): string {
  return unit.endsWith('ches') ? unit.slice(0, -2) : unit.replace(/s$/, '');
}

function formatAmount(amount: number): string {
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(1);
}
