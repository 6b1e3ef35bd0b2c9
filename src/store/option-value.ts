/** A store option's wrong value as an error message shows it: a string quoted and called one (a version from a request header), anything else as it prints. */
export function optionValue(value: unknown): string {
  return typeof value === 'string' ? `"${value}" (a string)` : String(value);
}
