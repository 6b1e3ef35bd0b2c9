/**
 * The rule a refused whole-number argument broke, as a schema (`z.int().min(…).max(max)`) names
 * it: a value that is no whole number is `invalid-type`, one above `max` (by default the largest
 * safe integer) `too-big`, any other (below the minimum the caller checked) `too-small`. For a
 * UsageError's `rule`, wherever an option or argument must be an integer in a range.
 */
export function integerRule(value: unknown, max = Number.MAX_SAFE_INTEGER): 'invalid-type' | 'too-small' | 'too-big' {
  if (typeof value !== 'number' || !Number.isInteger(value)) return 'invalid-type';
  return value > max ? 'too-big' : 'too-small';
}
