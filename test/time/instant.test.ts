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

// The regex reading parseDateTime had before it read characters by hand: the hand parser must
// agree with it on every string, valid or not.
function referenceParse(text: string): number | undefined {
  const m = DATE_TIME_PATTERN.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i])) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (monthDays === undefined || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const zone = m[8] ?? '';
  let offset = 0;
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
    if (oh > 23 || om > 59) return undefined;
    offset = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offset * 60_000;
}

describe('parseDateTime, read by hand', () => {
  // Strings near the accepted form: each piece valid, out of range, missing, doubled or replaced.
  const piece = (...options: string[]) => fc.constantFrom(...options);
  const nearDateTime = fc
    .tuple(
      piece('2017', '0000', '9999', '2016', '2000', '1900', '201', '20175', 'abcd', '２０１７'),
      piece('-', '/', ''),
      piece('01', '02', '12', '13', '00', '1', '1a'),
      piece('-'),
      piece('01', '28', '29', '30', '31', '32', '00', '9'),
      piece('T', 't', ' ', ''),
      piece('00', '09', '23', '24', '7'),
      piece(':', ''),
      piece('00', '59', '60', '5'),
      piece('', ':00', ':59', ':60', ':5', ':'),
      piece('', '.1', '.12', '.123', '.1239', '.123456789', '.1234567890', '.', '.a'),
      piece('Z', 'z', '+00:00', '-07:00', '+05:30', '+0530', '-0700', '+23:59', '+24:00', '+05:60', '+5:30', '+05:3', '+05::0', '', 'Z!', '+05:300'),
    )
    .map((parts) => parts.join(''));

  it('agrees with the regex reading on near-miss strings', () => {
    fc.assert(fc.property(nearDateTime, (text) => Object.is(parseDateTime(text), referenceParse(text))), { numRuns: 20_000 });
  });

  it('agrees with the regex reading on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (text) => Object.is(parseDateTime(text), referenceParse(text))), { numRuns: 5_000 });
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

  it('prints exactly what Date#toISOString prints, for any instant a Date can hold', () => {
    const same = (ms: number) => toIso(ms) === new Date(ms).toISOString();
    const year0 = new Date('0000-01-01T00:00:00.000Z').getTime();
    const year10000 = new Date('+010000-01-01T00:00:00.000Z').getTime();
    for (const ms of [0, -1, 1, -0, year0, year0 - 1, year0 + 1, year10000, year10000 - 1, 8.64e15, -8.64e15, 1.5, -1.5]) {
      expect(toIso(ms), String(ms)).toBe(new Date(ms).toISOString());
    }
    fc.assert(fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), same));
    fc.assert(fc.property(fc.integer({ min: year0 - 1e12, max: year10000 + 1e12 }), same));
    fc.assert(fc.property(fc.integer({ min: -1e13, max: 4e12 }), same));
  });

  it('throws like Date#toISOString for what a Date cannot hold', () => {
    for (const ms of [Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1]) expect(() => toIso(ms)).toThrow(RangeError);
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
