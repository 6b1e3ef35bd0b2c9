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

describe('burden scoreOf (canonical order)', () => {
  it('scores the same, to the last bit, however contributions tied at one instant are ordered', () => {
    const item = fc.record({
      time: fc.integer({ min: 0, max: 6 }),
      event: fc.constantFrom('a', 'b', 'c'),
      driver: fc.constantFrom(...drivers),
      points: fc.double({ min: 0.01, max: 50, noNaN: true }),
      amount: fc.double({ min: 0.01, max: 9, noNaN: true }),
      matterId: fc.constantFrom('m1', 'm2', null),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 40 }), fc.integer(), (items, seed) => {
        const all = items.map((i): Contribution => ({ time: i.time, expiresAt: i.time + 100, matterId: i.matterId, driver: i.driver, amount: i.amount, points: i.points, eventId: `${i.event}${i.time}` }));
        // The window's order: by time, ties in any order (here: shuffled by the seed).
        const shuffled = all
          .map((c, k) => ({ c, r: Math.sin(seed + k * 7.1) }))
          .sort((x, y) => x.c.time - y.c.time || x.r - y.r)
          .map((x) => x.c);
        const reference = [...all].sort((a, b) => a.time - b.time || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0) || drivers.indexOf(a.driver) - drivers.indexOf(b.driver));
        expect(scoreOf(shuffled, levels)).toEqual(scoreOf(reference, levels));
        // and out of time order altogether
        expect(scoreOf([...shuffled].reverse(), levels)).toEqual(scoreOf(reference, levels));
      }),
      { numRuns: 300 },
    );
  });
});
