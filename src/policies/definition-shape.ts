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
export function definitionShapeProblem(definition: unknown): ShapeProblem | undefined {
  if (typeof definition !== 'object' || definition === null) return { message: `definePolicy expects a policy definition object, got ${describeValue(definition)}`, rule: 'invalid-type' };
  const d = definition as Record<string, unknown>;
  if (typeof d['name'] !== 'string') return field('name', d['name'], `definePolicy: name must be a string such as "deflection-loop", got ${describeValue(d['name'])}`);
  const policy = `policy "${d['name']}"`;
  const kinds = d['kinds'];
  if (!Array.isArray(kinds)) return field('kinds', kinds, `${policy}: kinds must be an array of the finding kinds it reports, such as ["${d['name']}.<what>"], got ${describeValue(kinds)}`);
  const notString = kinds.findIndex((k) => typeof k !== 'string');
  if (notString >= 0) return field(`kinds[${notString}]`, kinds[notString], `${policy}: kinds[${notString}] must be a string, got ${describeValue(kinds[notString])}`);
  // A misspelt optional function (`tik`, `summmary`) would otherwise never run, and nothing would say so.
  const unknown = Object.keys(d).filter((key) => !FIELDS.includes(key));
  if (unknown.length > 0) return { message: unknownOptionsMessage(policy, unknown, FIELDS, 'field'), path: unknown[0] as string, rule: 'unknown-field' };
  if (typeof d['initialState'] !== 'function') return field('initialState', d['initialState'], `${policy}: initialState must be a function returning the initial state, got ${describeValue(d['initialState'])}`);
  if (typeof d['evolve'] !== 'function') return field('evolve', d['evolve'], `${policy}: evolve must be a function, got ${describeValue(d['evolve'])}`);
  for (const name of ['tick', 'refresh', 'summary']) {
    if (d[name] !== undefined && typeof d[name] !== 'function') return field(name, d[name], `${policy}: ${name} must be a function when given, got ${describeValue(d[name])}`);
  }
  if (d['options'] !== undefined && !isSchema(d['options'])) return field('options', d['options'], `${policy}: options must be a zod schema, such as z.strictObject({ … }), got ${describeValue(d['options'])}`);
  const events = d['events'];
  if (events === undefined) return undefined;
  if (typeof events !== 'object' || events === null || Array.isArray(events)) {
    return field('events', events, `${policy}: events must be an object of zod schemas keyed by event type, such as { MyEvent: z.strictObject({ … }) }, got ${describeValue(events)}`);
  }
  for (const [type, schema] of Object.entries(events)) {
    if (!isSchema(schema)) return field(`events.${type}`, schema, `${policy}: events.${type} must be a zod schema of the payload, such as z.strictObject({ … }), got ${describeValue(schema)}`);
  }
  return undefined;
}

/** What is wrong with a definition's shape: the message, and the field and rule for UsageError's `path` and `rule`. */
export interface ShapeProblem {
  readonly message: string;
  readonly path?: string;
  readonly rule: string;
}

/** A field of the wrong type: `required` when it is missing, as a schema names it. */
function field(path: string, value: unknown, message: string): ShapeProblem {
  return { message, path, rule: value === undefined ? 'required' : 'invalid-type' };
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

