import { placeEventMarks } from './event-stack.js';
import type { Journey, PromiseMark, ReportEvent } from './journey.js';
import type { TimeScale } from './time-axis.js';

/** Geometry of one customer's timeline: lanes top to bottom, promises packed into rows. */

export const WIDTH = 1000;
export const PLOT_X0 = 170;
export const PLOT_X1 = 985;
export const AXIS_HEIGHT = 30;
const LANE_BASE = 48;
const PROMISE_ROW = 12;
/** From a lane's top (before it grows above) to its line. */
const LINE = 20;
/** A further row of the "Other findings" lane, for a finding at the same instant as another (finding-marks.ts). */
export const OTHER_ROW = 14;

export type LaneKind = 'relationship' | 'matter' | 'surveys' | 'burden' | 'other';

export interface Lane {
  readonly kind: LaneKind;
  readonly key: string;
  readonly label: string;
  readonly sublabel: string;
  readonly y: number;
  readonly height: number;
  /** y of the lane's base line (contacts above and below it, fixes on it). */
  readonly line: number;
}

export interface Layout {
  readonly lanes: Lane[];
  readonly height: number;
  laneOf(matterId: string | null): Lane;
  lane(kind: LaneKind): Lane | undefined;
  /** y of a promise's bar. */
  promiseY(promise: PromiseMark): number;
  /** How far an event's mark is moved down (negative: up) from where its kind goes, clear of the marks before it (event-stack.ts). */
  offsetOf(event: ReportEvent): number;
}

/** `otherRows`: the rows the "Other findings" lane needs (0: no such lane). */
export function layout(journey: Journey, scale: TimeScale, otherRows: number): Layout {
  const byLane = new Map<string, PromiseMark[]>();
  const matterIds = new Set(journey.matters.map((m) => m.matterId));
  const laneKey = (matterId: string | null) => (matterId !== null && matterIds.has(matterId) ? `matter:${matterId}` : 'relationship');
  for (const promise of journey.promises) {
    const key = laneKey(promise.matterId);
    byLane.set(key, [...(byLane.get(key) ?? []), promise]);
  }
  const rows = new Map<PromiseMark, number>();
  const rowCount = new Map<string, number>();
  for (const [key, promises] of byLane) rowCount.set(key, pack(promises, scale, rows));

  const events = placeEventMarks(journey, scale, laneKey);

  const lanes: Lane[] = [];
  const below = new Map<string, number>();
  let y = AXIS_HEIGHT;
  const add = (kind: LaneKind, key: string, label: string, sublabel: string, extraRows: number, base = LANE_BASE) => {
    // A lane grows above its line and below its marks for the event marks moved there, out of each other's way.
    const grown = events.growth.get(key) ?? { above: 0, below: 0 };
    const height = base + grown.above + grown.below + (extraRows > 0 ? extraRows * PROMISE_ROW + 6 : 0);
    lanes.push({ kind, key, label, sublabel, y, height, line: y + LINE + grown.above });
    below.set(key, grown.below);
    y += height;
  };
  add('relationship', 'relationship', 'Relationship', 'no matter', rowCount.get('relationship') ?? 0);
  for (const matter of journey.matters) {
    add('matter', `matter:${matter.matterId}`, matter.title ?? matter.matterId, `${matter.matterId} · ${matter.severity}`, rowCount.get(`matter:${matter.matterId}`) ?? 0);
  }
  add('surveys', 'surveys', 'Surveys', 'sent · proper window', 0, 40);
  add('burden', 'burden', 'Burden', 'escalation level', 0, 56);
  if (otherRows > 0) add('other', 'other', 'Other findings', 'plugins', 0, 34 + (otherRows - 1) * OTHER_ROW);

  const byKey = new Map(lanes.map((lane) => [lane.key, lane]));
  const relationship = lanes[0] as Lane;
  return {
    lanes,
    height: y + 6,
    laneOf: (matterId) => byKey.get(laneKey(matterId)) ?? relationship,
    lane: (kind) => lanes.find((lane) => lane.kind === kind),
    promiseY(promise) {
      const lane = byKey.get(laneKey(promise.matterId)) ?? relationship;
      return lane.line - LINE + LANE_BASE + 2 + (below.get(lane.key) ?? 0) + (rows.get(promise) ?? 0) * PROMISE_ROW;
    },
    offsetOf: (event) => events.offsets.get(event) ?? 0,
  };
}

/** Greedy interval packing: each promise takes the first row free at its start. Returns the row count. */
function pack(promises: readonly PromiseMark[], scale: TimeScale, rows: Map<PromiseMark, number>): number {
  const ends: number[] = [];
  for (const promise of [...promises].sort((a, b) => a.madeAt - b.madeAt)) {
    const from = scale.x(promise.madeAt);
    const to = scale.x(Math.max(promise.dueBy, promise.settledAt ?? promise.dueBy)) + 6;
    let row = ends.findIndex((end) => end < from);
    if (row < 0) row = ends.push(to) - 1;
    else ends[row] = to;
    rows.set(promise, row);
  }
  return ends.length;
}
