import { readable, replace, writable } from '../owned.js';
import { levelOf, scoreOf } from './score.js';
import { drivers, type BurdenState, type Contribution, type Driver } from './state.js';

/**
 * The rolling window as it slides: contributions kept in the order they expire, with per-driver
 * counts and point sums updated as they enter and leave. That lets escalation read the level from
 * thirteen sums instead of re-scoring the whole window at every instant; the exact, canonical
 * scoring (`scoreOf`) runs only when a finding is written or the sums are too close to a rounding
 * edge to decide.
 */
type State = BurdenState;

const driverIndex = new Map<Driver, number>(drivers.map((driver, i) => [driver, i]));

/** Below this many expired entries the array is not compacted (compaction copies the live part). */
const COMPACT_MIN = 32;
/**
 * The running sums are floats added in arrival order, the canonical score in (time, event id)
 * order: they may differ in the last bits. A driver whose sum in tenths is this close to a
 * rounding edge (x.5) is scored exactly instead.
 */
const EDGE = 1e-4;

/** Add a contribution at its place in expiry order (nearly always the end). */
export function enter(state: State, contribution: Contribution): void {
  const list = writable(state, 'contributions');
  const expired = state.expired;
  let at = list.length;
  while (at > expired && (list[at - 1] as Contribution).expiresAt > contribution.expiresAt) at--;
  if (at === list.length) list.push(contribution);
  else list.splice(at, 0, contribution);
  const counts = writable(state, 'liveCounts');
  const points = writable(state, 'livePoints');
  const i = driverIndex.get(contribution.driver) as number;
  counts[i] = (counts[i] as number) + 1;
  points[i] = (points[i] as number) + contribution.points;
  if (!state.changed) state.changed = true;
}

/** Take a contribution out of the running sums. */
function leave(counts: number[], points: number[], c: Contribution): void {
  const i = driverIndex.get(c.driver) as number;
  const count = (counts[i] as number) - 1;
  counts[i] = count;
  // An empty driver is exactly zero again, whatever rounding the sum picked up.
  points[i] = count === 0 ? 0 : (points[i] as number) - c.points;
}

/** Let every contribution whose expiry is at or before `now` leave the window. */
export function expire(state: State, now: number): void {
  const list = readable(state, 'contributions');
  let expired = state.expired;
  if (expired >= list.length || (list[expired] as Contribution).expiresAt > now) return;
  const counts = writable(state, 'liveCounts');
  const points = writable(state, 'livePoints');
  while (expired < list.length && (list[expired] as Contribution).expiresAt <= now) {
    leave(counts, points, list[expired] as Contribution);
    expired++;
  }
  if (expired >= COMPACT_MIN && expired * 2 >= list.length) {
    const kept = list.slice(expired);
    replace(state, 'contributions', kept);
    state.expired = 0;
    // Re-add from scratch so subtraction noise never accumulates beyond one compaction period.
    points.fill(0);
    for (const c of kept) {
      const i = driverIndex.get(c.driver) as number;
      points[i] = (points[i] as number) + c.points;
    }
  } else {
    state.expired = expired;
  }
}

/** The contributions inside the window (call `expire` first). */
export function inWindow(state: State): Contribution[] {
  return readable(state, 'contributions').slice(state.expired);
}

/**
 * The level from the running sums, the way `scoreOf` computes it (each driver rounded to tenths,
 * then added), or undefined when a driver sits too close to a rounding edge to be sure.
 */
export function quickLevel(state: State, levels: readonly number[]): number | undefined {
  return levelOfSums(readable(state, 'liveCounts'), readable(state, 'livePoints'), levels);
}

/**
 * The level of the window (call `expire` first) without the contributions that entered at `now`:
 * those sit at its end (they expire last, `now` plus the window), so the running sums are taken
 * back from the end, and only at a rounding edge is the rest scored in full.
 */
export function levelBefore(state: State, now: number, levels: readonly number[]): number {
  const list = readable(state, 'contributions');
  const counts = readable(state, 'liveCounts').slice();
  const points = readable(state, 'livePoints').slice();
  let end = list.length;
  while (end > state.expired && (list[end - 1] as Contribution).time === now) {
    leave(counts, points, list[--end] as Contribution);
  }
  return levelOfSums(counts, points, levels) ?? scoreOf(list.slice(state.expired, end), levels).level;
}

function levelOfSums(counts: readonly number[], points: readonly number[], levels: readonly number[]): number | undefined {
  let tenths = 0;
  for (let i = 0; i < drivers.length; i++) {
    if (counts[i] === 0) continue;
    const x = (points[i] as number) * 10;
    if (Math.abs(x - Math.floor(x) - 0.5) < EDGE) return undefined;
    tenths += Math.round(x);
  }
  return levelOf(tenths / 10, levels);
}
