import * as z from 'zod';
import { describeValue } from '../describe-value.js';
import { UsageError } from '../errors.js';
import { ID_EMPTY, ID_TOO_LONG, MAX_ID_LENGTH } from '../events/fields.js';
import { issueRule, REPORTING, typeProblem } from '../events/issues.js';
import { DAY_MS, daysFromCivil, parseDate, parseDateTime } from '../time/instant.js';
import type { AppendOptions, NewEvent } from './event-store.js';
import { quoteId } from '../quote-id.js';

/**
 * What every store refuses in an append, whoever calls it: the rules the engine's validation
 * applies to the same fields, so a store called directly keeps only what the engine would have
 * recorded, and the in-memory store and PostgreSQL keep (or refuse) the same events. The stream
 * and the envelope are checked here; `at`, the payload (by its type's schema, normalised) and
 * `meta` in stored-form.ts.
 */

/** What is wrong with one field of an event, as a ValidationError's fields. */
export interface EventProblem {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

/** The id rule of the event envelope (1–200 characters), for a customer id and an event's own id. */
export function idProblem(id: string): { readonly rule: string; readonly message: string } | undefined {
  if (id.length === 0) return { rule: 'too-small', message: ID_EMPTY };
  // `length` counts UTF-16 units, at least the code points the limit counts: only a long id is counted again.
  if (id.length > MAX_ID_LENGTH && codePoints(id) > MAX_ID_LENGTH) return { rule: 'too-big', message: ID_TOO_LONG };
  return undefined;
}

/**
 * What is wrong with a customer id, by the rule and in the words of the engine's validation
 * (`required`, `invalid-type`, `too-small`, `too-big`), wherever it comes from.
 */
export function customerIdProblem(customerId: unknown): { readonly rule: string; readonly message: string } | undefined {
  return typeof customerId === 'string' ? idProblem(customerId) : typeProblem('string', customerId);
}

/**
 * The stream `append` was given: a customer id by the same rule and in the same words as in an
 * event (`customerIdProblem`), but a UsageError: the stream is the caller's argument, not a field
 * of the input (its events must all carry it as their `customerId`). A bad `customerId` inside an
 * event (`importEvents`, the engine's `record`) is a ValidationError of that event.
 */
export function checkStreamName(customerId: string): void {
  if (typeof customerId === 'string' && customerId.length !== 0 && customerId.length <= MAX_ID_LENGTH) return;
  const problem = customerIdProblem(customerId);
  if (problem === undefined) return;
  const shown = typeof customerId === 'string' ? quoteId(customerId) : describeValue(customerId);
  throw new UsageError(
    `append to stream ${shown}: the customer id (the stream's name, and each event's customerId): ${problem.message} (rule ${problem.rule}), as for events the engine records; nothing was written`,
    { path: 'customerId', rule: problem.rule, ...(typeof customerId === 'string' ? { customerId } : {}) },
  );
}

/** The stream's name (`checkStreamName`), and every event of the batch of that customer: a UsageError otherwise. */
export function checkStream(customerId: string, events: readonly NewEvent[]): void {
  checkStreamName(customerId);
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as NewEvent;
    if (event.customerId !== customerId) {
      const other = typeof event.customerId === 'string' ? quoteId(event.customerId) : describeValue(event.customerId);
      throw new UsageError(`append to stream ${quoteId(customerId)} was given an event of customer ${other}`, {
        path: `events[${i}].customerId`,
        rule: 'invalid-value',
        customerId,
      });
    }
  }
}

/**
 * What is wrong with an event's envelope, by the engine's rules: `customerId`, `type` and `at`
 * strings (`type` not empty), the customer id and `id` (when given) 1–200 characters, `time` the
 * epoch milliseconds of a Date, `data` an object and `meta` (when given) one (CONTRACT.md §1),
 * `schemaVersion` (when given) a whole number from 1 that PostgreSQL's integer column holds. A hand-built event
 * breaking them would fail in PostgreSQL as a driver error naming no event, and be kept as it is
 * in memory. The usual answer takes typeof comparisons only (an append on the in-memory store is
 * about a microsecond); the message is built for an event that fails.
 */
export function envelopeProblem(event: NewEvent): EventProblem | undefined {
  const { customerId, type, at, id, time, data, meta, schemaVersion } = event;
  if (
    typeof customerId === 'string' &&
    customerId.length !== 0 &&
    customerId.length <= MAX_ID_LENGTH &&
    typeof type === 'string' &&
    type.length !== 0 &&
    typeof at === 'string' &&
    (id === undefined || (typeof id === 'string' && id.length !== 0 && id.length <= MAX_ID_LENGTH)) &&
    typeof time === 'number' &&
    // NaN fails both comparisons.
    time >= -MAX_TIME &&
    time <= MAX_TIME &&
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    (meta === undefined || (typeof meta === 'object' && meta !== null && !Array.isArray(meta))) &&
    (schemaVersion === undefined || (typeof schemaVersion === 'number' && schemaVersion >= 1 && schemaVersion <= MAX_SCHEMA_VERSION && Number.isInteger(schemaVersion)))
  ) {
    return undefined;
  }
  return envelopeIssue(event);
}

/** `envelopeProblem` for an event the quick test did not pass (an id over 200 UTF-16 units may still be valid). */
function envelopeIssue(event: NewEvent): EventProblem | undefined {
  const customer = customerIdProblem(event.customerId);
  if (customer !== undefined) return { path: 'customerId', ...customer };
  for (const field of ['type', 'at'] as const) {
    if (typeof event[field] !== 'string') return { path: field, ...typeProblem('string', event[field]) };
  }
  if (event.type.length === 0) return { path: 'type', rule: 'too-small', message: 'must not be empty' };
  const id: unknown = event.id;
  if (id !== undefined) {
    if (typeof id !== 'string') return { path: 'id', ...typeProblem('string', id) };
    const problem = idProblem(id);
    if (problem !== undefined) return { path: 'id', ...problem };
  }
  const time: unknown = event.time;
  if (typeof time !== 'number' || !(Math.abs(time) <= MAX_TIME)) {
    return {
      path: 'time',
      rule: 'invalid-instant',
      message: `must be the event's instant in epoch milliseconds (its \`at\` resolved), got ${describeValue(time)}; validate events first, with readLines or parseJsonl`,
    };
  }
  // `data` and `meta` as the engine's envelope schema words them (an absent `data`, which the
  // engine reads as `{}`, is a missing field here: a NewEvent has its payload resolved).
  if (!isObject(event.data)) return { path: 'data', ...typeProblem('object', event.data) };
  if (event.meta !== undefined && !isObject(event.meta)) return { path: 'meta', ...typeProblem('object', event.meta) };
  const version: unknown = event.schemaVersion;
  if (version !== undefined) {
    // The engine has no `schemaVersion`: its words for a field that must be such a number.
    const parsed = SCHEMA_VERSION.safeParse(version, REPORTING);
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    if (issue !== undefined) return { path: 'schemaVersion', rule: issueRule(issue), message: issue.message };
  }
  return undefined;
}

/**
 * A schema version: a whole number from 1 that the PostgreSQL store's `integer` column holds.
 * Parsed only for an event the quick test refused, for the engine's wording of what is wrong.
 */
const MAX_SCHEMA_VERSION = 2_147_483_647;
const SCHEMA_VERSION = z.number().int().min(1).max(MAX_SCHEMA_VERSION);

/** The largest epoch milliseconds a Date holds. */
const MAX_TIME = 8.64e15;

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `at` an instant heed reads, and `time` the one it denotes, for an event whose envelope passed
 * (`at` a string, `time` a Date's epoch milliseconds). The engine computes `time` from `at`; an
 * event built by hand could say one instant by `at` and another by `time` (`at` 2024-01-01 and
 * `time` 0), read differently by whoever reads which. A date-time carries its zone, so `time`
 * must be exactly its instant. A date alone means local midnight in the engine's calendar, which
 * a store does not know: `time` must be within a day of the date's midnight UTC, as the start of
 * that date in any zone is (offsets are under a day; a zone that skipped the day starts it at the
 * next one's midnight, still within it).
 */
export function instantProblem(event: NewEvent): EventProblem | undefined {
  const { at, time } = event;
  const exact = parseDateTime(at);
  if (exact === time) return undefined;
  if (exact !== undefined) return { path: 'time', rule: 'invalid-instant', message: `must be the instant \`at\` denotes, ${exact} (${at}), got ${time}` };
  const date = parseDate(at);
  if (date === undefined) {
    return {
      path: 'at',
      rule: 'invalid-instant',
      message: `expected an ISO-8601 date-time with Z or an offset (2017-11-20T06:00:00-07:00) or a date (2017-11-20); got ${JSON.stringify(at)}`,
    };
  }
  const midnight = daysFromCivil(date.year, date.month, date.day) * DAY_MS;
  if (Math.abs(time - midnight) < DAY_MS) return undefined;
  return { path: 'time', rule: 'invalid-instant', message: `must be the start of ${at} in the calendar's time zone (within a day of ${midnight}, its midnight UTC), got ${time}` };
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
 * these checks refuse, computed `time` from `at` and parsed each payload by its type's schema
 * (normalised, JSON data), so the stores skip the payload's parse or walk and the reading of `at`
 * (the stream and the envelope's types are checked anyway: typeof comparisons cost nothing). A
 * symbol no caller outside heed holds; a store that does not know it ignores it.
 */
export const VALIDATED: unique symbol = Symbol('heed.validated');

/** The engine's append options: `VALIDATED` set. */
export interface ValidatedAppendOptions extends AppendOptions {
  readonly [VALIDATED]?: true;
}

/**
 * Whether the engine vouched for the events of this append. Asked before the options are checked,
 * so it reads only an object: `null` from a caller goes on to `checkAppendOptions`, which refuses it.
 */
export function isValidated(options: AppendOptions): boolean {
  return typeof options === 'object' && options !== null && (options as ValidatedAppendOptions)[VALIDATED] === true;
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
