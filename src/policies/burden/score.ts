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
  // Per driver, indexed by rank (the order of `drivers`): cheaper than a map of records, and the
  // sums are the same, added in the same order from 0.
  const counts = new Array<number>(drivers.length).fill(0);
  const amounts = new Array<number>(drivers.length).fill(0);
  const points = new Array<number>(drivers.length).fill(0);
  const byMatter = new Map<string | null, number>();
  const evidence: string[] = [];
  const seen = new Set<string>();
  for (const c of canonical(contributions)) {
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
    const t = Math.round((points[i] as number) * 10);
    if (t === 0) continue;
    tenths += t;
    const driver = drivers[i] as Driver;
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

/**
 * The contributions in a canonical order (time, event id, driver), so the sums and evidence are
 * the same however events tied at one instant were appended. They usually come in that order
 * already (the window keeps them in expiry order): then they are used as they are, not copied.
 */
function canonical(contributions: readonly Contribution[]): readonly Contribution[] {
  for (let i = 1; i < contributions.length; i++) {
    if (byCanonicalOrder(contributions[i - 1] as Contribution, contributions[i] as Contribution) > 0) return [...contributions].sort(byCanonicalOrder);
  }
  return contributions;
}

function byCanonicalOrder(a: Contribution, b: Contribution): number {
  return a.time - b.time || compareStrings(a.eventId, b.eventId) || rank(a.driver) - rank(b.driver);
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
