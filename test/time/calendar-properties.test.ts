// Properties over random instants. The DST-heavy instants matter most, so `instant` mixes uniformly
// random times in 2016–2019 with times within three days of a Denver DST change.
import { TZDate } from '@date-fns/tz';
import { add, format } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Calendar } from '../../src/time/calendar.js';
import { parseDuration } from '../../src/time/duration.js';
import { at, HOUR } from './helpers.js';

const HOLIDAYS = ['2017-01-02', '2017-07-04', '2017-11-23', '2017-11-24', '2017-12-25', '2018-01-01', '2018-03-12', '2018-11-22'];
const calendar = new Calendar({
  timeZone: 'America/Denver',
  businessHours: { mon: ['08:30', '17:30'], sat: ['10:00', '14:00'] },
  holidays: HOLIDAYS,
});

const DST_CHANGES = [at('2017-03-12T02:00-07:00'), at('2017-11-05T02:00-06:00'), at('2018-03-11T02:00-07:00'), at('2018-11-04T02:00-06:00')];
const instant = fc.oneof(
  fc.integer({ min: at('2016-01-01T00:00Z'), max: at('2019-12-31T00:00Z') }),
  fc
    .tuple(fc.constantFrom(...DST_CHANGES), fc.integer({ min: -72 * HOUR, max: 72 * HOUR }))
    .map(([change, offset]) => change + offset),
);

describe('business-time properties (America/Denver with holidays)', () => {
  it('addBusinessMs inverts businessMsBetween, and returns the earliest such instant', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 300 * HOUR }), (a, ms) => {
        const t = calendar.addBusinessMs(a, ms);
        expect(t).toBeGreaterThanOrEqual(a);
        expect(calendar.businessMsBetween(a, t)).toBe(ms);
        if (ms > 0) expect(calendar.businessMsBetween(a, t - 1)).toBe(ms - 1);
      }),
      { numRuns: 500 },
    );
  });

  it('businessMsBetween is additive over adjacent intervals', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 20 * 24 * HOUR }), fc.integer({ min: 0, max: 20 * 24 * HOUR }), (a, x, y) => {
        const b = a + x;
        const c = b + y;
        expect(calendar.businessMsBetween(a, c)).toBe(calendar.businessMsBetween(a, b) + calendar.businessMsBetween(b, c));
      }),
    );
  });

  it('businessMsBetween over long spans (whole cached blocks of days) is the sum of its pieces of a few days', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 800 * 24 * HOUR }),
        fc.integer({ min: HOUR, max: 9 * 24 * HOUR }),
        fc.boolean(),
        (a, span, piece, longFirst) => {
          // A fresh calendar each run: blocks are filled in the order this run needs them.
          const fresh = new Calendar({ timeZone: 'America/Denver', businessHours: { mon: ['08:30', '17:30'], sat: ['10:00', '14:00'] }, holidays: HOLIDAYS });
          const end = a + span;
          const whole = longFirst ? fresh.businessMsBetween(a, end) : undefined;
          let sum = 0;
          for (let from = a; from < end; from += piece) sum += fresh.businessMsBetween(from, Math.min(end, from + piece));
          expect(whole ?? fresh.businessMsBetween(a, end)).toBe(sum);
          expect(calendar.businessMsBetween(a, end)).toBe(sum);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('isBusinessTime holds exactly where one more millisecond adds one business millisecond', () => {
    fc.assert(
      fc.property(instant, (a) => {
        expect(calendar.isBusinessTime(a)).toBe(calendar.businessMsBetween(a, a + 1) === 1);
      }),
      { numRuns: 500 },
    );
  });

  it('business add never ends outside business hours for a non-zero duration, and a later start never ends earlier', () => {
    const durations = ['P1D', 'P2D', 'PT4H', 'P1DT2H', 'P1W', 'P1M'].map((text) => parseDuration(text)!);
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 3 * 24 * HOUR }), fc.constantFrom(...durations), (a, gap, dur) => {
        const end = calendar.add(a, dur, 'business');
        // Business time up to and including `end` (a closing time counts as "in hours").
        expect(calendar.isBusinessTime(end) || calendar.isBusinessTime(end - 1)).toBe(true);
        // Not for months: clamping to a month's end is not monotonic (29 and 30 January + P1M both
        // give 28 February), on either clock.
        if (dur.months === 0) expect(calendar.add(a + gap, dur, 'business')).toBeGreaterThanOrEqual(end);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('calendar-clock properties', () => {
  it('add on the calendar clock agrees with date-fns add on a TZDate (the definition)', () => {
    fc.assert(
      fc.property(
        instant,
        fc.record({ years: fc.nat(3), months: fc.nat(14), weeks: fc.nat(5), days: fc.nat(40), hours: fc.nat(30) }),
        (a, parts) => {
          const text = `P${parts.years}Y${parts.months}M${parts.weeks}W${parts.days}DT${parts.hours}H`;
          const expected = add(new TZDate(a, 'America/Denver'), parts).getTime();
          expect(calendar.add(a, parseDuration(text)!, 'calendar')).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each(['America/Denver', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC'])(
    'localDate agrees with date-fns format in %s',
    (timeZone) => {
      const zoned = new Calendar({ timeZone });
      fc.assert(
        fc.property(fc.integer({ min: at('2000-01-01T00:00Z'), max: at('2030-01-01T00:00Z') }), (ms) => {
          expect(zoned.localDate(ms)).toBe(format(new TZDate(ms, timeZone), 'yyyy-MM-dd'));
          expect(zoned.startOfDate(zoned.localDate(ms))).toBeLessThanOrEqual(ms);
        }),
      );
    },
  );
});
