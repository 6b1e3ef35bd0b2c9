import { describeValue } from '../describe-value.js';
import { optionNames, unknownOptionsMessage } from '../option-names.js';
import { coreFindingKinds, type CoreFindingKind } from '../engine/finding.js';
import type { PolicyDefinition } from './define-policy.js';

/**
 * What is wrong with a policy definition: every problem at once, in the order below (its shape,
 * then its name's form and its kinds' rules), so a plugin's author fixes them in one round; empty
 * when it is a good one. Types hold a TypeScript author to the shape; a plugin in plain JavaScript
 * has nothing else, and a missing `evolve` or a schema that is not zod's would otherwise fail far
 * from its cause: on some event of some customer ("policy.evolve is not a function"), or from
 * inside heed ("compiled(...).safeParse is not a function"), naming nothing of the plugin.
 * `isBuiltin`: the kinds must be core kinds (a plugin's must be its own, in its namespace).
 */
export function definitionProblems(definition: unknown, isBuiltin: boolean): ShapeProblem[] {
  if (typeof definition !== 'object' || definition === null) {
    return [{ message: `definePolicy expects a policy definition object, got ${describeValue(definition)}`, part: '', rule: 'invalid-type' }];
  }
  const d = definition as Record<string, unknown>;
  const problems: ShapeProblem[] = [];
  const name = d['name'];
  if (typeof name !== 'string') problems.push(field('name', name, 'definePolicy', `name must be a string such as "deflection-loop", got ${describeValue(name)}`));
  const policy = typeof name === 'string' ? `policy "${name}"` : 'definePolicy';
  const kinds = d['kinds'];
  if (!Array.isArray(kinds)) problems.push(field('kinds', kinds, policy, `kinds must be an array of the finding kinds it reports, such as ["${String(name)}.<what>"], got ${describeValue(kinds)}`));
  else kinds.forEach((k: unknown, i) => typeof k !== 'string' && problems.push(field(`kinds[${i}]`, k, policy, `kinds[${i}] must be a string, got ${describeValue(k)}`)));
  // A misspelt optional function (`tik`, `summmary`) would otherwise never run, and nothing would say so.
  const unknown = Object.keys(d).filter((key) => !FIELDS.includes(key));
  if (unknown.length > 0) {
    const message = unknownOptionsMessage(policy, unknown, FIELDS, 'field', d);
    problems.push({ message, part: message.slice(policy.length + 2), path: unknown[0] as string, rule: 'unknown-field' });
  }
  if (typeof d['initialState'] !== 'function') problems.push(field('initialState', d['initialState'], policy, `initialState must be a function returning the initial state, got ${describeValue(d['initialState'])}`));
  if (typeof d['evolve'] !== 'function') problems.push(field('evolve', d['evolve'], policy, `evolve must be a function, got ${describeValue(d['evolve'])}`));
  for (const fn of ['tick', 'refresh', 'summary']) {
    if (d[fn] !== undefined && typeof d[fn] !== 'function') problems.push(field(fn, d[fn], policy, `${fn} must be a function when given, got ${describeValue(d[fn])}`));
  }
  if (d['options'] !== undefined && !isSchema(d['options'])) problems.push(field('options', d['options'], policy, `options must be a zod schema, such as z.strictObject({ … }), got ${describeValue(d['options'])}`));
  const events = d['events'];
  if (events !== undefined && (typeof events !== 'object' || events === null || Array.isArray(events))) {
    problems.push(field('events', events, policy, `events must be an object of zod schemas keyed by event type, such as { MyEvent: z.strictObject({ … }) }, got ${describeValue(events)}`));
  } else if (events !== undefined) {
    for (const [type, schema] of Object.entries(events)) {
      if (!isSchema(schema)) problems.push(field(`events.${type}`, schema, policy, `events.${type} must be a zod schema of the payload, such as z.strictObject({ … }), got ${describeValue(schema)}`));
    }
  }
  if (typeof name === 'string' && Array.isArray(kinds)) problems.push(...nameAndKindProblems(name, kinds, isBuiltin));
  return problems;
}

/**
 * The rules for a name and its kinds: a name of lowercase words joined by `-`; at least one kind;
 * none a core kind unless built in, each of a plugin's in its namespace (`<name>.<what>`; not held
 * to a name of the wrong form). A kind that is no string was named by the shape's checks.
 */
function nameAndKindProblems(name: string, kinds: readonly unknown[], isBuiltin: boolean): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const policy = `policy "${name}"`;
  const nameOk = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name);
  if (!nameOk) {
    const rule = `must be lowercase letters and digits, words joined by '-' (e.g. "deflection-loop")`;
    problems.push({ message: `policy name "${name}" ${rule}`, part: `name "${name}" ${rule}`, path: 'name', rule: 'invalid-format' });
  }
  if (kinds.length === 0) {
    problems.push({ message: `${policy} must declare the finding kinds it reports`, part: 'kinds must not be empty: declare the finding kinds it reports', path: 'kinds', rule: 'too-small' });
  }
  kinds.forEach((kind, i) => {
    if (typeof kind !== 'string') return;
    const core = (coreFindingKinds as readonly string[]).includes(kind);
    // Checked before the namespace: a plugin named like a core namespace (`promise`, while the
    // built-in is `promises`) would otherwise pass with `promise.broken`.
    if (core && !isBuiltin) {
      const why = `a core kind that the built-in policy "${coreKindPolicies[kind as CoreFindingKind]}" reports: a plugin reports kinds of its own, namespaced as "${name}.<what>"`;
      problems.push({ message: `${policy} declares finding kind "${kind}", ${why}`, part: `kinds[${i}] "${kind}" is ${why}`, path: `kinds[${i}]`, rule: 'invalid-value' });
    } else if (isBuiltin && !core) {
      // A built-in one's kind is one of a list; a plugin's has a form.
      problems.push({ message: `built-in policy "${name}" declares "${kind}", which is not a core finding kind`, part: `kinds[${i}] "${kind}" is not a core finding kind`, path: `kinds[${i}]`, rule: 'invalid-value' });
    } else if (!isBuiltin && nameOk && (!kind.startsWith(`${name}.`) || kind.length === name.length + 1)) {
      const rule = `plugin kinds are namespaced as "${name}.<what>"`;
      problems.push({ message: `${policy} declares finding kind "${kind}": ${rule}`, part: `kinds[${i}] "${kind}" is not namespaced: ${rule}`, path: `kinds[${i}]`, rule: 'invalid-format' });
    }
  });
  return problems;
}

/**
 * One message for a definition's problems, and the first one's field and rule (UsageError's `path`
 * and `rule`): a problem alone in its own words, several as a list after the policy's name.
 */
export function definitionMessage(definition: unknown, problems: readonly ShapeProblem[]): ShapeProblem | undefined {
  const [first] = problems;
  if (first === undefined || problems.length === 1) return first;
  const name = (definition as { name?: unknown }).name;
  const owner = typeof name === 'string' ? `policy "${name}"` : 'definePolicy';
  return { ...first, message: `${owner}: ${problems.length} problems: ${problems.map((p) => p.part).join('; ')}` };
}

/**
 * What is wrong with a definition: its message alone, what a list of several names of it (`part`:
 * `evolve must be a function, got undefined`), and the field and rule for UsageError's `path` and `rule`.
 */
export interface ShapeProblem {
  readonly message: string;
  readonly part: string;
  readonly path?: string;
  readonly rule: string;
}

/**
 * The built-in policy that reports each core kind, named when a plugin declares one. The core kinds
 * are reserved for them: `CoreFindingDetails` types their details exactly (`engine.on('promise.broken',
 * …)`), and a plugin's details of its own under one would make those types lie. Only the core kinds,
 * not their namespaces: a plugin named `promise` may report `promise.reminder`. A `Record` over the
 * core kinds, so a new one does not compile without its policy (the tests check each against the
 * built-in policies' own `kinds`).
 */
const coreKindPolicies: Readonly<Record<CoreFindingKind, string>> = {
  'inattention.gap': 'inattention',
  'promise.at-risk': 'promises',
  'promise.broken': 'promises',
  'promise.kept-late': 'promises',
  'burden.escalated': 'burden',
  'burden.repeated-remedy': 'burden',
  'survey.due': 'survey',
  'survey.mistimed': 'survey',
  'survey.too-late': 'survey',
  'feedback.unanswered': 'feedback',
};

/** A field of the wrong type (`owner`: the policy, in its message alone): `required` when it is missing, as a schema names it. */
function field(path: string, value: unknown, owner: string, part: string): ShapeProblem {
  return { message: `${owner}: ${part}`, part, path, rule: value === undefined ? 'required' : 'invalid-type' };
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

