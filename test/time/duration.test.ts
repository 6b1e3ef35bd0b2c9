import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { UsageError } from '../../src/errors.js';
import {
  describeDuration,
  durationOption,
  durationSchema,
  parseDuration,
  type Duration,
} from '../../src/time/duration.js';

const ZERO = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };

function parsed(text: string): Duration {
  const d = parseDuration(text);
  if (d === undefined) throw new Error(`test setup: ${text} should parse`);
  return d;
}

describe('parseDuration', () => {
  it('reads every component at once', () => {
    expect(parseDuration('P1Y2M3W4DT5H6M7.5S')).toEqual({
      text: 'P1Y2M3W4DT5H6M7.5S',
      years: 1,
      months: 2,
      weeks: 3,
      days: 4,
      hours: 5,
      minutes: 6,
      seconds: 7.5,
    });
  });

  it.each([
    ['P3Y', { years: 3 }],
    ['P6M', { months: 6 }],
    ['P2W', { weeks: 2 }],
    ['P2D', { days: 2 }],
    ['PT4H', { hours: 4 }],
    ['PT30M', { minutes: 30 }],
    ['PT0S', {}],
    ['PT45S', { seconds: 45 }],
    ['PT1.5H', { hours: 1.5 }],
    ['PT2H0.25M', { hours: 2, minutes: 0.25 }],
    ['P180D', { days: 180 }],
    ['P1DT12H', { days: 1, hours: 12 }],
  ])('reads %s', (text, parts) => {
    expect(parseDuration(text)).toEqual({ text, ...ZERO, ...parts });
  });

  it('tells months (before T) from minutes (after T)', () => {
    expect(parsed('P1M').months).toBe(1);
    expect(parsed('P1M').minutes).toBe(0);
    expect(parsed('PT1M').minutes).toBe(1);
    expect(parsed('PT1M').months).toBe(0);
  });

  it.each([
    ['no component', 'P'],
    ['T with nothing after it', 'PT'],
    ['a date part then a bare T', 'P1DT'],
    ['no leading P', '2D'],
    ['a fraction on years', 'P1.5Y'],
    ['a fraction on days', 'P1.5D'],
    ['a negative part', 'PT-1H'],
    ['a negative duration', '-P1D'],
    ['a fraction that is not on the smallest part', 'PT1.5H30M'],
    ['parts out of order', 'P1D2M'],
    ['hours before T', 'P4H'],
    ['lower case', 'pt4h'],
    ['a number without a unit', 'PT5'],
    ['surrounding spaces', ' P1D'],
    ['empty', ''],
  ])('rejects %s (%j)', (_what, text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('describeDuration', () => {
  it.each([
    ['P2D', 'business', '2 working days'],
    ['P1D', 'business', '1 working day'],
    ['PT4H', 'calendar', '4 hours'],
    ['PT4H', 'business', '4 working hours'],
    ['PT1H', 'calendar', '1 hour'],
    ['P6M', 'calendar', '6 months'],
    // Months are calendar units on the business clock too.
    ['P6M', 'business', '6 months'],
    ['P1DT4H', 'calendar', '1 day 4 hours'],
    // "working" once, on the first business-counted part.
    ['P1DT4H', 'business', '1 working day 4 hours'],
    ['P1Y2M3W', 'calendar', '1 year 2 months 3 weeks'],
    ['PT1.5H', 'calendar', '1.5 hours'],
    ['PT30M15S', 'calendar', '30 minutes 15 seconds'],
    ['PT0S', 'calendar', '0 seconds'],
  ] as const)('%s on the %s clock is "%s"', (text, clock, expected) => {
    expect(describeDuration(parsed(text), clock)).toBe(expected);
  });
});

describe('durationSchema', () => {
  const message = 'expected an ISO-8601 duration such as PT4H or P2D';

  it('turns a duration string into a Duration', () => {
    expect(durationSchema().parse('PT4H')).toEqual({ text: 'PT4H', ...ZERO, hours: 4 });
  });

  it.each(['four hours', 'PT', 'PT1.5H30M'])('rejects %j with the duration message', (text) => {
    const result = durationSchema().safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([message]);
  });

  it('rejects a non-string with the same message', () => {
    expect(durationSchema().safeParse(4).error?.issues.map((i) => i.message)).toEqual([message]);
  });

  it('shows the pattern in JSON Schema output', () => {
    const schema = z.toJSONSchema(durationSchema(), { io: 'input' }) as { type?: string; pattern?: string };
    expect(schema.type).toBe('string');
    expect(new RegExp(schema.pattern ?? '^$').test('P2D')).toBe(true);
    expect(new RegExp(schema.pattern ?? '^$').test('2D')).toBe(false);
  });
});

describe('durationOption', () => {
  it('parses its default like input when the option is absent', () => {
    const options = z.strictObject({ maxSilence: durationOption('P2D') });
    expect(options.parse({}).maxSilence).toEqual({ text: 'P2D', ...ZERO, days: 2 });
  });

  it('uses the given value when present', () => {
    expect(durationOption('P2D').parse('PT1H')).toEqual({ text: 'PT1H', ...ZERO, hours: 1 });
  });

  it('refuses an invalid default as a programming error', () => {
    expect(() => durationOption('2 days')).toThrow(UsageError);
  });
});
