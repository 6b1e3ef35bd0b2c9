// America/Denver is UTC-7 (MST) in winter and UTC-6 (MDT) in summer. DST ended Sun 2017-11-05 at
// 02:00 MDT (clocks back to 01:00 MST) and began Sun 2018-03-11 at 02:00 MST (clocks on to 03:00 MDT).
// Instants below are written in local time with the offset in force, so expectations are readable.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { Calendar } from '../../src/time/calendar.js';
import { at, HOUR, MINUTE } from './helpers.js';

const denver = new Calendar({ timeZone: 'America/Denver' });
const thanksgiving = new Calendar({ timeZone: 'America/Denver', holidays: ['2017-11-23'] });

describe('local days in America/Denver', () => {
  it('startOfDate is local midnight with the offset in force that day', () => {
    expect(denver.startOfDate('2017-11-20')).toBe(at('2017-11-20T00:00-07:00'));
    expect(denver.startOfDate('2017-07-04')).toBe(at('2017-07-04T00:00-06:00'));
  });

  it('startOfDate on the DST days: midnight comes before the 02:00 change', () => {
    expect(denver.startOfDate('2017-11-05')).toBe(at('2017-11-05T00:00-06:00'));
    expect(denver.startOfDate('2018-03-11')).toBe(at('2018-03-11T00:00-07:00'));
    // The days are 25 and 23 hours long.
    expect(denver.startOfDate('2017-11-06')! - denver.startOfDate('2017-11-05')!).toBe(25 * HOUR);
    expect(denver.startOfDate('2018-03-12')! - denver.startOfDate('2018-03-11')!).toBe(23 * HOUR);
  });

  it('startOfDate is undefined for a date that does not exist', () => {
    expect(denver.startOfDate('2017-02-29')).toBeUndefined();
    expect(denver.startOfDate('tomorrow')).toBeUndefined();
  });

  it('parseInstant takes a date-time with offset, or a date as local midnight', () => {
    expect(denver.parseInstant('2017-11-20T06:00Z')).toBe(at('2017-11-20T06:00Z'));
    expect(denver.parseInstant('2017-11-20')).toBe(at('2017-11-20T07:00Z'));
    expect(denver.parseInstant('2017-11-20T06:00')).toBeUndefined();
  });

  it('localDate is the date on the wall calendar in the zone', () => {
    // 06:59Z is 23:59 the previous evening in Denver.
    expect(denver.localDate(at('2017-11-21T06:59Z'))).toBe('2017-11-20');
    expect(denver.localDate(at('2017-11-21T07:00Z'))).toBe('2017-11-21');
    // Both 01:30s of the repeated hour are on 2017-11-05, and the last instant of that 25-hour day too.
    expect(denver.localDate(at('2017-11-05T01:30-06:00'))).toBe('2017-11-05');
    expect(denver.localDate(at('2017-11-05T01:30-07:00'))).toBe('2017-11-05');
    expect(denver.localDate(at('2017-11-05T23:59:59.999-07:00'))).toBe('2017-11-05');
  });

  it('format and formatDate show local time', () => {
    expect(denver.format(at('2017-11-22T00:00Z'))).toBe('Tue 21 Nov 2017 17:00');
    expect(denver.formatDate(at('2017-11-22T00:00Z'))).toBe('Tue 21 Nov 2017');
    expect(new Calendar().format(at('2017-11-22T00:00Z'))).toBe('Wed 22 Nov 2017 00:00');
  });

  it('in a zone whose DST change skipped midnight, the day starts at 01:00', () => {
    // Brazil's 2018 DST began at 00:00 on 2018-11-04 (clocks on to 01:00, UTC-2).
    const saoPaulo = new Calendar({ timeZone: 'America/Sao_Paulo' });
    expect(saoPaulo.startOfDate('2018-11-04')).toBe(at('2018-11-04T01:00-02:00'));
    expect(saoPaulo.localDate(at('2018-11-04T01:00-02:00') - 1)).toBe('2018-11-03');
  });
});

describe('working days and business time', () => {
  it('weekdays are working days, weekends and holidays are not', () => {
    expect(thanksgiving.isWorkingDay('2017-11-22')).toBe(true);
    expect(thanksgiving.isWorkingDay('2017-11-23')).toBe(false);
    expect(thanksgiving.isWorkingDay('2017-11-25')).toBe(false);
    expect(denver.isWorkingDay('2017-11-23')).toBe(true);
  });

  it('isWorkingDay refuses a string that is not a date', () => {
    expect(() => denver.isWorkingDay('Monday')).toThrow(UsageError);
  });

  it('business time is [open, close) in local time', () => {
    expect(denver.isBusinessTime(at('2017-11-20T09:00-07:00'))).toBe(true);
    expect(denver.isBusinessTime(at('2017-11-20T08:59:59.999-07:00'))).toBe(false);
    expect(denver.isBusinessTime(at('2017-11-20T16:59:59.999-07:00'))).toBe(true);
    expect(denver.isBusinessTime(at('2017-11-20T17:00-07:00'))).toBe(false);
    expect(denver.isBusinessTime(at('2017-11-18T12:00-07:00'))).toBe(false); // Saturday
    expect(thanksgiving.isBusinessTime(at('2017-11-23T12:00-07:00'))).toBe(false);
  });

  it('business hours stay 09:00–17:00 local on both sides of a DST change', () => {
    // Friday before the change is MDT, Monday after is MST.
    expect(denver.isBusinessTime(at('2017-11-03T09:00-06:00'))).toBe(true);
    expect(denver.isBusinessTime(at('2017-11-06T09:00-07:00'))).toBe(true);
    expect(denver.isBusinessTime(at('2017-11-06T08:30-07:00'))).toBe(false);
  });
});

describe('businessMsBetween in America/Denver', () => {
  it('counts only the open hours inside one day', () => {
    expect(denver.businessMsBetween(at('2017-11-20T08:00-07:00'), at('2017-11-20T10:30-07:00'))).toBe(90 * MINUTE);
    expect(denver.businessMsBetween(at('2017-11-20T00:00-07:00'), at('2017-11-21T00:00-07:00'))).toBe(8 * HOUR);
  });

  it('is 0 for an empty or reversed interval', () => {
    const t = at('2017-11-20T10:00-07:00');
    expect(denver.businessMsBetween(t, t)).toBe(0);
    expect(denver.businessMsBetween(t + HOUR, t)).toBe(0);
  });

  it('skips a weekend: Friday 16:00 → Monday 10:00 is 2 hours', () => {
    expect(denver.businessMsBetween(at('2017-11-17T16:00-07:00'), at('2017-11-20T10:00-07:00'))).toBe(2 * HOUR);
  });

  it('skips Thanksgiving: Wednesday 16:00 → Friday 10:00 is 2 hours, 10 without the holiday', () => {
    const a = at('2017-11-22T16:00-07:00');
    const b = at('2017-11-24T10:00-07:00');
    expect(thanksgiving.businessMsBetween(a, b)).toBe(2 * HOUR);
    expect(denver.businessMsBetween(a, b)).toBe(10 * HOUR);
  });

  it('across fall-back (2017-11-05): Friday 16:00 MDT → Monday 10:00 MST is 2 hours', () => {
    expect(denver.businessMsBetween(at('2017-11-03T16:00-06:00'), at('2017-11-06T10:00-07:00'))).toBe(2 * HOUR);
  });

  it('across spring-forward (2018-03-11): Friday 16:00 MST → Monday 10:00 MDT is 2 hours', () => {
    expect(denver.businessMsBetween(at('2018-03-09T16:00-07:00'), at('2018-03-12T10:00-06:00'))).toBe(2 * HOUR);
  });

  it('a window spanning the DST Sunday still counts 8 hours per working day', () => {
    // Thu 00:00 → Tue 00:00 around each change holds Thu, Fri, Mon: 24 hours.
    expect(denver.businessMsBetween(at('2017-11-02T00:00-06:00'), at('2017-11-07T00:00-07:00'))).toBe(24 * HOUR);
    expect(denver.businessMsBetween(at('2018-03-08T00:00-07:00'), at('2018-03-13T00:00-06:00'))).toBe(24 * HOUR);
  });

  it('converts open hours per day, so hours on the DST Sunday itself are 25 or 23 real hours long', () => {
    const allSunday = new Calendar({ timeZone: 'America/Denver', businessHours: { sun: ['00:00', '24:00'] } });
    expect(allSunday.businessMsBetween(at('2017-11-05T00:00-06:00'), at('2017-11-06T00:00-07:00'))).toBe(25 * HOUR);
    expect(allSunday.businessMsBetween(at('2018-03-11T00:00-07:00'), at('2018-03-12T00:00-06:00'))).toBe(23 * HOUR);
    // 01:00–03:00 wall time: 3 real hours when 01:00–02:00 repeats, 1 when 02:00–03:00 is skipped.
    const early = new Calendar({ timeZone: 'America/Denver', businessHours: { sun: ['01:00', '03:00'] } });
    expect(early.businessMsBetween(at('2017-11-05T00:00-06:00'), at('2017-11-06T00:00-07:00'))).toBe(3 * HOUR);
    expect(early.businessMsBetween(at('2018-03-11T00:00-07:00'), at('2018-03-12T00:00-06:00'))).toBe(1 * HOUR);
  });

  it('counts nine weeks of plain weekdays as 45 × 8 hours', () => {
    expect(denver.businessMsBetween(at('2018-01-01T00:00-07:00'), at('2018-03-05T00:00-07:00'))).toBe(45 * 8 * HOUR);
  });
});

describe('addBusinessMs', () => {
  it('returns a unchanged for 0, even outside business hours', () => {
    const saturday = at('2017-11-18T12:00-07:00');
    expect(denver.addBusinessMs(saturday, 0)).toBe(saturday);
  });

  it('lands on the closing time when the amount runs out exactly at close', () => {
    expect(denver.addBusinessMs(at('2017-11-20T09:00-07:00'), 8 * HOUR)).toBe(at('2017-11-20T17:00-07:00'));
  });

  it('starts counting at the next opening when a is outside hours', () => {
    expect(denver.addBusinessMs(at('2017-11-18T12:00-07:00'), 1)).toBe(at('2017-11-20T09:00:00.001-07:00'));
  });

  it('carries over a weekend, a holiday and a DST change', () => {
    // Wed 16:00 + 3h: 1h Wed, Thanksgiving skipped, 2h Fri → Fri 11:00.
    expect(thanksgiving.addBusinessMs(at('2017-11-22T16:00-07:00'), 3 * HOUR)).toBe(at('2017-11-24T11:00-07:00'));
    // Fri 16:00 MDT + 2h → Mon 10:00 MST.
    expect(denver.addBusinessMs(at('2017-11-03T16:00-06:00'), 2 * HOUR)).toBe(at('2017-11-06T10:00-07:00'));
  });

  it('refuses a negative or non-finite amount', () => {
    expect(() => denver.addBusinessMs(0, -1)).toThrow(UsageError);
    expect(() => denver.addBusinessMs(0, Number.POSITIVE_INFINITY)).toThrow(UsageError);
  });
});

describe('elapsedMs', () => {
  const fri = at('2017-11-17T16:00-07:00');
  const mon = at('2017-11-20T10:00-07:00');

  it('is wall-clock difference on the calendar clock, never negative', () => {
    expect(denver.elapsedMs(fri, mon, 'calendar')).toBe(66 * HOUR);
    expect(denver.elapsedMs(mon, fri, 'calendar')).toBe(0);
  });

  it('is business time on the business clock', () => {
    expect(denver.elapsedMs(fri, mon, 'business')).toBe(2 * HOUR);
  });
});
