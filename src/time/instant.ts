/**
 * Instants: parsing the ISO-8601 forms heed accepts (`at`, `dueBy`, ...) into epoch milliseconds,
 * and the one canonical form heed prints. Pure arithmetic, no time-zone data: a date-time must carry
 * `Z` or an offset; date-only values are resolved by the calendar (`Calendar.startOfDate`).
 */

/** Milliseconds in a 24-hour day (a UTC day; local days may be 23 or 25 hours). */
export const DAY_MS = 86_400_000;

/**
 * `YYYY-MM-DDTHH:MM[:SS[.fff…]]` followed by `Z`, `±HH:MM` or `±HHMM`. Range checks (month 13, Feb 30)
 * are done by `parseDateTime`; a regex cannot express them.
 */
export const DATE_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/** `YYYY-MM-DD`. Whether it is a real date is checked by `parseDate`. */
export const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * ISO-8601 date-time with `Z` or an offset → epoch ms; undefined if not that form or out of range.
 * Accepts exactly what `DATE_TIME_PATTERN` matches (plus the range checks), read character by
 * character: every event's `at` and every instant in its data goes through here, and a regex match
 * with its capture strings and a date object per call was most of validation's cost.
 */
export function parseDateTime(text: string): number | undefined {
  const n = text.length;
  // `YYYY-MM-DDTHH:MM` then at least `Z`: 17 characters.
  if (n < 17 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH || text.charCodeAt(10) !== LETTER_T || text.charCodeAt(13) !== COLON) {
    return undefined;
  }
  // Fixed positions read in line (no loop, no call): before the optimising compiler has run, each
  // call and loop turn is paid in full, and a store checks the `at` of every event appended.
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0) return undefined;
  let i = 16;
  let second = 0;
  let millis = 0;
  if (text.charCodeAt(16) === COLON) {
    second = two(text, 17);
    if (second < 0) return undefined;
    i = 19;
    if (text.charCodeAt(19) === DOT) {
      const start = ++i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      const count = i - start;
      if (count < 1 || count > 9) return undefined;
      // Sub-millisecond digits are truncated: epoch ms is the resolution heed works in.
      millis = digits(text, start, Math.min(count, 3)) * (count === 1 ? 100 : count === 2 ? 10 : 1);
    }
  }
  // `Z` at the end, the usual case, read here; offsets by `offsetAt`.
  const offset = i + 1 === n && text.charCodeAt(i) === LETTER_Z ? 0 : offsetAt(text, i);
  if (offset === undefined) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const local = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return local - offset * 60_000;
}

/**
 * The value of the two ASCII digits at `i`, or -1e6 if either is not a digit or is past the end:
 * negative enough that a year built of two pairs is negative too.
 */
function two(text: string, i: number): number {
  const tens = text.charCodeAt(i) - 0x30;
  const units = text.charCodeAt(i + 1) - 0x30;
  // NaN past the end fails both comparisons.
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : -1e6;
}

const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;
const PLUS = 0x2b;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The value of `count` ASCII digits at `start`, or -1 if any is not a digit (or is past the end). */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i); // NaN past the end: not a digit
    if (!(code >= 0x30 && code <= 0x39)) return -1;
    value = value * 10 + (code - 0x30);
  }
  return value;
}

/** `Z`, `±HH:MM` or `±HHMM` from `i` to the end of `text` → minutes east of UTC; undefined otherwise. */
function offsetAt(text: string, i: number): number | undefined {
  const n = text.length;
  const sign = text.charCodeAt(i);
  if (sign === LETTER_Z) return i + 1 === n ? 0 : undefined;
  if (sign !== PLUS && sign !== DASH) return undefined;
  const colon = text.charCodeAt(i + 3) === COLON ? 1 : 0;
  if (i + 5 + colon !== n) return undefined;
  const hours = digits(text, i + 1, 2);
  const minutes = digits(text, i + 3 + colon, 2);
  if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) return undefined;
  return (sign === DASH ? -1 : 1) * (hours * 60 + minutes);
}

/** `YYYY-MM-DD` → its parts when a real calendar date, else undefined. */
export function parseDate(text: string): { year: number; month: number; day: number } | undefined {
  const m = DATE_PATTERN.exec(text);
  if (m === null) return undefined;
  return civil(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** 0000-01-01T00:00:00.000Z and 10000-01-01T00:00:00.000Z: the years printed with four digits. */
const FOUR_DIGIT_YEARS_FROM = -62_167_219_200_000;
const FOUR_DIGIT_YEARS_UNTIL = 253_402_300_800_000;
const ZERO = 48;

/**
 * A number that orders as `toIso(ms)` orders as text: the whole millisecond `toIso` prints, for
 * years 0000–9999 (fixed-width text sorts chronologically), else NaN (six-digit years and signs
 * sort differently as text; compare the text then).
 */
export function isoOrderKey(ms: number): number {
  return ms >= FOUR_DIGIT_YEARS_FROM && ms < FOUR_DIGIT_YEARS_UNTIL ? Math.trunc(ms) : Number.NaN;
}

/**
 * `new Date(ms).toISOString()`: the one canonical form heed prints. Every finding carries a few,
 * so the usual case (whole milliseconds, years 0000–9999) is plain arithmetic, several times
 * faster than going through a `Date`; the result is one flat string (no concatenation pieces
 * kept alive with the finding). Other instants go through `Date` (six-digit years, RangeError).
 */
export function toIso(ms: number): string {
  if (!(ms >= FOUR_DIGIT_YEARS_FROM && ms < FOUR_DIGIT_YEARS_UNTIL) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  // Findings print the same few instants again and again (a detection time, the event's time):
  // the last text per slot is kept, slots chosen by the minute.
  const slot = Math.floor(ms / 60_000) & (ISO_SLOTS - 1);
  if (isoKeys[slot] === ms) return isoTexts[slot] as string;
  const text = isoText(ms);
  isoKeys[slot] = ms;
  isoTexts[slot] = text;
  return text;
}

const ISO_SLOTS = 1024;
const isoKeys = new Float64Array(ISO_SLOTS).fill(Number.NaN);
const isoTexts: string[] = new Array<string>(ISO_SLOTS).fill('');

function isoText(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const { year, month, day } = civilFromDays(days);
  const rest = ms - days * DAY_MS;
  const hour = Math.floor(rest / 3_600_000);
  const minute = Math.floor(rest / 60_000) % 60;
  const second = Math.floor(rest / 1000) % 60;
  const milli = rest % 1000;
  return String.fromCharCode(
    ZERO + Math.floor(year / 1000),
    ZERO + (Math.floor(year / 100) % 10),
    ZERO + (Math.floor(year / 10) % 10),
    ZERO + (year % 10),
    45, // -
    ZERO + Math.floor(month / 10),
    ZERO + (month % 10),
    45,
    ZERO + Math.floor(day / 10),
    ZERO + (day % 10),
    84, // T
    ZERO + Math.floor(hour / 10),
    ZERO + (hour % 10),
    58, // :
    ZERO + Math.floor(minute / 10),
    ZERO + (minute % 10),
    58,
    ZERO + Math.floor(second / 10),
    ZERO + (second % 10),
    46, // .
    ZERO + Math.floor(milli / 100),
    ZERO + (Math.floor(milli / 10) % 10),
    ZERO + (milli % 10),
    90, // Z
  );
}

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  // Every operation runs whatever the month and year: one first reached on the first February (or
  // the first leap year) would have no type feedback, and the optimised code of every parse that
  // inlines this would be thrown away there, in the middle of a stream of events.
  const leap = (year % 4 === 0 ? 1 : 0) - (year % 100 === 0 ? 1 : 0) + (year % 400 === 0 ? 1 : 0);
  const days = month === 2 ? 28 : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return days + (month === 2 ? leap : 0);
}

/**
 * Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). Plain arithmetic rather than
 * `Date.UTC`, which maps years 0–99 to 1900–1999.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Inverse of `daysFromCivil`. */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** `YYYY-MM-DD` of a civil date. */
export function formatCivil(date: CivilDate): string {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

function civil(year: number, month: number, day: number): CivilDate | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}
