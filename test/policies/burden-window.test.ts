import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { live, scoreOf } from '../../src/policies/burden/score.js';
import { drivers, initialBurdenState, type Contribution } from '../../src/policies/burden/state.js';
import { enter, expire, inWindow, quickLevel } from '../../src/policies/burden/window.js';

const levels = [10, 25, 50];
const contribution = (time: number, expiresAt: number, points: number, driver: Contribution['driver'] = 'customer-effort'): Contribution => ({
  time,
  expiresAt,
  matterId: 'm',
  driver,
  amount: 1,
  points,
  eventId: `e${time}-${driver}`,
});

describe('burden window (running sums as the window slides)', () => {
  it('keeps the same live contributions and level as re-scoring the whole window, whatever arrives and expires', () => {
    const step = fc.record({
      advance: fc.integer({ min: 0, max: 50 }),
      // Mostly at the current instant; now and then backdated (a promise broken at its past due time).
      back: fc.integer({ min: 0, max: 120 }),
      life: fc.integer({ min: 1, max: 200 }),
      points: fc.integer({ min: 1, max: 400 }).map((n) => n / 60),
      driver: fc.constantFrom(...drivers),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 300 }), (steps) => {
        const state = initialBurdenState();
        const all: Contribution[] = [];
        let now = 0;
        for (const s of steps) {
          now += s.advance;
          const time = s.back > 100 ? now - s.back : now;
          const c = contribution(time, time + s.life, s.points, s.driver);
          all.push(c);
          enter(state, c);
          expire(state, now);
          const expected = live(all, now);
          expect(new Set(inWindow(state))).toEqual(new Set(expected));
          const quick = quickLevel(state, levels);
          if (quick !== undefined) expect(quick).toBe(scoreOf(expected, levels).level);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('declines to decide when a driver sits on a rounding edge, so the exact score decides', () => {
    const state = initialBurdenState();
    enter(state, contribution(0, 100, 9.95));
    expect(quickLevel(state, levels)).toBeUndefined();
    expect(scoreOf(inWindow(state), levels).level).toBe(1);
  });

  it('drops expired contributions from the state in batches and resets an emptied driver to exactly zero', () => {
    const state = initialBurdenState();
    for (let t = 0; t < 100; t++) enter(state, contribution(t, t + 10, 0.1));
    expire(state, 95);
    expect(state.contributions).toHaveLength(14);
    expect(inWindow(state).map((c) => c.time)).toEqual(Array.from({ length: 14 }, (_, i) => 86 + i));
    expire(state, 1000);
    expect(inWindow(state)).toEqual([]);
    expect(state.livePoints.every((p) => p === 0)).toBe(true);
    expect(quickLevel(state, levels)).toBe(0);
  });
});
