/** Deeper than this, a value is taken for a cycle (JSON.stringify would overflow the stack). */
const MAX_DEPTH = 64;

/**
 * Where `value` is not JSON data, or undefined: a finding's details and a plugin's summaries are
 * written as JSON (the CLI, the findings and summaries tables), so a Date would become `{}`, a
 * BigInt would throw in whoever serialises it, and a cycle would overflow the stack, all far from
 * the policy that made it. An `undefined` property is allowed (JSON leaves it out); an
 * `undefined` array item is not (JSON would write `null`).
 */
export function jsonProblem(value: unknown, path: string, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${String(value)}, which JSON cannot hold (it would be written as null)`;
    case 'object':
      break;
    default:
      return `${path} is ${typeof value === 'bigint' ? 'a BigInt' : `a ${typeof value}`}, which is not JSON data`;
  }
  if (value === null) return undefined;
  if (depth >= MAX_DEPTH) return `${path} is nested more than ${MAX_DEPTH} levels deep (a cycle?), which is not JSON data`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) return `${path}[${i}] is undefined, which JSON would write as null`;
      const problem = jsonProblem(item, `${path}[${i}]`, depth + 1);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = value instanceof Date ? 'a Date (give toIso(ms) or epoch ms)' : `an instance of ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'a class'}`;
    return `${path} is ${name}, which is not JSON data`;
  }
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    const problem = jsonProblem(item, `${path}.${key}`, depth + 1);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
