import { InvalidInputError, UsageError, ValidationError } from '../errors.js';
import { MAX_ID_LENGTH } from '../events/fields.js';
import { isJsonData, jsonIssue } from '../json-data.js';
import type { AppendOptions, NewEvent } from './event-store.js';

/**
 * What every store refuses in an append, whoever calls it: the rules the engine's validation
 * applies to the same fields, so a store called directly keeps only what the engine would have
 * recorded, and the in-memory store and PostgreSQL keep (or refuse) the same events.
 */

/** The customer id rule of the event envelope (1–200 characters), for the events of a bulk import. */
export function customerIdProblem(customerId: string): { readonly rule: string; readonly message: string } | undefined {
  if (customerId.length === 0) return { rule: 'too-small', message: 'must not be empty' };
  // `length` counts UTF-16 units, at least the code points the limit counts: only a long id is counted again.
  if (customerId.length > MAX_ID_LENGTH && codePoints(customerId) > MAX_ID_LENGTH) return { rule: 'too-big', message: `must be at most ${MAX_ID_LENGTH} characters` };
  return undefined;
}

/**
 * The stream `append` was given: a customer id by the same rule, a UsageError otherwise (the
 * stream is the caller's argument; its events must all carry it as their `customerId`).
 */
export function checkStreamName(customerId: string): void {
  if (typeof customerId === 'string' && customerId.length !== 0 && customerId.length <= MAX_ID_LENGTH) return;
  const problem =
    typeof customerId === 'string' ? customerIdProblem(customerId) : { rule: 'invalid-type', message: `must be a string, got ${customerId === null ? 'null' : typeof customerId}` };
  if (problem === undefined) return;
  const shown = typeof customerId === 'string' ? JSON.stringify(customerId.length > 60 ? `${customerId.slice(0, 60)}…` : customerId) : String(customerId);
  throw new UsageError(
    `append to stream ${shown}: a customer id (the stream's name, and each event's customerId) ${problem.message} (rule ${problem.rule}), as for events the engine records; nothing was written`,
  );
}

/** `data` or `meta` not JSON data, as a ValidationError's fields (`not-json`). */
export function payloadProblem(event: NewEvent): { readonly path: string; readonly rule: string; readonly message: string } | undefined {
  // `data` absent is written as null (the PostgreSQL store); `meta` absent is no meta.
  const issue = (event.data === undefined ? undefined : jsonIssue(event.data, 'data')) ?? (event.meta === undefined ? undefined : jsonIssue(event.meta, 'meta'));
  return issue === undefined ? undefined : { path: issue.path, rule: 'not-json', message: issue.message };
}

/** True when the events' `data` and `meta` are JSON data: the usual answer, found without allocating. */
export function payloadsAreJson(events: readonly NewEvent[]): boolean {
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as NewEvent;
    if ((event.data !== undefined && !isJsonData(event.data)) || (event.meta !== undefined && !isJsonData(event.meta))) return false;
  }
  return true;
}

/**
 * Refuse a batch holding an event whose `data` or `meta` is not JSON data (a BigInt, a Date, a
 * function, a cycle, NaN, an `undefined` array item): an InvalidInputError naming each such
 * event by its position in the batch, its id and the field, before anything is written.
 */
export function checkPayloads(events: readonly NewEvent[], what = 'the batch'): void {
  if (payloadsAreJson(events)) return;
  const errors: ValidationError[] = [];
  for (let index = 0; index < events.length; index++) {
    const event = events[index] as NewEvent;
    const problem = payloadProblem(event);
    if (problem !== undefined) errors.push(new ValidationError({ ...eventLocation(event, index), ...problem }));
  }
  throw new InvalidInputError(errors, what);
}

/** An event's customer, id and type as a ValidationError names them (those of the expected types). */
export function eventLocation(event: NewEvent, index: number): { customerId?: string; eventId?: string; eventType?: string; index: number } {
  return {
    ...(typeof event.customerId === 'string' ? { customerId: event.customerId } : {}),
    ...(typeof event.id === 'string' ? { eventId: event.id } : {}),
    ...(typeof event.type === 'string' ? { eventType: event.type } : {}),
    index,
  };
}

/**
 * Set by the engine on its own appends: their events passed its validation, which refuses what
 * these checks refuse, so the stores skip the payload walk (the customer id is checked anyway: it
 * costs nothing). A symbol no caller outside heed holds; a store that does not know it ignores it.
 */
export const VALIDATED: unique symbol = Symbol('heed.validated');

/** The engine's append options: `VALIDATED` set. */
export interface ValidatedAppendOptions extends AppendOptions {
  readonly [VALIDATED]?: true;
}

/** Whether the engine vouched for the events of this append. */
export function isValidated(options: AppendOptions): boolean {
  return (options as ValidatedAppendOptions)[VALIDATED] === true;
}

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
