/**
 * The `calendar` section of the configuration: which time zone local dates and hours are in, the
 * weekly business hours, and the holidays. Every field is optional:
 *
 * - `timeZone`: an IANA name such as `"America/Denver"`. Default `"UTC"`.
 * - `businessHours`: per weekday (`mon`…`sun`) `["HH:MM", "HH:MM"]` (opening, closing; `"24:00"`
 *   allowed as closing) or `null` for closed. Days not given keep the default: mon–fri
 *   `["09:00", "17:00"]`, sat and sun `null`. At least one day must be open.
 * - `holidays`: local dates `YYYY-MM-DD` on which the business is closed all day. Default `[]`.
 */
import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { issuesToErrors, REPORTING } from '../events/issues.js';
import { knownFieldsHint } from '../events/known-fields.js';
import { DATE_PATTERN, parseDate } from './instant.js';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Weekdays in `Date.getDay()` order (Sunday first), so `WEEKDAYS[date.getDay()]` names the day. */
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export type BusinessHours = Readonly<Record<Weekday, readonly [string, string] | null>>;

export const DEFAULT_BUSINESS_HOURS: BusinessHours = Object.freeze({
  mon: ['09:00', '17:00'],
  tue: ['09:00', '17:00'],
  wed: ['09:00', '17:00'],
  thu: ['09:00', '17:00'],
  fri: ['09:00', '17:00'],
  sat: null,
  sun: null,
});

export const DEFAULT_TIME_ZONE = 'UTC';

/** `HH:MM` from 00:00 to 23:59, or 24:00 (only meaningful as a closing time). */
export const TIME_PATTERN = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** Minutes since local midnight of a `HH:MM` matching `TIME_PATTERN`. */
export function minutesOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Whether the runtime's time-zone data knows the zone (Intl throws a RangeError otherwise). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const time = z.string().regex(TIME_PATTERN, { error: 'expected a time HH:MM between 00:00 and 24:00', abort: true });

const dayHours = z
  .tuple([time, time], { error: 'expected ["HH:MM", "HH:MM"] (opening, closing) or null for closed' })
  .superRefine(([start, end], ctx) => {
    if (minutesOfDay(end) <= minutesOfDay(start)) {
      ctx.addIssue({ code: 'custom', message: `end ${end} is not after start ${start}`, params: { rule: 'hours-order' } });
    }
  })
  .readonly()
  .nullable();

const weekdayShape = Object.fromEntries(
  (Object.keys(DEFAULT_BUSINESS_HOURS) as Weekday[]).map((day) => [day, dayHours.optional()]),
) as Record<Weekday, z.ZodOptional<typeof dayHours>>;

const businessHours = z
  .strictObject(weekdayShape)
  .transform((given): BusinessHours => {
    // Days not given keep their default rather than becoming closed.
    const out = { ...DEFAULT_BUSINESS_HOURS };
    for (const day of Object.keys(out) as Weekday[]) {
      const hours = given[day];
      if (hours !== undefined) out[day] = hours;
    }
    return out;
  })
  .superRefine((hours, ctx) => {
    // Business time could never pass, so business-clock arithmetic would never end.
    if (Object.values(hours).every((h) => h === null)) {
      ctx.addIssue({ code: 'custom', message: 'every day is closed; at least one day needs business hours', params: { rule: 'no-business-hours' } });
    }
  });

const holiday = z
  .string()
  .regex(DATE_PATTERN, { error: 'expected a date YYYY-MM-DD', abort: true })
  .refine((text) => parseDate(text) !== undefined, { error: (issue) => `${String(issue.input)} is not a real date`, params: { rule: 'real-date' } });

export const calendarConfigSchema = z.strictObject({
  /** IANA time zone of local dates and business hours. Default "UTC". */
  timeZone: z
    .string()
    .refine(isTimeZone, { error: (issue) => `unknown time zone "${String(issue.input)}"`, params: { rule: 'time-zone' } })
    .default(DEFAULT_TIME_ZONE),
  /** Weekly hours; days not given keep mon–fri 09:00–17:00, sat/sun closed. */
  businessHours: businessHours.default(DEFAULT_BUSINESS_HOURS),
  /** Local dates closed all day. Default none. */
  holidays: z.array(holiday).readonly().default([]),
});

export type CalendarConfigInput = z.input<typeof calendarConfigSchema>;
export type CalendarConfig = z.output<typeof calendarConfigSchema>;

/**
 * Validates a calendar configuration. Throws a `ConfigError` with one `ValidationError` per problem,
 * each with a path under `prefix` as a configuration file's errors write it (`calendar.businessHours.mon`,
 * `calendar.holidays[1]`) and a rule (`VALIDATION_RULES`).
 */
export function parseCalendarConfig(input: unknown, prefix = 'calendar'): CalendarConfig {
  const result = calendarConfigSchema.safeParse(input === undefined ? {} : input, REPORTING);
  if (result.success) return result.data;
  const root = prefix === '' ? [] : [prefix];
  // Worded and located as a configuration file's calendar section: an unknown key at the key,
  // naming the keys allowed there, and an array position as `holidays[1]`.
  throw new ConfigError(issuesToErrors(result.error.issues, root, {}, knownFieldsHint(calendarConfigSchema, root, 'the calendar')));
}
