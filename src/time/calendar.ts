/**
 * The business calendar: a time zone, weekly business hours and holidays, and arithmetic on two
 * clocks. On the `calendar` clock time is wall-clock time in the zone (a day is a local calendar
 * day, 23 or 25 hours across a DST change). On the `business` clock only business hours count:
 * `PT4H` is four working hours and `P2D` is the same local time two working days later, counted
 * from the next business instant (Fri 16:00 → Tue 16:00; Sat 12:00 → Mon 09:00 → Wed 09:00).
 * A date without a time (`2017-11-23`) means 00:00 of that date in the zone.
 *
 * Defaults (see calendar-config.ts): zone `UTC`, mon–fri 09:00–17:00, sat/sun closed, no holidays.
 * Business hours are local wall-clock times converted per day, so they stay 09:00–17:00 across DST.
 *
 * Each local day's start and opening/closing instants are computed once and cached in arrays per
 * block of days, with each block's business total once all its days are known; per-call work is
 * epoch arithmetic on those (no time-zone lookups per call, and no loop over whole blocks).
 */
import { TZDate } from '@date-fns/tz';
import { add as addCalendarUnits } from 'date-fns';
import { UsageError } from '../errors.js';
import {
  minutesOfDay,
  parseCalendarConfig,
  WEEKDAYS,
  type BusinessHours,
  type CalendarConfig,
  type CalendarConfigInput,
} from './calendar-config.js';
import { hmsMs, type Clock, type Duration } from './duration.js';
import { civilFromDays, daysFromCivil, daysInMonth, formatCivil, parseDate, parseDateTime } from './instant.js';
import { LocalDays } from './local-days.js';
import { notADate, notAnAmount } from './calendar-arguments.js';

/** Business hours of one local day as instants: [open, close). */
interface Window {
  readonly open: number;
  readonly close: number;
}

/**
 * Business hours of a block of consecutive local days, as arrays (a closed day has
 * open = close = 0), each day filled when first needed, and the block's total once every day
 * is known. `known[i]` is 1 once day `first + i` is filled.
 */
interface WindowBlock {
  readonly first: number;
  readonly open: Float64Array;
  readonly close: Float64Array;
  readonly known: Uint8Array;
  /** Business ms of the whole block; NaN until computed. */
  total: number;
}

const BLOCK = 64;
const MINUTE_MS = 60_000;

export class Calendar {
  readonly timeZone: string;
  readonly businessHours: BusinessHours;
  readonly holidays: readonly string[];

  readonly #days: LocalDays;
  /** Opening and closing wall-clock ms per weekday (index 0 = Sunday), null when closed. */
  readonly #hours: readonly (readonly [number, number] | null)[];
  readonly #holidayDays: ReadonlySet<number>;
  readonly #blocks = new Map<number, WindowBlock>();
  #lastBlock: WindowBlock | undefined;
  readonly #dateTexts = new Map<number, string>();

  /** Validates `config`; throws ConfigError naming each problem's path (`calendar.businessHours.mon`). */
  constructor(config?: CalendarConfigInput) {
    const resolved = parseCalendarConfig(config);
    this.timeZone = resolved.timeZone;
    this.businessHours = Object.freeze({ ...resolved.businessHours });
    this.holidays = Object.freeze([...resolved.holidays]);
    this.#days = new LocalDays(this.timeZone);
    this.#hours = WEEKDAYS.map((day) => {
      const hours = this.businessHours[day];
      return hours === null ? null : ([minutesOfDay(hours[0]) * MINUTE_MS, minutesOfDay(hours[1]) * MINUTE_MS] as const);
    });
    this.#holidayDays = new Set(
      this.holidays.map((text, i) => {
        const date = parseDate(text);
        // The schema has already rejected dates that are not real.
        if (date === undefined) throw new UsageError(`invalid holiday ${text}`, { path: `holidays[${i}]`, rule: 'real-date' });
        return daysFromCivil(date.year, date.month, date.day);
      }),
    );
  }

  /** The resolved configuration, defaults filled in. */
  toJSON(): CalendarConfig {
    return { timeZone: this.timeZone, businessHours: this.businessHours, holidays: this.holidays };
  }

  /** `YYYY-MM-DD` → 00:00 local time (DST-correct), or undefined if not a real date. */
  startOfDate(date: string): number | undefined {
    const parsed = parseDate(date);
    return parsed === undefined ? undefined : this.#days.start(daysFromCivil(parsed.year, parsed.month, parsed.day));
  }

  /** A date-time with `Z` or an offset, or a date meaning its local midnight; undefined if neither. */
  parseInstant(text: string): number | undefined {
    return parseDateTime(text) ?? this.startOfDate(text);
  }

  /** The local date `YYYY-MM-DD` of an instant. */
  localDate(ms: number): string {
    return formatCivil(civilFromDays(this.#days.dayOf(ms)));
  }

  /** True when the local date has business hours and is not a holiday. */
  isWorkingDay(date: string): boolean {
    const parsed = parseDate(date);
    if (parsed === undefined) throw notADate('isWorkingDay', date);
    return this.#window(daysFromCivil(parsed.year, parsed.month, parsed.day)) !== null;
  }

  /** True inside [open, close) of a working day. */
  isBusinessTime(ms: number): boolean {
    const day = this.#days.dayOf(ms);
    const block = this.#block(day);
    const i = day - block.first;
    this.#fill(block, i);
    // A closed day has open = close: nothing is inside.
    return ms >= (block.open[i] as number) && ms < (block.close[i] as number);
  }

  /** Business milliseconds in [a, b); 0 when b <= a. */
  businessMsBetween(a: number, b: number): number {
    if (!(b > a)) return 0;
    const first = this.#days.dayOf(a);
    const last = this.#days.dayOf(b);
    let block = this.#block(first);
    let i = first - block.first;
    this.#fill(block, i);
    if (first === last) return clamp(block, i, a, b);
    // The first day counts from a to its closing, the last from its opening to b, the days
    // between in full (each day's hours end before the next day starts).
    let total = clamp(block, i, a, Number.POSITIVE_INFINITY);
    block = this.#block(last);
    i = last - block.first;
    this.#fill(block, i);
    total += clamp(block, i, Number.NEGATIVE_INFINITY, b);
    return total + this.#fullDays(first + 1, last);
  }

  /**
   * Earliest t >= a with businessMsBetween(a, t) >= ms: when the amount runs out exactly at a
   * closing time, the result is that closing time, not the next opening.
   */
  addBusinessMs(a: number, ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw notAnAmount(ms);
    if (ms === 0) return a;
    let remaining = ms;
    // Terminates: the schema guarantees at least one open weekday, and holidays are finite.
    for (let day = this.#days.dayOf(a); ; day++) {
      const block = this.#block(day);
      const i = day - block.first;
      this.#fill(block, i);
      const open = block.open[i] as number;
      const close = block.close[i] as number;
      if (!(open < close)) continue;
      const from = Math.max(a, open);
      if (from >= close) continue;
      const available = close - from;
      if (remaining <= available) return from + remaining;
      remaining -= available;
    }
  }

  /** Elapsed ms from a to b (never negative): wall-clock on 'calendar', business time on 'business'. */
  elapsedMs(a: number, b: number, clock: Clock): number {
    return clock === 'calendar' ? Math.max(0, b - a) : this.businessMsBetween(a, b);
  }

  /**
   * a + d on a clock.
   * - calendar: years, months, weeks and days are calendar units in the zone (wall-clock time kept,
   *   so P1D across a DST change is 23 or 25 hours); hours, minutes and seconds are exact.
   * - business: years, months and weeks are calendar units, then rolled forward to business hours;
   *   days are working days (the same local time on the D-th next working day, counted after
   *   rolling `a` into business hours, clamped into that day's hours); then hours, minutes and
   *   seconds as business time.
   */
  add(a: number, d: Duration, clock: Clock): number {
    const months = d.years * 12 + d.months;
    if (clock === 'calendar') return this.#addCalendarDays(a, months, d.weeks * 7 + d.days) + hmsMs(d);
    let t = a;
    if (months !== 0 || d.weeks !== 0) t = this.#nextBusinessInstant(this.#addCalendarDays(t, months, d.weeks * 7));
    if (d.days !== 0) t = this.#addWorkingDays(t, d.days);
    return this.addBusinessMs(t, hmsMs(d));
  }

  /**
   * "Tue 21 Nov 2017 17:00" in the calendar's zone. Policies put this in every finding message, so
   * it is arithmetic on the cached local days (what date-fns `format` of a TZDate with
   * 'EEE d MMM yyyy HH:mm' prints, without a time-zone lookup per call).
   */
  format(ms: number): string {
    const day = this.#days.dayOf(ms);
    const minutes = Math.floor(this.#days.wallOfDay(ms, day) / MINUTE_MS);
    return `${this.#dateText(day)} ${clockText(minutes)}`;
  }

  /** "Tue 21 Nov 2017" in the calendar's zone. */
  formatDate(ms: number): string {
    return this.#dateText(this.#days.dayOf(ms));
  }

  /** `dateText` of a local day, kept per day: messages name the same few days again and again. */
  #dateText(day: number): string {
    let text = this.#dateTexts.get(day);
    if (text === undefined) this.#dateTexts.set(day, (text = dateText(day)));
    return text;
  }

  /** Business hours of a local day as instants, or null if closed (weekday without hours, holiday). */
  #window(day: number): Window | null {
    const block = this.#block(day);
    const i = day - block.first;
    this.#fill(block, i);
    const open = block.open[i] as number;
    const close = block.close[i] as number;
    return open < close ? { open, close } : null;
  }

  /** Business ms of every day in [from, to), whole. */
  #fullDays(from: number, to: number): number {
    let total = 0;
    for (let day = from; day < to; ) {
      const block = this.#block(day);
      const start = day - block.first;
      const end = Math.min(to - block.first, BLOCK);
      if (start === 0 && end === BLOCK) {
        // The loop below would fill every day of the block anyway: keep its total for next time.
        if (Number.isNaN(block.total)) block.total = this.#sumDays(block, 0, BLOCK);
        total += block.total;
      } else {
        total += this.#sumDays(block, start, end);
      }
      day = block.first + end;
    }
    return total;
  }

  /** The block of `day`, created empty when new. */
  #block(day: number): WindowBlock {
    const last = this.#lastBlock;
    if (last !== undefined && day >= last.first && day < last.first + BLOCK) return last;
    const index = Math.floor(day / BLOCK);
    let block = this.#blocks.get(index);
    if (block === undefined) {
      block = { first: index * BLOCK, open: new Float64Array(BLOCK), close: new Float64Array(BLOCK), known: new Uint8Array(BLOCK), total: Number.NaN };
      this.#blocks.set(index, block);
    }
    this.#lastBlock = block;
    return block;
  }

  /** Compute day `first + i`'s business hours into its block, once. */
  #fill(block: WindowBlock, i: number): void {
    if (block.known[i] === 1) return;
    const day = block.first + i;
    // Day 0 (1970-01-01) was a Thursday.
    const hours = this.#hours[(((day + 4) % 7) + 7) % 7];
    if (hours !== undefined && hours !== null && !this.#holidayDays.has(day)) {
      const days = this.#days;
      const start = days.start(day);
      const end = days.start(day + 1);
      // Clamped to the day so a window never leaks into a neighbour where DST moved the wall clock.
      const open = Math.max(start, days.instantAt(day, hours[0]));
      const close = Math.min(end, hours[1] >= 86_400_000 ? end : days.instantAt(day, hours[1]));
      if (open < close) {
        block.open[i] = open;
        block.close[i] = close;
      }
    }
    block.known[i] = 1;
  }

  /** Business ms of days [start, end) of a block, filling them as needed. */
  #sumDays(block: WindowBlock, start: number, end: number): number {
    let total = 0;
    for (let i = start; i < end; i++) {
      this.#fill(block, i);
      total += (block.close[i] as number) - (block.open[i] as number);
    }
    return total;
  }

  /** a itself during business hours, else the next opening. */
  #nextBusinessInstant(a: number): number {
    for (let day = this.#days.dayOf(a); ; day++) {
      const window = this.#window(day);
      if (window !== null && a < window.close) return Math.max(a, window.open);
    }
  }

  /** The same local time on the n-th next working day, clamped into that day's hours. */
  #addWorkingDays(a: number, n: number): number {
    const from = this.#nextBusinessInstant(a);
    let day = this.#days.dayOf(from);
    const wall = this.#days.wallOfDay(from, day);
    let window: Window | null = null;
    for (let left = n; left > 0; ) {
      day++;
      window = this.#window(day);
      if (window !== null) left--;
    }
    if (window === null) return from;
    return Math.min(window.close, Math.max(window.open, this.#days.instantAt(day, wall)));
  }

  /**
   * Calendar months, then days, keeping the wall-clock time (date-fns `add` semantics: a month
   * addition clamps to the month's last day). Done with cached day starts when no day involved has a
   * DST change; otherwise date-fns on a TZDate settles the wall-clock time.
   */
  #addCalendarDays(a: number, months: number, days: number): number {
    if (months === 0 && days === 0) return a;
    const local = this.#days;
    const fromDay = local.dayOf(a);
    let toDay = fromDay;
    if (months !== 0) {
      const { year, month, day } = civilFromDays(fromDay);
      const index = year * 12 + (month - 1) + months;
      const y = Math.floor(index / 12);
      const m = index - y * 12 + 1;
      toDay = daysFromCivil(y, m, Math.min(day, daysInMonth(y, m)));
    }
    const monthDay = toDay;
    toDay += days;
    // date-fns adds months, then days: a wall time skipped by DST on the month step stays shifted,
    // so the intermediate day must be regular too for the shortcut to give the same result.
    if (local.isRegular(fromDay) && local.isRegular(monthDay) && local.isRegular(toDay)) {
      return local.start(toDay) + (a - local.start(fromDay));
    }
    return addCalendarUnits(new TZDate(a, this.timeZone), { months, days }).getTime();
  }
}

/** Business ms of day `i` of a filled block inside [a, b). */
function clamp(block: WindowBlock, i: number, a: number, b: number): number {
  const from = Math.max(a, block.open[i] as number);
  const to = Math.min(b, block.close[i] as number);
  return to > from ? to - from : 0;
}

const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** "Tue 21 Nov 2017" of a local day (date-fns 'EEE d MMM yyyy': the year of the era, 4 digits at least). */
function dateText(day: number): string {
  const { year, month, day: date } = civilFromDays(day);
  // Day 0 (1970-01-01) was a Thursday.
  const weekday = WEEKDAY_NAMES[(((day + 4) % 7) + 7) % 7] as string;
  return `${weekday} ${date} ${MONTH_NAMES[month - 1] as string} ${pad(year > 0 ? year : 1 - year, 4)}`;
}

/** "HH:MM" of every minute of a day, made on first use. */
let clockTexts: string[] | undefined;

/** "17:00" for 1020 minutes after midnight (wall-clock minutes of a day, 0–1439; more on a 25-hour day). */
function clockText(minutes: number): string {
  clockTexts ??= Array.from({ length: 1440 }, (_, m) => `${pad(Math.floor(m / 60), 2)}:${pad(m % 60, 2)}`);
  return clockTexts[minutes] ?? `${pad(Math.floor(minutes / 60), 2)}:${pad(minutes % 60, 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
