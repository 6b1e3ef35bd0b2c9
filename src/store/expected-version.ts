import { VersionConflictError } from '../errors.js';
import type { ExpectedVersion } from './event-store.js';

/** Shared check so every store applies the same expected-version semantics. */
export function assertExpectedVersion(customerId: string, expected: ExpectedVersion, actual: number): void {
  if (expected === 'any') return;
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
