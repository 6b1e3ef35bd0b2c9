/**
 * A value as an error message shows what was given instead of what was expected: scalars as
 * themselves (strings quoted), anything larger by its kind ("an array", "an object", "a
 * function"), never its contents or source, which can be long and say nothing about the mistake.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
