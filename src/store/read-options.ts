import { UsageError } from '../errors.js';
import { checkOptionNames, optionNames } from '../option-names.js';
import type { ReadAllOptions, ReadStreamOptions } from './event-store.js';
import { describeValue } from '../describe-value.js';
import { integerRule } from '../integer-rule.js';

const READ_STREAM_OPTIONS = optionNames<ReadStreamOptions>({ fromVersion: true, limit: true });
const READ_ALL_OPTIONS = optionNames<ReadAllOptions>({ after: true, limit: true });

/**
 * Shared check of the read options, so every store refuses the same values the same way: a
 * negative or fractional `limit` was sliced silently by the in-memory store (`-1`: all but the
 * last event) and failed in PostgreSQL with a driver error (`LIMIT must not be negative`). A name
 * neither knows (`fromversion`) is refused too: it would read from the start. `readStream`'s
 * errors carry the stream as `customerId`.
 */
export function checkReadStreamOptions(options: ReadStreamOptions, customerId: string): void {
  // The stream read, in full, as the error's `customerId` (a string: the option errors come first).
  const about = typeof customerId === 'string' ? { customerId } : {};
  checkOptionNames('readStream', options, READ_STREAM_OPTIONS, {}, about);
  integer('readStream', 'fromVersion', options.fromVersion, false, about);
  integer('readStream', 'limit', options.limit, true, about);
}

export function checkReadAllOptions(options: ReadAllOptions): void {
  checkOptionNames('readAll', options, READ_ALL_OPTIONS);
  integer('readAll', 'after', options.after, false);
  integer('readAll', 'limit', options.limit, true);
}

function integer(method: string, option: string, value: unknown, nonNegative: boolean, about: { readonly customerId?: string } = {}): void {
  if (value === undefined) return;
  if (typeof value === 'number' && Number.isSafeInteger(value) && (!nonNegative || value >= 0)) return;
  throw new UsageError(`${method}: option "${option}" must be ${nonNegative ? 'a non-negative integer' : 'an integer'}, got ${describeValue(value)}`, {
    path: option,
    rule: integerRule(value),
    ...about,
  });
}
