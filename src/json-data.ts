/** Deeper than this, a value is taken for a cycle (JSON.stringify would overflow the stack). */
export const MAX_JSON_DEPTH = 64;

/**
 * JSON data: strings, finite numbers, booleans, `null`, arrays and plain objects of them. What is
 * written as JSON (an event's `data` and `meta` in a store, a finding's details, a plugin's
 * summary) must be, or a Date would become a string or `{}`, a BigInt throw in whoever serialises
 * it, a cycle overflow the stack, and a store in memory keep what PostgreSQL could not. An
 * `undefined` property is allowed (JSON leaves it out); an `undefined` array item is not (JSON
 * would write `null`).
 *
 * This answer is the usual one and is asked on every event appended, so it builds no path and
 * allocates nothing (a depth limit, not a set of seen objects, stops a cycle); `jsonIssue` then
 * says where and what.
 */
export function isJsonData(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= MAX_JSON_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined || !(typeof item === 'string' || isJsonData(item, depth + 1))) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    // A string, most values of a payload, is answered here: no call (and the recursion is not inlined).
    if (typeof item !== 'string' && item !== undefined && !isJsonData(item, depth + 1)) return false;
  }
  return true;
}

/** Where `value` (found at `path`) is not JSON data and why, e.g. `{ path: 'data.items[2]', message: 'is a BigInt, which is not JSON data' }`; undefined for JSON data. */
export function jsonIssue(value: unknown, path: string, depth = 0): { readonly path: string; readonly message: string } | undefined {
  return isJsonData(value, depth) ? undefined : findIssue(value, path, depth);
}

/** `jsonIssue` as one sentence: `data.items[2] is a BigInt, which is not JSON data`. */
export function jsonProblem(value: unknown, path: string, depth: number): string | undefined {
  const issue = jsonIssue(value, path, depth);
  return issue === undefined ? undefined : `${issue.path} ${issue.message}`;
}

function findIssue(value: unknown, path: string, depth: number): { readonly path: string; readonly message: string } | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { path, message: `is ${String(value)}, which JSON cannot hold (it would be written as null)` };
    case 'object':
      break;
    default:
      return { path, message: `is ${typeof value === 'bigint' ? 'a BigInt' : `a ${typeof value}`}, which is not JSON data` };
  }
  if (value === null) return undefined;
  if (depth >= MAX_JSON_DEPTH) return { path, message: `is nested more than ${MAX_JSON_DEPTH} levels deep (a cycle?), which is not JSON data` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) return { path: `${path}[${i}]`, message: 'is undefined, which JSON would write as null' };
      const issue = findIssue(item, `${path}[${i}]`, depth + 1);
      if (issue !== undefined) return issue;
    }
    return undefined;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = value instanceof Date ? 'a Date (give toIso(ms) or epoch ms)' : `an instance of ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'a class'}`;
    return { path, message: `is ${name}, which is not JSON data` };
  }
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    const issue = findIssue(item, `${path}.${key}`, depth + 1);
    if (issue !== undefined) return issue;
  }
  return undefined;
}
