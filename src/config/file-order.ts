import type { ValidationError } from '../errors.js';

/**
 * A configuration's problems in file order: by line, then by column where the location has one
 * (a one-line file's problems), problems on one line without a column in the order they were
 * found, problems without a line (a `--plugin` from the command line, a configuration given as an
 * object) last. The checks run section by section, and zod reports a nested object's problems
 * before its parent's unknown keys, so their own order is not the order a reader fixes a file in.
 */
export function inFileOrder(errors: readonly ValidationError[]): ValidationError[] {
  // Array sort is stable: problems at one place keep the order they were found in.
  return [...errors].sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) || (a.column ?? 0) - (b.column ?? 0));
}
