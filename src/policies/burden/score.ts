import { compareStrings } from '../../engine/finding.js';
import { drivers, driverUnits, type Contribution, type Driver } from './state.js';

/** One line of `burden.escalated` details: a driver's amount and the points it adds. */
export interface DriverTotal {
  readonly driver: Driver;
  readonly amount: number;
  readonly unit: string;
  readonly points: number;
}

export interface BurdenScore {
  /** Sum of the drivers' points (each rounded to 0.1, so the drivers add up to it exactly). */
  readonly score: number;
  /** Number of levels reached (0 = below the first). */
  readonly level: number;
  readonly drivers: readonly DriverTotal[];
  /** Score per matter (`null`: contributions not tied to a matter), highest first. */
  readonly matters: readonly { readonly matterId: string | null; readonly score: number }[];
  /** Ids of the events behind the score, in time order, without duplicates. */
  readonly evidence: readonly string[];
}

/** Contributions still inside the window at `now`. */
export function live(contributions: readonly Contribution[], now: number): Contribution[] {
  return contributions.filter((c) => c.expiresAt > now);
}

/** Score contributions (already restricted to the window) against the escalation levels. */
export function scoreOf(contributions: readonly Contribution[], levels: readonly number[]): BurdenScore {
  // Per driver, by its place in `drivers`: how many contributed, and their amount and points.
  const counts = new Array<number>(drivers.length).fill(0);
  const amounts = new Array<number>(drivers.length).fill(0);
  const points = new Array<number>(drivers.length).fill(0);
  const byMatter = new Map<string | null, number>();
  const evidence: string[] = [];
  const seen = new Set<string>();
  // A canonical order (time, event id, driver): the same sums and evidence however events tied
  // at one instant were appended.
  const ordered = canonicalOrder(contributions);
  for (const c of ordered) {
    const i = rank(c.driver);
    counts[i] = (counts[i] as number) + 1;
    amounts[i] = (amounts[i] as number) + c.amount;
    points[i] = (points[i] as number) + c.points;
    byMatter.set(c.matterId, (byMatter.get(c.matterId) ?? 0) + c.points);
    if (!seen.has(c.eventId)) {
      seen.add(c.eventId);
      evidence.push(c.eventId);
    }
  }
  // Work in tenths of a point so the drivers add up to the score exactly, free of float noise.
  let tenths = 0;
  const totals: DriverTotal[] = [];
  for (let i = 0; i < drivers.length; i++) {
    if (counts[i] === 0) continue;
    const driver = drivers[i] as Driver;
    const t = Math.round((points[i] as number) * 10);
    if (t === 0) continue;
    tenths += t;
    totals.push({ driver, amount: round2(amounts[i] as number), unit: driverUnits[driver], points: t / 10 });
  }
  totals.sort((a, b) => b.points - a.points || rank(a.driver) - rank(b.driver));
  const score = tenths / 10;
  const matters = [...byMatter]
    .map(([matterId, points]) => ({ matterId, score: Math.round(points * 10) / 10 }))
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score || compareStrings(a.matterId ?? '', b.matterId ?? ''));
  return { score, level: levelOf(score, levels), drivers: totals, matters, evidence };
}

function canonically(a: Contribution, b: Contribution): number {
  return a.time - b.time || compareStrings(a.eventId, b.eventId) || rank(a.driver) - rank(b.driver);
}

/**
 * The contributions in canonical order. The window holds them in time order already, so only
 * the runs tied at one instant (the contributions of one event, several events at one time) are
 * sorted; the list is copied only if one of them is out of order.
 */
function canonicalOrder(contributions: readonly Contribution[]): readonly Contribution[] {
  let out: Contribution[] | undefined;
  let start = 0;
  for (let i = 1; i <= contributions.length; i++) {
    if (i < contributions.length) {
      const previous = (contributions[i - 1] as Contribution).time;
      const time = (contributions[i] as Contribution).time;
      if (time < previous) return [...contributions].sort(canonically);
      if (time === previous) continue;
    }
    if (i - start > 1 && !sortedBetween(contributions, start, i)) {
      out ??= contributions.slice();
      const run = out.slice(start, i).sort(canonically);
      for (let k = 0; k < run.length; k++) out[start + k] = run[k] as Contribution;
    }
    start = i;
  }
  return out ?? contributions;
}

function sortedBetween(contributions: readonly Contribution[], from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) {
    if (canonically(contributions[i - 1] as Contribution, contributions[i] as Contribution) > 0) return false;
  }
  return true;
}

const ranks = new Map<Driver, number>(drivers.map((driver, i) => [driver, i]));

/** A driver's place in `drivers`. */
function rank(driver: Driver): number {
  return ranks.get(driver) as number;
}

export function levelOf(score: number, levels: readonly number[]): number {
  let level = 0;
  for (const threshold of levels) if (score >= threshold) level++;
  return level;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
