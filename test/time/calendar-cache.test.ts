// Per-call work must be epoch arithmetic on cached days: time-zone data (TZDate, tzOffset, which go
// through Intl) is consulted at most a few times per local day, and never again for a cached day.
// The mock counts every TZDate built and every tzOffset call made by heed's code.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Calendar } from '../../src/time/calendar.js';
import { at, HOUR } from './helpers.js';

const calls = vi.hoisted(() => ({ tz: 0 }));

vi.mock('@date-fns/tz', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@date-fns/tz')>();
  class CountingTZDate extends actual.TZDate {
    constructor(...args: unknown[]) {
      super(...(args as []));
      calls.tz++;
    }
  }
  return {
    ...actual,
    TZDate: CountingTZDate,
    tzOffset: (...args: Parameters<typeof actual.tzOffset>) => {
      calls.tz++;
      return actual.tzOffset(...args);
    },
  };
});


describe('calendar caching', () => {
  beforeEach(() => {
    calls.tz = 0;
  });

  it('businessMsBetween over 9 weeks looks up the zone about once per day, and never twice for a day', () => {
    const calendar = new Calendar({ timeZone: 'America/Denver', holidays: ['2017-11-23'] });
    // 2017-10-02 → 2017-12-04: 63 days (45 weekdays, one a holiday), including the 2017-11-05 DST change.
    const a = at('2017-10-02T00:00-06:00');
    const b = at('2017-12-04T00:00-07:00');
    const work = (): void => {
      expect(calendar.businessMsBetween(a, b)).toBe(44 * 8 * HOUR);
      calendar.businessMsBetween(a + HOUR, b - HOUR);
      calendar.addBusinessMs(a, 100 * HOUR);
      calendar.isBusinessTime(a + 10 * 24 * HOUR);
    };
    work();
    // A day start per day (plus neighbours at the ends); nothing per hour or minute.
    expect(calls.tz).toBeLessThanOrEqual(70);
    calls.tz = 0;
    work();
    expect(calls.tz).toBe(0);
  });

  it('calendar-clock add on ordinary days uses cached days only', () => {
    const calendar = new Calendar({ timeZone: 'America/Denver' });
    const a = at('2017-11-20T10:00-07:00');
    calendar.localDate(a);
    calendar.localDate(at('2017-11-27T10:00-07:00'));
    calls.tz = 0;
    const week = { text: 'P7D', years: 0, months: 0, weeks: 0, days: 7, hours: 0, minutes: 0, seconds: 0 };
    expect(calendar.add(a, week, 'calendar')).toBe(at('2017-11-27T10:00-07:00'));
    expect(calls.tz).toBe(0);
  });
});
