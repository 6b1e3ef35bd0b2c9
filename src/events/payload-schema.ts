import * as z from 'zod';
import type { ProblemLocation, ValidationError } from '../errors.js';
import { issuesToErrors, REPORTING } from './issues.js';
import { unknownDataField } from './unknown-names.js';

/**
 * A payload schema through `z.compile`: generated code for valid payloads, falling back to zod's
 * own parser (and so its issues) for the rest; a schema zod cannot compile comes back as it is.
 * Compiled on first use (generating code costs a few ms per schema) and once per schema, not per
 * registry or store: every engine, every `asOf` replica and every store reading by the same
 * schemas shares the compiled code.
 */
export function compiled(schema: z.ZodType): z.ZodType {
  let fast = compiledSchemas.get(schema);
  if (fast === undefined) compiledSchemas.set(schema, (fast = z.compile(schema)));
  return fast;
}

const compiledSchemas = new WeakMap<z.ZodType, z.ZodType>();

/**
 * Every problem of a payload `schema` refuses, as the engine's validation words them: `path`
 * `data.<field>`, the rule, and for an unknown field the hint that free-form context belongs in
 * `meta`. Parsed again with `REPORTING` (the compiled parse that found it invalid keeps no input).
 */
export function payloadErrors(type: string, schema: z.ZodType, data: unknown, location: ProblemLocation): ValidationError[] {
  const parsed = schema.safeParse(data, REPORTING);
  return parsed.success ? [] : payloadIssueErrors(type, schema, parsed.error.issues, location);
}

/**
 * The issues of a payload parsed with `REPORTING`, as `payloadErrors` words them: an unknown field
 * followed by the closest field of `schema` the data lacks (`unknownDataField`).
 */
export function payloadIssueErrors(type: string, schema: z.ZodType, issues: readonly z.core.$ZodIssue[], location: ProblemLocation): ValidationError[] {
  return issuesToErrors(issues, ['data'], location, unknownDataField(schema, type));
}
