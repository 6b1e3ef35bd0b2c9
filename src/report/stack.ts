import { MinHeap } from '../engine/min-heap.js';

/**
 * Keeping marks clear of each other. Two findings at the same instant on the same row (a
 * promise's cross where it was missed and the dashed line of its being kept late; a plugin's
 * findings at one instant) were drawn one over the other, one hidden. A mark is moved up or down,
 * never sideways (its x is its time), the least that clears the marks placed before it.
 *
 * Only marks over the same stretch of time can meet, so each mark is compared with those alone
 * (found by a sweep along x), not with every mark of the customer: a long timeline costs
 * O(n log n), plus the pairs of marks that do share a stretch of time.
 */

export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** Which way a mark may move: either (the nearer, up first at equal distance), or only up, or only down. */
export type Way = 'either' | 'up' | 'down';

/**
 * Added around a shape's geometry on each side: half the 3 px stroke of a hovered mark, and a
 * quarter pixel for the coordinates' rounding, so two marks kept apart never touch, even hovered.
 */
const EDGE = 1.75;

/** The box of a shape centred on (x, y), `r` from its centre to its edge, with its edge added. */
export function around(x: number, y: number, rx: number, ry = rx, edge = EDGE): Box {
  return { x1: x - rx - edge, y1: y - ry - edge, x2: x + rx + edge, y2: y + ry + edge };
}

/**
 * The vertical offset of each box, placed in the order given: 0 when it is clear of the boxes
 * placed before it, else the smallest move that clears it of all of them (`ways[i]`: which way
 * box i may move; either, unless told). Boxes touching edge to edge are clear of each other.
 */
export function stack(boxes: readonly Box[], ways: readonly Way[] = []): number[] {
  const earlier = earlierNeighbours(boxes);
  const placed: Box[] = [];
  return boxes.map((box, i) => {
    // The offsets at which box i would overlap an earlier box: an open interval for each.
    const blocked = (earlier[i] ?? []).map((j) => {
      const p = placed[j] as Box;
      return { lo: p.y1 - box.y2, hi: p.y2 - box.y1 };
    });
    const dy = nearestClear(blocked, ways[i] ?? 'either');
    placed.push({ ...box, y1: box.y1 + dy, y2: box.y2 + dy });
    return dy;
  });
}

/**
 * For each box, the earlier boxes (in the order given) whose x spans overlap its own: a sweep
 * along x keeping the boxes still open at the sweep's position. Only these can be in its way.
 */
function earlierNeighbours(boxes: readonly Box[]): number[][] {
  const earlier: number[][] = boxes.map(() => []);
  const byStart = boxes
    .map((_, i) => i)
    .filter((i) => !Number.isNaN((boxes[i] as Box).x1 + (boxes[i] as Box).x2 + (boxes[i] as Box).y1 + (boxes[i] as Box).y2))
    .sort((a, b) => (boxes[a] as Box).x1 - (boxes[b] as Box).x1 || a - b);
  let open: number[] = [];
  for (const i of byStart) {
    const box = boxes[i] as Box;
    // Those ending at or before this one's start are behind the sweep, for it and every box after it.
    open = open.filter((j) => (boxes[j] as Box).x2 > box.x1);
    for (const j of open) {
      if ((boxes[j] as Box).x1 < box.x2) (j < i ? earlier[i] : earlier[j])?.push(j < i ? j : i);
    }
    open.push(i);
  }
  return earlier;
}

/**
 * The offset nearest 0 outside every open interval (0 itself when it is outside them all): an end
 * of the run of overlapping intervals that holds 0, the lower one (negative: up) at equal distance.
 */
function nearestClear(blocked: { lo: number; hi: number }[], way: Way): number {
  blocked.sort((a, b) => a.lo - b.lo);
  // The run so far: intervals each starting before the one before them ends (touching ends leave a clear point).
  let lo = 0;
  let hi = -Infinity;
  for (const interval of blocked) {
    if (interval.lo < hi) {
      if (interval.hi > hi) hi = interval.hi;
    } else if (hi > 0 || interval.lo >= 0) {
      break; // the run holding 0 has ended, or 0 lies before this interval, in none
    } else {
      lo = interval.lo;
      hi = interval.hi;
    }
  }
  if (hi <= 0) return 0;
  if (way === 'up') return lo;
  if (way === 'down') return hi;
  return -lo <= hi ? lo : hi;
}

/**
 * Rows for marks on one line that may not leave their lane (the "Other findings" lane grows a row
 * for each): each takes the first row where it is `width` or more from every mark already there,
 * the marks taken in time order (by x; the order given among equal x). Returns each mark's row, in
 * the order given. Taken in time order, a row is free when its last mark is `width` or more
 * behind: the rows are kept by their last mark's x, and those free by number.
 */
export function rowsOf(xs: readonly number[], width: number): number[] {
  const rows: number[] = xs.map(() => 0);
  const order = xs.map((_, i) => i).sort((a, b) => (xs[a] as number) - (xs[b] as number) || a - b);
  const busy = new MinHeap<{ row: number; end: number }>((a, b) => a.end < b.end || (a.end === b.end && a.row < b.row));
  const free = new MinHeap<number>((a, b) => a < b);
  let count = 0;
  for (const i of order) {
    const x = xs[i] as number;
    for (let top = busy.peek(); top !== undefined && x - top.end >= width; top = busy.peek()) free.push((busy.pop() as { row: number }).row);
    const row = free.pop() ?? count++;
    busy.push({ row, end: x });
    rows[i] = row;
  }
  return rows;
}
