// Calendar.add on both clocks, in America/Denver (see calendar.test.ts for the DST dates).
// 2017-11-17 is a Friday; Thanksgiving is Thursday 2017-11-23.
import { describe, expect, it } from 'vitest';
import { Calendar } from '../../src/time/calendar.js';
import { parseDuration, type Duration } from '../../src/time/duration.js';
import { at, HOUR } from './helpers.js';

const denver = new Calendar({ timeZone: 'America/Denver' });
const thanksgiving = new Calendar({ timeZone: 'America/Denver', holidays: ['2017-11-23'] });
const saturdayMornings = new Calendar({ timeZone: 'America/Denver', businessHours: { sat: ['10:00', '14:00'] } });

function d(text: string): Duration {
  const parsed = parseDuration(text);
  if (parsed === undefined) throw new Error(`test setup: bad duration ${text}`);
  return parsed;
}

describe('add on the business clock', () => {
  it('PT4H from Friday 15:00 is Monday 11:00 (2 hours Friday, 2 Monday)', () => {
    expect(denver.add(at('2017-11-17T15:00-07:00'), d('PT4H'), 'business')).toBe(at('2017-11-20T11:00-07:00'));
  });

  it('P2D from Monday 10:00 is Wednesday 10:00', () => {
    expect(denver.add(at('2017-11-13T10:00-07:00'), d('P2D'), 'business')).toBe(at('2017-11-15T10:00-07:00'));
  });

  it('P2D from Friday 16:00 is Tuesday 16:00 (the weekend does not count)', () => {
    expect(denver.add(at('2017-11-17T16:00-07:00'), d('P2D'), 'business')).toBe(at('2017-11-21T16:00-07:00'));
  });

  it('P2D from Saturday 12:00 first rolls to Monday 09:00, then counts two working days: Wednesday 09:00', () => {
    expect(denver.add(at('2017-11-18T12:00-07:00'), d('P2D'), 'business')).toBe(at('2017-11-22T09:00-07:00'));
  });

  it('P2D from Friday at closing time also rolls to Monday 09:00 first', () => {
    expect(denver.add(at('2017-11-17T17:00-07:00'), d('P2D'), 'business')).toBe(at('2017-11-22T09:00-07:00'));
  });

  it('P2D skips a holiday: Wednesday 10:00 before Thanksgiving → Friday (1), Monday (2) 10:00', () => {
    expect(thanksgiving.add(at('2017-11-22T10:00-07:00'), d('P2D'), 'business')).toBe(at('2017-11-27T10:00-07:00'));
    expect(denver.add(at('2017-11-22T10:00-07:00'), d('P2D'), 'business')).toBe(at('2017-11-24T10:00-07:00'));
  });

  it('P1D keeps the local time across a DST change: Friday 10:00 MDT → Monday 10:00 MST', () => {
    expect(denver.add(at('2017-11-03T10:00-06:00'), d('P1D'), 'business')).toBe(at('2017-11-06T10:00-07:00'));
  });

  it('clamps the time of day into the target day\'s hours', () => {
    // Saturday is open 10:00–14:00: Friday 16:00 → Saturday 14:00, Friday 09:30 → Saturday 10:00.
    expect(saturdayMornings.add(at('2017-11-17T16:00-07:00'), d('P1D'), 'business')).toBe(at('2017-11-18T14:00-07:00'));
    expect(saturdayMornings.add(at('2017-11-17T09:30-07:00'), d('P1D'), 'business')).toBe(at('2017-11-18T10:00-07:00'));
  });

  it('adds days first, then hours as business time', () => {
    // Monday 10:00 + 1 working day = Tuesday 10:00; + 4h = Tuesday 14:00.
    expect(denver.add(at('2017-11-20T10:00-07:00'), d('P1DT4H'), 'business')).toBe(at('2017-11-21T14:00-07:00'));
    // + 8h from Tuesday 10:00: 7h to close, 1h Wednesday → Wednesday 10:00.
    expect(denver.add(at('2017-11-20T10:00-07:00'), d('P1DT8H'), 'business')).toBe(at('2017-11-22T10:00-07:00'));
  });

  it('PT8H from opening lands on that day\'s closing time', () => {
    expect(denver.add(at('2017-11-20T09:00-07:00'), d('PT8H'), 'business')).toBe(at('2017-11-20T17:00-07:00'));
  });

  it('weeks and months are calendar units, then rolled into business hours', () => {
    // Saturday + 1 week = Saturday, rolled to Monday 09:00.
    expect(denver.add(at('2017-11-18T12:00-07:00'), d('P1W'), 'business')).toBe(at('2017-11-27T09:00-07:00'));
    // 31 January + 1 month = 28 February 2018 (a Wednesday), same time.
    expect(denver.add(at('2018-01-31T10:00-07:00'), d('P1M'), 'business')).toBe(at('2018-02-28T10:00-07:00'));
  });

  it('PT0S leaves the instant as it is', () => {
    const saturday = at('2017-11-18T12:00-07:00');
    expect(denver.add(saturday, d('PT0S'), 'business')).toBe(saturday);
  });
});

describe('add on the calendar clock', () => {
  it('P1D across spring-forward (2018-03-11) is 23 real hours and keeps 12:00', () => {
    const saturdayNoon = at('2018-03-10T12:00-07:00');
    const sundayNoon = denver.add(saturdayNoon, d('P1D'), 'calendar');
    expect(sundayNoon).toBe(at('2018-03-11T12:00-06:00'));
    expect(sundayNoon - saturdayNoon).toBe(23 * HOUR);
  });

  it('P1D across fall-back (2017-11-05) is 25 real hours', () => {
    const saturdayNoon = at('2017-11-04T12:00-06:00');
    expect(denver.add(saturdayNoon, d('P1D'), 'calendar') - saturdayNoon).toBe(25 * HOUR);
  });

  it('PT24H is exactly 24 hours, so across spring-forward it ends at 13:00', () => {
    expect(denver.add(at('2018-03-10T12:00-07:00'), d('PT24H'), 'calendar')).toBe(at('2018-03-11T13:00-06:00'));
  });

  it('P1D onto a wall time skipped by DST moves forward by the gap (02:30 → 03:30 MDT)', () => {
    expect(denver.add(at('2018-03-10T02:30-07:00'), d('P1D'), 'calendar')).toBe(at('2018-03-11T03:30-06:00'));
  });

  it('P1W and P1M keep the wall-clock time across a DST change', () => {
    expect(denver.add(at('2018-03-07T12:00-07:00'), d('P1W'), 'calendar')).toBe(at('2018-03-14T12:00-06:00'));
    expect(denver.add(at('2017-10-15T10:00-06:00'), d('P1M'), 'calendar')).toBe(at('2017-11-15T10:00-07:00'));
  });

  it('months clamp to the end of a shorter month; years to 28 February', () => {
    expect(denver.add(at('2018-01-31T10:00-07:00'), d('P1M'), 'calendar')).toBe(at('2018-02-28T10:00-07:00'));
    expect(denver.add(at('2016-02-29T10:00-07:00'), d('P1Y'), 'calendar')).toBe(at('2017-02-28T10:00-07:00'));
    // Months first, then days (as date-fns add): 31 Jan + 1 month = 28 Feb, + 1 day = 1 Mar.
    expect(denver.add(at('2018-01-31T10:00-07:00'), d('P1M1D'), 'calendar')).toBe(at('2018-03-01T10:00-07:00'));
  });

  it('adds years/months before days, as date-fns does, so a time skipped on the way stays shifted', () => {
    // 2018-03-08 02:30 + 2 years = 2020-03-08 02:30, skipped by that day's DST change → 03:30 MDT;
    // + 1 day → 2020-03-09 03:30 MDT, although 02:30 exists on the 9th.
    expect(denver.add(at('2018-03-08T02:30-07:00'), d('P2Y1D'), 'calendar')).toBe(at('2020-03-09T03:30-06:00'));
  });

  it('ignores business hours entirely', () => {
    expect(denver.add(at('2017-11-18T12:00-07:00'), d('P1DT1H'), 'calendar')).toBe(at('2017-11-19T13:00-07:00'));
  });
});
