import type { ValidationError } from '../errors.js';

/**
 * A configuration's problems in file order: by line, problems on one line in the order they were
 * found, problems without a line (a `--plugin` from the command line, a configuration given as an
 * object) last. The checks run section by section, and zod reports a nested object's problems
 * before its parent's unknown keys, so their own order is not the order a reader fixes a file in.
 */
export function inFileOrder(errors: readonly ValidationError[]): ValidationError[] {
  return errors
    .map((error, i) => ({ error, i }))
    .sort((a, b) => (a.error.line ?? Number.MAX_SAFE_INTEGER) - (b.error.line ?? Number.MAX_SAFE_INTEGER) || a.i - b.i)
    .map(({ error }) => error);
}
