/**
 * ISO-8601 durations (`P2D`, `PT4H`, `P1Y2M3W4DT5H6M7.5S`). A duration keeps its parts rather than a
 * number of milliseconds because what a day or a month is depends on the clock and the calendar
 * (`Calendar.add`).
 */
import * as z from 'zod';
import { UsageError } from '../errors.js';

export type Clock = 'business' | 'calendar';

export interface Duration {
  readonly text: string;
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

/**
 * The accepted form, for JSON Schema output. The lookaheads require at least one component and
 * something after `T`. Fractions only on the smallest part given is checked by `parseDuration`.
 */
export const DURATION_PATTERN =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const DURATION_MESSAGE = 'expected an ISO-8601 duration such as PT4H or P2D';

/** Parses an ISO-8601 duration; undefined (never a throw) when the text is not one. */
export function parseDuration(text: string): Duration | undefined {
  const m = DURATION_PATTERN.exec(text);
  if (m === null) return undefined;
  const time = [m[5], m[6], m[7]];
  // ISO-8601 allows a decimal fraction on the smallest component only (`PT1.5H`, not `PT1.5H30M`).
  const fractional = time.findIndex((part) => part?.includes('.') === true);
  if (fractional !== -1 && time.slice(fractional + 1).some((part) => part !== undefined)) return undefined;
  const num = (part: string | undefined): number => (part === undefined ? 0 : Number(part));
  return {
    text,
    years: num(m[1]),
    months: num(m[2]),
    weeks: num(m[3]),
    days: num(m[4]),
    hours: num(m[5]),
    minutes: num(m[6]),
    seconds: num(m[7]),
  };
}

/** zod schema for a duration option: an ISO-8601 string in, a `Duration` out. */
export function durationSchema() {
  return z
    .string({ error: DURATION_MESSAGE })
    .regex(DURATION_PATTERN, { error: DURATION_MESSAGE })
    .transform((text, ctx): Duration => {
      const parsed = parseDuration(text);
      if (parsed !== undefined) return parsed;
      ctx.addIssue({ code: 'custom', message: DURATION_MESSAGE, params: { rule: 'duration' } });
      return z.NEVER;
    });
}

/**
 * A duration option with a default. The default is given as text and parsed like input (so the
 * resolved config shows a `Duration` either way); an invalid default is a programming error.
 */
export function durationOption(defaultText: string) {
  if (parseDuration(defaultText) === undefined) {
    // The rules durationSchema gives the same value: no string, not the form, or a fraction not on the smallest part.
    const rule = typeof defaultText !== 'string' ? 'invalid-type' : DURATION_PATTERN.test(defaultText) ? 'duration' : 'invalid-format';
    throw new UsageError(`durationOption: default "${defaultText}" is not an ISO-8601 duration`, { path: 'defaultText', rule });
  }
  return durationSchema().prefault(defaultText);
}

/** Milliseconds of the H/M/S part alone, rounded to whole milliseconds. */
export function hmsMs(d: Duration): number {
  return Math.round(d.hours * 3_600_000 + d.minutes * 60_000 + d.seconds * 1000);
}

/**
 * "2 working days", "4 hours", "6 months", "1 day 4 hours". On the business clock, days, hours,
 * minutes and seconds count business time, so the first of those parts is called "working"
 * (once, to keep the phrase readable); years, months and weeks are calendar units on both clocks.
 */
export function describeDuration(d: Duration, clock: Clock): string {
  const parts: string[] = [];
  let working = clock === 'business';
  const unit = (value: number, name: string, business: boolean): void => {
    if (value === 0) return;
    const prefix = business && working ? 'working ' : '';
    if (business) working = false;
    parts.push(`${value} ${prefix}${name}${value === 1 ? '' : 's'}`);
  };
  unit(d.years, 'year', false);
  unit(d.months, 'month', false);
  unit(d.weeks, 'week', false);
  unit(d.days, 'day', true);
  unit(d.hours, 'hour', true);
  unit(d.minutes, 'minute', true);
  unit(d.seconds, 'second', true);
  return parts.length === 0 ? '0 seconds' : parts.join(' ');
}
