import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  civilFromDays,
  DATE_PATTERN,
  DATE_TIME_PATTERN,
  daysFromCivil,
  parseDate,
  parseDateTime,
  toIso,
} from '../../src/time/instant.js';

describe('parseDateTime', () => {
  it('reads Z as UTC', () => {
    expect(parseDateTime('2017-11-20T06:00Z')).toBe(Date.UTC(2017, 10, 20, 6, 0));
  });

  it('reads ±HH:MM offsets (local time minus offset = UTC)', () => {
    // 06:00 at UTC-07:00 is 13:00 UTC; 06:00 at UTC+05:30 is 00:30 UTC.
    expect(parseDateTime('2017-11-20T06:00:00-07:00')).toBe(Date.UTC(2017, 10, 20, 13, 0));
    expect(parseDateTime('2017-11-20T06:00:00+05:30')).toBe(Date.UTC(2017, 10, 20, 0, 30));
  });

  it('reads ±HHMM offsets', () => {
    expect(parseDateTime('2017-11-20T06:00-0700')).toBe(Date.UTC(2017, 10, 20, 13, 0));
    expect(parseDateTime('2017-11-20T06:00+0000')).toBe(Date.UTC(2017, 10, 20, 6, 0));
  });

  it('reads fractions of a second (to the millisecond, extra digits truncated)', () => {
    expect(parseDateTime('2017-11-20T06:00:00.123-07:00')).toBe(Date.UTC(2017, 10, 20, 13, 0, 0, 123));
    expect(parseDateTime('2017-11-20T06:00:00.5Z')).toBe(Date.UTC(2017, 10, 20, 6, 0, 0, 500));
    expect(parseDateTime('2017-11-20T06:00:00.123999Z')).toBe(Date.UTC(2017, 10, 20, 6, 0, 0, 123));
  });

  it('reads times without seconds', () => {
    expect(parseDateTime('2017-11-20T23:59Z')).toBe(Date.UTC(2017, 10, 20, 23, 59));
  });

  it('crosses the date line when the offset moves the instant to another UTC day', () => {
    expect(parseDateTime('2017-12-31T20:00-05:00')).toBe(Date.UTC(2018, 0, 1, 1, 0));
  });

  it('accepts leap days only in leap years', () => {
    expect(parseDateTime('2016-02-29T00:00Z')).toBe(Date.UTC(2016, 1, 29));
    expect(parseDateTime('2000-02-29T00:00Z')).toBe(Date.UTC(2000, 1, 29));
    expect(parseDateTime('2017-02-29T00:00Z')).toBeUndefined();
    expect(parseDateTime('2100-02-29T00:00Z')).toBeUndefined(); // divisible by 100, not by 400
  });

  it('handles years before 100 (which Date.UTC would map to the 1900s)', () => {
    expect(parseDateTime('0050-06-01T00:00Z')).toBe(new Date('0050-06-01T00:00:00.000Z').getTime());
  });

  it.each([
    ['local time without offset', '2017-11-20T06:00'],
    ['local time with seconds', '2017-11-20T06:00:00.000'],
    ['a date only', '2017-11-20'],
    ['Feb 30', '2017-02-30T00:00Z'],
    ['month 13', '2017-13-01T00:00Z'],
    ['day 0', '2017-11-00T00:00Z'],
    ['hour 25', '2017-11-20T25:00Z'],
    ['hour 24', '2017-11-20T24:00Z'],
    ['minute 60', '2017-11-20T06:60Z'],
    ['second 60', '2017-11-20T06:00:60Z'],
    ['offset hour 24', '2017-11-20T06:00+24:00'],
    ['offset minute 60', '2017-11-20T06:00+05:60'],
    ['a space instead of T', '2017-11-20 06:00Z'],
    ['garbage', 'yesterday'],
    ['empty', ''],
    ['trailing text', '2017-11-20T06:00Z!'],
  ])('rejects %s', (_what, text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });

  it('round-trips every toIso output of years 0000–9999', () => {
    const first = new Date('0000-01-01T00:00:00.000Z').getTime();
    const last = new Date('9999-12-31T23:59:59.999Z').getTime();
    fc.assert(fc.property(fc.integer({ min: first, max: last }), (ms) => parseDateTime(toIso(ms)) === ms));
  });
});

describe('parseDate', () => {
  it('returns the parts of a real date', () => {
    expect(parseDate('2017-11-23')).toEqual({ year: 2017, month: 11, day: 23 });
  });

  it.each(['2017-02-30', '2017-04-31', '2017-13-01', '2017-1-01', '17-01-01', '2017-11-23T00:00Z', ''])('rejects %j', (text) => {
    expect(parseDate(text)).toBeUndefined();
  });
});

describe('patterns', () => {
  it('match the forms the parsers accept', () => {
    expect(DATE_TIME_PATTERN.test('2017-11-20T06:00:00.123-07:00')).toBe(true);
    expect(DATE_TIME_PATTERN.test('2017-11-20T06:00')).toBe(false);
    expect(DATE_PATTERN.test('2017-11-20')).toBe(true);
    expect(DATE_PATTERN.test('2017-11-20T00:00Z')).toBe(false);
  });
});

describe('toIso', () => {
  it('prints UTC with milliseconds', () => {
    expect(toIso(Date.UTC(2017, 10, 20, 13, 0, 0, 5))).toBe('2017-11-20T13:00:00.005Z');
  });

  it('prints exactly what Date#toISOString prints, at every instant, inside and outside years 0000–9999', () => {
    const same = (ms: number) => expect(toIso(ms)).toBe(new Date(ms).toISOString());
    for (const ms of [0, -0, -1, 1, -62_167_219_200_001, -62_167_219_200_000, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, -8.64e15, 1.5, -1.5, Date.UTC(2000, 1, 29, 23, 59, 59, 999)]) same(ms);
    const agrees = (ms: number) => toIso(ms) === new Date(ms).toISOString();
    fc.assert(fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), agrees));
    fc.assert(fc.property(fc.integer({ min: -62_167_219_200_000 - 86_400_000, max: 253_402_300_800_000 + 86_400_000 }), agrees));
    expect(() => toIso(Number.NaN)).toThrow(RangeError);
  });
});

describe('civil day numbers', () => {
  it('number 1970-01-01 as day 0', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(civilFromDays(-1)).toEqual({ year: 1969, month: 12, day: 31 });
  });

  it('agree with Date.UTC and invert each other', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (days) => {
        const c = civilFromDays(days);
        const date = new Date(days * 86_400_000);
        return (
          daysFromCivil(c.year, c.month, c.day) === days &&
          c.year === date.getUTCFullYear() &&
          c.month === date.getUTCMonth() + 1 &&
          c.day === date.getUTCDate()
        );
      }),
    );
  });
});
