/**
 * Keeping finding marks clear of each other. Two findings at the same instant on the same row (a
 * promise's cross where it was missed and the dashed line of its being kept late; a plugin's
 * findings at one instant) were drawn one over the other, one hidden. A mark is moved up or down,
 * never sideways (its x is its time), the least that clears the marks placed before it.
 */

export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/**
 * Added around a shape's geometry on each side: half the 3 px stroke of a hovered mark, and a
 * quarter pixel for the coordinates' rounding, so two marks kept apart never touch, even hovered.
 */
const EDGE = 1.75;

/** The box of a shape centred on (x, y), `r` from its centre to its edge, with its edge added. */
export function around(x: number, y: number, rx: number, ry = rx): Box {
  return { x1: x - rx - EDGE, y1: y - ry - EDGE, x2: x + rx + EDGE, y2: y + ry + EDGE };
}

const overlap = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
const shifted = (box: Box, dy: number): Box => ({ ...box, y1: box.y1 + dy, y2: box.y2 + dy });

/**
 * The vertical offset that clears `box` of every box in `placed` (0 when it is clear already): the
 * smallest move, up before down at equal distance. The boxes it is moved against are the candidates:
 * just above or just below one of them.
 */
export function clearOf(placed: readonly Box[], box: Box): number {
  const clear = (dy: number) => !placed.some((p) => overlap(shifted(box, dy), p));
  if (clear(0)) return 0;
  const candidates = placed.flatMap((p) => [p.y1 - box.y2, p.y2 - box.y1]).sort((a, b) => Math.abs(a) - Math.abs(b) || a - b);
  return candidates.find(clear) ?? 0;
}

/**
 * Rows for marks on one line that may not leave their lane (the "Other findings" lane grows a row
 * for each): each takes the first row where it is `width` or more from every mark already there.
 * Returns each mark's row, in the order given.
 */
export function rowsOf(xs: readonly number[], width: number): number[] {
  const rows: number[][] = [];
  return xs.map((x) => {
    let row = rows.findIndex((taken) => taken.every((other) => Math.abs(other - x) >= width));
    if (row < 0) row = rows.push([]) - 1;
    rows[row]?.push(x);
    return row;
  });
}
