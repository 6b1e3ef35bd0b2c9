/**
 * Local days of one time zone, numbered like `daysFromCivil` (days since 1970-01-01 of the local
 * date). Each day's start instant is computed once with @date-fns/tz (which knows the DST rules) and
 * cached, so mapping an instant to its local day or wall-clock time is plain arithmetic afterwards.
 * A day is "regular" when it is exactly 24 hours long, i.e. no offset change inside it; only on the
 * rare irregular days are wall-clock times converted through the time-zone data again.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { civilFromDays, DAY_MS } from './instant.js';

/** Days per block of the start cache: a block is an array, found by one map lookup (or none, for the last block used). */
const BLOCK = 64;

export class LocalDays {
  readonly timeZone: string;
  /** Day starts by block (`Math.floor(day / BLOCK)`); NaN until computed. */
  readonly #blocks = new Map<number, Float64Array>();
  #lastIndex = Number.NaN;
  #last: Float64Array = new Float64Array(0);

  constructor(timeZone: string) {
    this.timeZone = timeZone;
  }

  /** First instant of local day `day` (00:00, or the first wall time after a DST gap at midnight). */
  start(day: number): number {
    const index = Math.floor(day / BLOCK);
    let block = this.#last;
    if (index !== this.#lastIndex) {
      let found = this.#blocks.get(index);
      if (found === undefined) this.#blocks.set(index, (found = new Float64Array(BLOCK).fill(Number.NaN)));
      this.#last = block = found;
      this.#lastIndex = index;
    }
    const i = day - index * BLOCK;
    let start = block[i] as number;
    if (Number.isNaN(start)) block[i] = start = this.#exactInstant(day, 0);
    return start;
  }

  /** The local day an instant falls in. */
  dayOf(ms: number): number {
    // Zone offsets are within ±1 day, so this starts next to the answer and moves at most a step or
    // two (more only where a zone skipped a whole day, whose start equals the next day's).
    let day = Math.floor(ms / DAY_MS);
    while (ms < this.start(day)) day--;
    while (ms >= this.start(day + 1)) day++;
    return day;
  }

  /** True when the day is exactly 24 hours, so wall-clock time = elapsed time since its start. */
  isRegular(day: number): boolean {
    return this.start(day + 1) - this.start(day) === DAY_MS;
  }

  /** Wall-clock milliseconds since local midnight of `ms`, which falls in local day `day`. */
  wallOfDay(ms: number, day: number): number {
    if (this.isRegular(day)) return ms - this.start(day);
    return Math.round(ms + tzOffset(this.timeZone, new Date(ms)) * 60_000) - day * DAY_MS;
  }

  /**
   * The instant of wall-clock time `wallMs` (0 ≤ wallMs < 24h) on local day `day`. A time skipped by a
   * DST gap moves forward by the gap; a repeated time resolves to its first occurrence.
   */
  instantAt(day: number, wallMs: number): number {
    if (this.isRegular(day)) return this.start(day) + wallMs;
    return this.#exactInstant(day, wallMs);
  }

  #exactInstant(day: number, wallMs: number): number {
    const { year, month, day: date } = civilFromDays(day);
    const hours = Math.floor(wallMs / 3_600_000);
    const minutes = Math.floor(wallMs / 60_000) % 60;
    const seconds = Math.floor(wallMs / 1000) % 60;
    if (year >= 100) {
      return new TZDate(year, month - 1, date, hours, minutes, seconds, wallMs % 1000, this.timeZone).getTime();
    }
    // The Date constructor maps years 0–99 to 1900–1999. Zones had one fixed (local mean time)
    // offset then, so the offset at the wall time read as UTC is the offset that applies.
    const local = day * DAY_MS + wallMs;
    return Math.round(local - tzOffset(this.timeZone, new Date(local)) * 60_000);
  }
}
