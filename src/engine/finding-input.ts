import type { AnyPolicy, FindingInput } from '../policies/define-policy.js';
import { findingSeverities } from './finding.js';
import { describeValue } from '../describe-value.js';
import { jsonProblem } from '../json-data.js';

const severities: ReadonlySet<unknown> = new Set(findingSeverities);

/**
 * What is wrong with a finding a policy reported, naming the field and the rule, or undefined when
 * it is one the engine can keep. Types alone do not hold a plugin to the contract (JavaScript, a
 * cast, an `any` payload field): without this check a bad finding would surface far from its cause,
 * as `"severity": undefined` in the output or a NOT NULL violation in the findings table.
 */
export function findingInputProblem(policy: AnyPolicy, input: FindingInput, now: number): string | undefined {
  if (typeof input !== 'object' || input === null) return `reported ${String(input)} instead of a finding object`;
  const { kind, subject, start, matterId, detectedAt, severity, message, evidence, details, ongoing } = input;
  if (!policy.kinds.includes(kind)) {
    return `reported finding kind "${String(kind)}", which the policy does not declare (declared: ${policy.kinds.join(', ')})`;
  }
  if (typeof subject !== 'string') return fieldProblem(kind, 'subject', 'must be a string', subject);
  if (start !== undefined && typeof start !== 'string' && !(typeof start === 'number' && Number.isFinite(start))) {
    return fieldProblem(kind, 'start', 'must be a string or a finite number when given', start);
  }
  if (matterId !== undefined && matterId !== null && typeof matterId !== 'string') return fieldProblem(kind, 'matterId', 'must be a string or null when given', matterId);
  if (typeof detectedAt !== 'number' || !Number.isFinite(detectedAt)) return fieldProblem(kind, 'detectedAt', 'must be a finite epoch-ms number', detectedAt);
  // A finding cannot be detected after the instant being evaluated. Past it, the usual cause is the
  // wall clock (`Date.now()`), which would make the findings differ from run to run.
  if (detectedAt > now) {
    return `reported a "${kind}" finding whose detectedAt ${isoOrNumber(detectedAt)} is after the instant being evaluated (ctx.now, ${isoOrNumber(now)}): use ctx.now or an instant from the events, never the wall clock`;
  }
  if (!severities.has(severity)) return fieldProblem(kind, 'severity', `must be one of ${findingSeverities.join(', ')}`, severity);
  if (typeof message !== 'string') return fieldProblem(kind, 'message', 'must be a string', message);
  if (!Array.isArray(evidence)) return fieldProblem(kind, 'evidence', 'must be an array of event ids', evidence);
  for (let i = 0; i < evidence.length; i++) {
    if (typeof evidence[i] !== 'string') return fieldProblem(kind, `evidence[${i}]`, 'must be an event id (a string)', evidence[i]);
  }
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return fieldProblem(kind, 'details', 'must be an object', details);
  const notJson = jsonProblem(details, 'details', 0);
  if (notJson !== undefined) return `reported a "${kind}" finding whose ${notJson}`;
  if (ongoing !== undefined && typeof ongoing !== 'boolean') return fieldProblem(kind, 'ongoing', 'must be a boolean when given', ongoing);
  return undefined;
}

/** Throw `findingInputProblem`'s answer, if any (the caller wraps it as the policy's failure). */
export function checkFindingInput(policy: AnyPolicy, input: FindingInput, now: number): void {
  const problem = findingInputProblem(policy, input, now);
  if (problem !== undefined) throw new Error(problem);
}

/** No closure per call: every finding reported goes through the check, and almost none fails it. */
function fieldProblem(kind: string, name: string, rule: string, value: unknown): string {
  return `reported a "${kind}" finding whose ${name} ${rule}, got ${describeValue(value)}`;
}


function isoOrNumber(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}
