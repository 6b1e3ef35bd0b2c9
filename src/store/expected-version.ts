import { UsageError, VersionConflictError } from '../errors.js';
import { describeValue } from '../describe-value.js';
import type { ExpectedVersion } from './event-store.js';
import { quoteId } from '../quote-id.js';

/**
 * Shared check so every store applies the same expected-version semantics. A value no stream can
 * ever be at (a negative or fractional number, NaN, a numeric string passed through from a
 * request) is the caller's mistake, a UsageError: a VersionConflictError would tell it to reload
 * and retry, which can never succeed.
 */
export function assertExpectedVersion(customerId: string, expected: ExpectedVersion, actual: number): void {
  if (expected === 'any') return;
  if (!isExpectedVersion(expected)) {
    throw new UsageError(
      `append to stream ${quoteId(customerId)}: option "expectedVersion" must be a stream version (an integer from 0), "any", "no-stream" or "stream-exists", got ${describeValue(expected)}`,
      // `invalid-union`: the rule for a value fitting none of the allowed forms, as a schema names it.
      { path: 'expectedVersion', rule: 'invalid-union', customerId },
    );
  }
  if (expected === 'no-stream' || expected === 0) {
    if (actual !== 0) throw new VersionConflictError(customerId, expected, actual);
    return;
  }
  if (expected === 'stream-exists') {
    if (actual === 0) throw new VersionConflictError(customerId, expected, actual);
    return;
  }
  if (actual !== expected) throw new VersionConflictError(customerId, expected, actual);
}

/** A value `expectedVersion` may take (whatever a caller's types allowed through). */
export function isExpectedVersion(expected: unknown): expected is ExpectedVersion {
  if (typeof expected === 'number') return Number.isSafeInteger(expected) && expected >= 0;
  return expected === 'any' || expected === 'no-stream' || expected === 'stream-exists';
}
