import type * as z from 'zod';
import { ValidationError, type ProblemLocation } from '../errors.js';

/**
 * Turn zod issues into heed's `ValidationError`s: a dotted field path, a rule name and a message
 * a CRM developer understands without knowing zod.
 */
export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[],
  location: ProblemLocation,
  unknownFieldHint = '',
): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      // One error per unknown key, pointing at the key itself.
      for (const key of issue.keys) {
        errors.push(
          new ValidationError({
            ...location,
            path: joinPath([...prefix, ...issue.path, key]),
            rule: 'unknown-field',
            message: `unknown field${unknownFieldHint}`,
          }),
        );
      }
      continue;
    }
    errors.push(
      new ValidationError({
        ...location,
        path: joinPath([...prefix, ...issue.path]),
        rule: ruleOf(issue),
        message: messageOf(issue),
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

function ruleOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') {
    const rule = (issue.params as { rule?: unknown } | undefined)?.rule;
    if (typeof rule === 'string') return rule;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  return issue.code;
}

function messageOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `required field is missing (expected ${issue.expected})`;
      return `expected ${issue.expected}, got ${describe(issue.input)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}; got ${describe(issue.input)}`;
    default:
      return issue.message;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
