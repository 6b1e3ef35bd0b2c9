import { UsageError } from '../errors.js';
import { DATE_PATTERN } from './instant.js';

/**
 * The Calendar's refusals of an argument, with UsageError's `path` and `rule`: a program told
 * which argument was wrong, and how, without parsing the message.
 */

/** `isWorkingDay`'s `date` that is no date: `invalid-format`, or `real-date` for one of the form that no calendar has (2024-02-30). */
export function notADate(method: string, date: unknown): UsageError {
  const rule = typeof date === 'string' && DATE_PATTERN.test(date) ? 'real-date' : 'invalid-format';
  return new UsageError(`${method}: "${String(date)}" is not a date YYYY-MM-DD`, { path: 'date', rule });
}

/** `addBusinessMs`'s `ms` that is no finite amount from 0: NaN (or no number) `invalid-type`, infinity `too-big`, a negative one `too-small`. */
export function notAnAmount(ms: unknown): UsageError {
  const rule = typeof ms !== 'number' || Number.isNaN(ms) ? 'invalid-type' : ms === Number.POSITIVE_INFINITY ? 'too-big' : 'too-small';
  return new UsageError(`addBusinessMs: amount must be a finite number >= 0, got ${String(ms)}`, { path: 'ms', rule });
}
