import type { AnyPolicy, FindingInput } from '../policies/define-policy.js';
import { findingSeverities } from './finding.js';
import { describeValue } from '../describe-value.js';
import { jsonProblem } from '../json-data.js';
import { quoteId } from '../quote-id.js';

const severities: ReadonlySet<unknown> = new Set(findingSeverities);

/**
 * What is wrong with a finding a policy reported, naming the field and the rule, or undefined when
 * it is one the engine can keep. Types alone do not hold a plugin to the contract (JavaScript, a
 * cast, an `any` payload field): without this check a bad finding would surface far from its cause,
 * as `"severity": undefined` in the output or a NOT NULL violation in the findings table. Every
 * problem of the finding is named at once (`… finding with 3 problems: severity must be …; message
 * …`), so its author fixes them in one round (with `links`, those of its evidence and matterId
 * as well: see `findingLinksProblem`); every reported finding goes through the check, so the
 * fields are checked once, stopping at the first problem, and only a finding with one is gone over
 * again to collect the rest.
 */
export function findingInputProblem(policy: AnyPolicy, input: FindingInput, now: number, links?: FindingLinks, folded = Number.POSITIVE_INFINITY): string | undefined {
  if (typeof input !== 'object' || input === null) return `reported ${String(input)} instead of a finding object`;
  if (!findingProblems(policy, input, now, undefined)) return undefined;
  const problems: string[] = [];
  findingProblems(policy, input, now, problems);
  // The evidence and matterId are checked after this, against the stream (`findingLinksProblem`):
  // with `links`, a finding refused here names their problems too.
  if (links !== undefined) linkProblems(Array.isArray(input.evidence) ? input.evidence : [], input.matterId, links, folded, problems);
  const kind = String(input.kind);
  if (problems.length > 1) return `reported a "${kind}" finding with ${problems.length} problems: ${problems.join('; ')}`;
  if (!policy.kinds.includes(input.kind)) return `reported finding kind "${kind}", which the policy does not declare (declared: ${policy.kinds.join(', ')})`;
  return `reported a "${kind}" finding whose ${problems[0] ?? ''}`;
}

/**
 * Whether the finding has a problem: with `out` undefined (the hot path) at the first, with nothing
 * made; else each one found, as `<field> <rule>` (`severity must be one of …, got "urgent"`), pushed on `out`.
 */
function findingProblems(policy: AnyPolicy, input: FindingInput, now: number, out: string[] | undefined): boolean {
  const { kind, subject, start, matterId, detectedAt, severity, message, evidence, details, ongoing } = input;
  if (!policy.kinds.includes(kind)) {
    if (out === undefined) return true;
    out.push(`kind "${String(kind)}" is not one the policy declares (declared: ${policy.kinds.join(', ')})`);
  }
  if (typeof subject !== 'string') {
    if (out === undefined) return true;
    out.push(fieldProblem('subject', 'must be a string', subject));
  }
  if (start !== undefined && typeof start !== 'string' && !(typeof start === 'number' && Number.isFinite(start))) {
    if (out === undefined) return true;
    out.push(fieldProblem('start', 'must be a string or a finite number when given', start));
  }
  if (matterId !== undefined && matterId !== null && typeof matterId !== 'string') {
    if (out === undefined) return true;
    out.push(fieldProblem('matterId', 'must be a string or null when given', matterId));
  }
  if (typeof detectedAt !== 'number' || !Number.isFinite(detectedAt)) {
    if (out === undefined) return true;
    out.push(fieldProblem('detectedAt', 'must be a finite epoch-ms number', detectedAt));
  } else if (detectedAt > now) {
    // A finding cannot be detected after the instant being evaluated. Past it, the usual cause is the
    // wall clock (`Date.now()`), which would make the findings differ from run to run.
    if (out === undefined) return true;
    out.push(`detectedAt ${isoOrNumber(detectedAt)} is after the instant being evaluated (ctx.now, ${isoOrNumber(now)}): use ctx.now or an instant from the events, never the wall clock`);
  }
  if (!severities.has(severity)) {
    if (out === undefined) return true;
    out.push(fieldProblem('severity', `must be one of ${findingSeverities.join(', ')}`, severity));
  }
  if (typeof message !== 'string') {
    if (out === undefined) return true;
    out.push(fieldProblem('message', 'must be a string', message));
  }
  if (!Array.isArray(evidence)) {
    if (out === undefined) return true;
    out.push(fieldProblem('evidence', 'must be an array of event ids', evidence));
  } else {
    for (let i = 0; i < evidence.length; i++) {
      if (typeof evidence[i] === 'string') continue;
      if (out === undefined) return true;
      out.push(fieldProblem(`evidence[${i}]`, 'must be an event id (a string)', evidence[i]));
    }
  }
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    if (out === undefined) return true;
    out.push(fieldProblem('details', 'must be an object', details));
  } else {
    const notJson = jsonProblem(details, 'details', 0);
    if (notJson !== undefined) {
      if (out === undefined) return true;
      out.push(notJson);
    }
  }
  if (ongoing !== undefined && typeof ongoing !== 'boolean') {
    if (out === undefined) return true;
    out.push(fieldProblem('ongoing', 'must be a boolean when given', ongoing));
  }
  return out !== undefined && out.length > 0;
}

/** Throw `findingInputProblem`'s answer, if any (the caller wraps it as the policy's failure). */
export function checkFindingInput(policy: AnyPolicy, input: FindingInput, now: number, links?: FindingLinks, folded?: number): void {
  const problem = findingInputProblem(policy, input, now, links, folded);
  if (problem !== undefined) throw new Error(problem);
}

/** What a finding's evidence and matterId are checked against: a stream's events and matters, each by its place in fold order. */
export interface FindingLinks {
  readonly eventIds: ReadonlyMap<string, number>;
  readonly matters: ReadonlyMap<string, number>;
}

/**
 * What is wrong with the evidence and the matterId of a finding that is new or changed, or
 * undefined, every problem at once (as `findingInputProblem` names the other fields'). Each
 * evidence id must name an event of the customer's stream at or before the last one evaluated
 * when it was reported (`links.eventIds`: `Stream.eventIds`; `folded`: that event's place), once.
 * Not whether the event is at or before `detectedAt`: a finding detected at one instant is updated
 * with later events (the contact that closed an `inattention.gap`, the keeping of a broken
 * promise). The matterId, when not null, must name a matter of the stream opened by an event at or
 * before that one (`links.matters`: the place of each matter's `MatterOpened`): a finding's matter
 * is the CRM's link to it, as evidence is to events. A Map lookup per id, run only when the
 * finding changes (an unchanged one was checked when first reported).
 */
export function findingLinksProblem(kind: string, evidence: readonly string[], matterId: string | null, links: FindingLinks, folded: number): string | undefined {
  if (!linkProblems(evidence, matterId, links, folded, undefined)) return undefined;
  const problems: string[] = [];
  linkProblems(evidence, matterId, links, folded, problems);
  return problems.length === 1 ? `reported a "${kind}" finding whose ${problems[0] ?? ''}` : `reported a "${kind}" finding with ${problems.length} problems: ${problems.join('; ')}`;
}

/**
 * Whether the evidence or the matterId has a problem: with `out` undefined (the hot path) at the
 * first, with nothing made; else each one found, pushed on `out`: one per evidence entry at most,
 * in list order (an entry that repeats an earlier one is named as the repeat), then the matterId's.
 * Entries that are not strings are skipped (`findingProblems` names them).
 */
function linkProblems(evidence: readonly unknown[], matterId: unknown, links: FindingLinks, folded: number, out: string[] | undefined): boolean {
  const first = out === undefined ? undefined : new Map<string, number>();
  for (let i = 0; i < evidence.length; i++) {
    const id = evidence[i];
    if (typeof id !== 'string') continue;
    const earlier = first?.get(id);
    if (earlier !== undefined) {
      out?.push(`evidence[${i}] names ${quoteId(id)} again (as evidence[${earlier}]): list each event once`);
      continue;
    }
    first?.set(id, i);
    const place = links.eventIds.get(id);
    if (place === undefined) {
      if (out === undefined) return true;
      out.push(`evidence[${i}] names ${quoteId(id)}, which is not an event of this customer's stream: evidence lists ids of events recorded for the customer (event.id)`);
    } else if (place > folded) {
      if (out === undefined) return true;
      out.push(`evidence[${i}] names ${quoteId(id)}, an event of this customer's stream evaluated after the finding was reported (events are evaluated by time, ties in append order): a finding cites only events evaluated by then`);
    }
  }
  if (out === undefined && repeated(evidence) !== undefined) return true;
  if (typeof matterId === 'string') {
    const place = links.matters.get(matterId);
    if (place === undefined) {
      if (out === undefined) return true;
      out.push(`matterId names ${quoteId(matterId)}, which is not a matter of this customer's stream: matterId names a matter opened for the customer (MatterOpened's data.matterId), or null for the whole relationship`);
    } else if (place > folded) {
      if (out === undefined) return true;
      out.push(`matterId names ${quoteId(matterId)}, a matter of this customer's stream opened by an event evaluated after the finding was reported (events are evaluated by time, ties in append order): a finding names only a matter opened by then`);
    }
  }
  return out !== undefined && out.length > 0;
}

/** The places of the first id listed twice (the earlier, then the repeat), or undefined. */
function repeated(list: readonly unknown[]): [number, number] | undefined {
  // Short lists (almost all evidence) are compared pairwise, with no object made.
  if (list.length <= 8) {
    for (let j = 1; j < list.length; j++) for (let i = 0; i < j; i++) if (list[i] === list[j]) return [i, j];
    return undefined;
  }
  const first = new Map<unknown, number>();
  for (let j = 0; j < list.length; j++) {
    const i = first.get(list[j]);
    if (i !== undefined) return [i, j];
    first.set(list[j], j);
  }
  return undefined;
}

/** A field's problem, `<field> <rule>, got <value>`. */
function fieldProblem(name: string, rule: string, value: unknown): string {
  return `${name} ${rule}, got ${describeValue(value)}`;
}


function isoOrNumber(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}
