import { describeValue } from '../describe-value.js';
import { optionNames, unknownOptionsMessage } from '../option-names.js';
import type { PolicyDefinition } from './define-policy.js';

/**
 * What is wrong with the shape of a policy definition, or undefined. Types hold a TypeScript
 * author to the shape; a plugin in plain JavaScript has nothing else, and a missing `evolve` or a
 * schema that is not zod's would otherwise fail far from its cause: on some event of some customer
 * ("policy.evolve is not a function"), or from inside heed ("compiled(...).safeParse is not a
 * function"), naming nothing of the plugin. The name and kinds are checked further by
 * `definePolicy` (their pattern and namespace).
 */
export function definitionShapeProblem(definition: unknown): string | undefined {
  if (typeof definition !== 'object' || definition === null) return `definePolicy expects a policy definition object, got ${describeValue(definition)}`;
  const d = definition as Record<string, unknown>;
  if (typeof d['name'] !== 'string') return `definePolicy: name must be a string such as "deflection-loop", got ${describeValue(d['name'])}`;
  const policy = `policy "${d['name']}"`;
  const kinds = d['kinds'];
  if (!Array.isArray(kinds)) return `${policy}: kinds must be an array of the finding kinds it reports, such as ["${d['name']}.<what>"], got ${describeValue(kinds)}`;
  const notString = kinds.findIndex((k) => typeof k !== 'string');
  if (notString >= 0) return `${policy}: kinds[${notString}] must be a string, got ${describeValue(kinds[notString])}`;
  // A misspelt optional function (`tik`, `summmary`) would otherwise never run, and nothing would say so.
  const unknown = Object.keys(d).filter((key) => !FIELDS.includes(key));
  if (unknown.length > 0) return unknownOptionsMessage(policy, unknown, FIELDS, 'field');
  if (typeof d['initialState'] !== 'function') return `${policy}: initialState must be a function returning the initial state, got ${describeValue(d['initialState'])}`;
  if (typeof d['evolve'] !== 'function') return `${policy}: evolve must be a function, got ${describeValue(d['evolve'])}`;
  for (const name of ['tick', 'refresh', 'summary']) {
    if (d[name] !== undefined && typeof d[name] !== 'function') return `${policy}: ${name} must be a function when given, got ${describeValue(d[name])}`;
  }
  if (d['options'] !== undefined && !isSchema(d['options'])) return `${policy}: options must be a zod schema, such as z.strictObject({ … }), got ${describeValue(d['options'])}`;
  const events = d['events'];
  if (events === undefined) return undefined;
  if (typeof events !== 'object' || events === null || Array.isArray(events)) {
    return `${policy}: events must be an object of zod schemas keyed by event type, such as { MyEvent: z.strictObject({ … }) }, got ${describeValue(events)}`;
  }
  for (const [type, schema] of Object.entries(events)) {
    if (!isSchema(schema)) return `${policy}: events.${type} must be a zod schema of the payload, such as z.strictObject({ … }), got ${describeValue(schema)}`;
  }
  return undefined;
}

/** The fields of a policy definition (a compile error if this list and the interface drift apart). */
const FIELDS = optionNames<PolicyDefinition>({
  name: true,
  description: true,
  options: true,
  events: true,
  kinds: true,
  initialState: true,
  evolve: true,
  tick: true,
  refresh: true,
  summary: true,
});

/**
 * A schema heed can parse with: what it calls is `safeParse`. Duck-typed, not `instanceof`: the
 * plugin's zod is often another copy than heed's (its own node_modules, zod/v3, zod/mini).
 */
function isSchema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

