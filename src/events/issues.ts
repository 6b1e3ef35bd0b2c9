import type * as z from 'zod';
import { ValidationError, type ProblemLocation } from '../errors.js';
import { ZOD_RULES } from './rules.js';
import { shortenText } from '../quote-id.js';

/**
 * Options for every parse whose issues become heed errors (`schema.safeParse(value, REPORTING)`).
 * `reportInput` keeps the offending value in each issue: zod 4 drops it by default, and without it a
 * present value of the wrong type is indistinguishable from a missing one. `error` words zod's
 * built-in checks in heed's terms; a message the schema gives itself still wins (zod asks the
 * schema's own error map first). The hot path that only asks "valid?" passes neither, for speed.
 */
export const REPORTING: z.core.ParseContext<z.core.$ZodIssue> = { reportInput: true, error: heedMessage };

/**
 * Turn zod issues into heed's `ValidationError`s: a dotted field path, a rule name and a message
 * a CRM developer understands without knowing zod. The issues must come from a parse with
 * `REPORTING`. `unknownFieldHint` follows "unknown field": one text, or one per unknown key, from
 * the path of the object it is in (within the schema), the key and that object as given
 * (`knownFieldsHint` reads the path only).
 */
export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[],
  location: ProblemLocation,
  unknownFieldHint: string | ((parent: readonly PropertyKey[], key: string, given: unknown) => string) = '',
): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      // One error per unknown key, pointing at the key itself.
      for (const key of issue.keys) {
        const hint = typeof unknownFieldHint === 'string' ? unknownFieldHint : unknownFieldHint(issue.path, key, issue.input);
        errors.push(
          new ValidationError({
            ...location,
            path: joinPath([...prefix, ...issue.path, key]),
            rule: ZOD_RULES.unrecognized_keys,
            message: `unknown field${hint}`,
          }),
        );
      }
      continue;
    }
    errors.push(
      new ValidationError({
        ...location,
        path: joinPath([...prefix, ...issue.path]),
        rule: issueRule(issue),
        message: issue.message,
      }),
    );
  }
  return errors;
}

export function joinPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * The rule of an issue: heed's own name from a refinement's `params.rule`, `required` for a missing
 * field, else zod's issue code in heed's kebab-case (`invalid_type` → `invalid-type`, see
 * `VALIDATION_RULES`). An issue parsed without `reportInput` has no `input` key at all; that is
 * never taken for a missing field.
 */
export function issueRule(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') {
    const rule = (issue.params as { rule?: unknown } | undefined)?.rule;
    if (typeof rule === 'string') return rule;
  }
  if (isMissing(issue)) return 'required';
  return ZOD_RULES[issue.code];
}

function isMissing(issue: { readonly code?: string; readonly input?: unknown }): boolean {
  const typeCheck = issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union';
  return typeCheck && 'input' in issue && issue.input === undefined;
}

/** heed's wording of zod's built-in checks; `undefined` (custom refinements) keeps the schema's message. */
function heedMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const missing = isMissing(issue);
  switch (issue.code) {
    case 'invalid_type':
      return typeProblem(typeName(issue.expected), missing ? undefined : issue.input).message;
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
      const rule = issue.values.length === 1 ? `must be ${allowed}` : `must be one of ${allowed}`;
      return missing ? `required field is missing (${rule.replace('must be', 'expected')})` : `${rule}; got ${describe(issue.input)}`;
    }
    case 'invalid_union': {
      // Name the types the branches wanted when each failed on the type alone.
      const wanted = issue.errors.map((branch) => (branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0 ? typeName(branch[0].expected) : undefined));
      const types = wanted.every((t) => t !== undefined) && wanted.length > 0 ? [...new Set(wanted)].join(' or ') : undefined;
      if (missing) return `required field is missing${types === undefined ? '' : ` (expected ${types})`}`;
      return types === undefined ? `matches none of the allowed forms; got ${describe(issue.input)}` : `expected ${types}, got ${describe(issue.input, true)}`;
    }
    case 'too_small':
      return bound(['at least', 'greater than'], issue.origin, issue.minimum, issue.inclusive, issue.exact, issue.input);
    case 'too_big':
      return bound(['at most', 'less than'], issue.origin, issue.maximum, issue.inclusive, issue.exact, issue.input);
    case 'invalid_format':
      return `${formatRule(issue.format, issue.pattern, issue)}; got ${describe(issue.input)}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}; got ${describe(issue.input)}`;
    case 'invalid_key':
      return `invalid key ${describe(issue.input)}`;
    case 'invalid_element':
      return `invalid entry ${describe(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    default:
      return undefined;
  }
}

/**
 * A value of the wrong type where a field of type `expected` belongs (`undefined`: the field is
 * missing), as the engine's validation words it: the one wording for the stores' own checks of an
 * event's envelope too (store/event-input.ts), so a bad customer id reads alike wherever it is refused.
 */
export function typeProblem(expected: string, value: unknown): { readonly rule: 'required' | 'invalid-type'; readonly message: string } {
  if (value === undefined) return { rule: 'required', message: `required field is missing (expected ${expected})` };
  return { rule: 'invalid-type', message: `expected ${expected}, got ${describe(value, true)}` };
}

function typeName(expected: string): string {
  if (expected === 'record') return 'object';
  if (expected === 'int') return 'integer';
  return expected;
}

/** "must not be empty", "must have at least 2 items; got 1", "must be at most 10; got 12". */
function bound(words: readonly [string, string], origin: string, limit: number | bigint, inclusive = true, exact = false, input: unknown): string {
  const how = exact ? 'exactly' : inclusive ? words[0] : words[1];
  const counted = origin === 'string' ? 'character' : origin === 'array' || origin === 'set' ? 'item' : undefined;
  if (counted === undefined) return `must be ${exact ? '' : `${how} `}${String(limit)}; got ${describe(input)}`;
  if (origin === 'string' && words[0] === 'at least' && !exact && Number(limit) === 1) return 'must not be empty';
  const size = typeof input === 'string' || Array.isArray(input) ? input.length : input instanceof Set ? input.size : undefined;
  return `must have ${how} ${String(limit)} ${counted}${Number(limit) === 1 ? '' : 's'}${size === undefined ? '' : `; got ${size}`}`;
}

function formatRule(format: string, pattern: string | undefined, issue: object): string {
  switch (format) {
    case 'regex':
      return `must match the pattern ${pattern ?? ''}`;
    case 'starts_with':
      return `must start with ${JSON.stringify((issue as { prefix?: string }).prefix ?? '')}`;
    case 'ends_with':
      return `must end with ${JSON.stringify((issue as { suffix?: string }).suffix ?? '')}`;
    case 'includes':
      return `must contain ${JSON.stringify((issue as { includes?: string }).includes ?? '')}`;
    case 'datetime':
      return 'expected an ISO-8601 date-time';
    case 'date':
      return 'expected a date YYYY-MM-DD';
    case 'time':
      return 'expected a time HH:MM[:SS]';
    case 'duration':
      return 'expected an ISO-8601 duration such as P2D or PT4H';
    case 'email':
      return 'expected an email address';
    case 'url':
      return 'expected a URL';
    default:
      return `expected a valid ${format}`;
  }
}

/** The offending value, briefly; `typed` names a string's type too, for "expected number, got string \"5\"". */
function describe(value: unknown, typed = false): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `${typed ? 'string ' : ''}${JSON.stringify(shortenText(value, 40))}`;
  if (typeof value === 'object') return 'an object';
  return typed ? `${typeof value} ${String(value)}` : String(value);
}
