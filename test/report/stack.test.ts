import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { around, rowsOf, stack, type Box } from '../../src/report/stack.js';

/**
 * Stacking marks clear of each other compared each mark with every mark placed before it (and
 * tried an offset per placed mark, each checked against all of them again), so a customer with many
 * findings took quadratic time or worse. The rule is unchanged: each mark the least move up or down
 * (up first at equal distance) that clears it of those placed before it; only the marks it could
 * meet, those over the same stretch of time, are looked at.
 */

/** The rule as it was written: every candidate offset checked against every placed box. */
function stackByRule(boxes: readonly Box[], ways: readonly ('either' | 'up' | 'down')[] = []): number[] {
  const overlap = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  const placed: Box[] = [];
  return boxes.map((box, i) => {
    const way = ways[i] ?? 'either';
    const clear = (dy: number) => !placed.some((p) => overlap({ ...box, y1: box.y1 + dy, y2: box.y2 + dy }, p));
    const candidates = [0, ...placed.flatMap((p) => [p.y1 - box.y2, p.y2 - box.y1])]
      .filter((dy) => (way === 'up' ? dy <= 0 : way === 'down' ? dy >= 0 : true))
      .sort((a, b) => Math.abs(a) - Math.abs(b) || a - b);
    const dy = candidates.find(clear) ?? Number.NaN;
    placed.push({ ...box, y1: box.y1 + dy, y2: box.y2 + dy });
    return dy;
  });
}

/** The rule as it was written: the first row where the mark is `width` or more from every mark already there. */
function rowsByRule(xs: readonly number[], width: number): number[] {
  const rows: number[][] = [];
  return xs.map((x) => {
    let row = rows.findIndex((taken) => taken.every((other) => Math.abs(other - x) >= width));
    if (row < 0) row = rows.push([]) - 1;
    rows[row]?.push(x);
    return row;
  });
}

// Coordinates in quarter pixels, as the timeline's are (lanes, radii and edges are multiples of ¼),
// crowded into a small area so that marks meet, stack, and stack on stacked ones.
const quarter = (min: number, max: number) => fc.integer({ min: min * 4, max: max * 4 }).map((n) => n / 4);
const box = fc.tuple(quarter(0, 60), quarter(0.25, 12), quarter(0, 40), quarter(0.25, 10)).map(([x, w, y, h]): Box => ({ x1: x, x2: x + w, y1: y, y2: y + h }));
const way = fc.constantFrom('either' as const, 'up' as const, 'down' as const);
const overlapping = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

describe('stack', () => {
  it('moves a mark the least that clears it of those placed before it, up first at equal distance', () => {
    const line = around(100, 50, 20, 1);
    const cross = around(80, 50, 5);
    // The line stays; the cross, level with it, goes up just clear of it (6.75 + 2.75 above its middle).
    expect(stack([line, cross])).toEqual([0, -9.5]);
    // A second cross at the same place: up above the first, or down below the line, whichever is nearer.
    expect(stack([line, cross, cross])).toEqual([0, -9.5, 9.5]);
    // Marks apart in time never move each other, whatever their height.
    expect(stack([around(10, 50, 4), around(30, 50, 4), around(50, 50, 4)])).toEqual([0, 0, 0]);
  });

  it('moves a mark only the way it is told, when told', () => {
    const dot = around(10, 0, 4);
    expect(stack([dot, dot, dot], ['either', 'up', 'up'])).toEqual([0, -11.5, -23]);
    expect(stack([dot, dot, dot], ['either', 'down', 'down'])).toEqual([0, 11.5, 23]);
  });

  it('places every mark exactly as checking it against all those before it does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(box, way), { maxLength: 30 }), (marks) => {
        const boxes = marks.map(([b]) => b);
        const ways = marks.map(([, w]) => w);
        expect(stack(boxes, ways)).toEqual(stackByRule(boxes, ways));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves no two marks over each other', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(box, way), { maxLength: 30 }), (marks) => {
        const offsets = stack(
          marks.map(([b]) => b),
          marks.map(([, w]) => w),
        );
        const placed = marks.map(([b], i) => ({ ...b, y1: b.y1 + (offsets[i] ?? 0), y2: b.y2 + (offsets[i] ?? 0) }));
        for (const [i, a] of placed.entries()) for (const b of placed.slice(i + 1)) expect(overlapping(a, b)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  // How fast is the benchmark's business, not a timed test's: this one checks the sweep's answer
  // on a long timeline (the cubic search it replaced took minutes here, beyond the test timeout).
  it('stacks a hundred thousand marks along a timeline: one of each pair moves, two rows', () => {
    const n = 100_000;
    // Two marks at each instant, so half of them move: the instants 16 px apart, a mark 11.5 wide.
    const boxes = Array.from({ length: n }, (_, i) => around(Math.floor(i / 2) * 16, 40, 4));
    const offsets = stack(boxes);
    const rows = rowsOf(
      boxes.map((b) => (b.x1 + b.x2) / 2),
      13.5,
    );
    expect(offsets.filter((dy) => dy !== 0)).toHaveLength(n / 2);
    expect(rows.reduce((a, b) => Math.max(a, b), 0)).toBe(1);
  });
});

describe('rowsOf', () => {
  it('gives each mark the first row where it is far enough from every mark already there', () => {
    expect(rowsOf([0, 0, 0, 5, 20, 20], 10)).toEqual([0, 1, 2, 3, 0, 1]);
  });

  it('gives the rows that checking every mark already there gives, for marks in time order', () => {
    fc.assert(
      fc.property(fc.array(quarter(0, 80), { maxLength: 40 }), quarter(0.25, 20), (unsorted, width) => {
        const xs = [...unsorted].sort((a, b) => a - b);
        expect(rowsOf(xs, width)).toEqual(rowsByRule(xs, width));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives each mark the same row whatever order the marks come in', () => {
    // Taken in the order given, 20 would have had the first row and 12 the second.
    expect(rowsOf([0, 20, 12], 10)).toEqual([0, 1, 0]);
    fc.assert(
      fc.property(fc.array(quarter(0, 80), { maxLength: 40 }), quarter(0.25, 20), (xs, width) => {
        const rows = rowsOf(xs, width);
        const order = xs.map((_, i) => i).sort((a, b) => (xs[a] ?? 0) - (xs[b] ?? 0) || a - b);
        const sorted = rowsOf(
          order.map((i) => xs[i] ?? 0),
          width,
        );
        expect(order.map((i) => rows[i])).toEqual(sorted);
      }),
      { numRuns: 1000 },
    );
  });
});
