import { InvalidInputError, ValidationError, type ProblemLocation } from '../errors.js';
import { payloadErrors } from '../events/payload-schema.js';
import { isJsonData, jsonIssue } from '../json-data.js';
import { envelopeProblem, eventLocation, instantProblem, type EventProblem } from './event-input.js';
import type { EventSchemas, KnownType } from './event-schemas.js';
import type { NewEvent } from './event-store.js';

/**
 * What a store keeps of an event it is given: the event as the engine would have recorded it, or
 * every problem the engine's validation would name. A payload of a type the store knows (the core
 * types; a plugin's once an engine on the store handed over its schemas) is read by the engine's
 * compiled schema and kept normalised, its defaults filled in (`severity`, `purpose`,
 * `importance`): the policies read stored events as validated, and the in-memory store and
 * PostgreSQL keep the same data. A type the store does not know is kept as given.
 */

/** How a store reads payloads: by which schemas, and, in a store that upcasts, from which schema version. */
export interface PayloadReading {
  readonly schemas: EventSchemas;
  /**
   * For an event given at an older schema version than its type's current one: the payload as it
   * will be read (upcast), and the versions. Undefined for an event read as given. `index`: its place
   * in the batch, which names an event given without an id when a step fails.
   */
  readonly upcast?: ((event: NewEvent, index: number) => { readonly data: unknown; readonly from: number; readonly to: number } | undefined) | undefined;
}

/** An event refused: every problem found in it. */
export class RefusedEvent {
  constructor(readonly errors: readonly ValidationError[]) {}
}

/**
 * The event to store, or its problems. Its envelope is checked whoever appends (`envelopeProblem`:
 * typeof comparisons). When `direct` (not the engine's own append, whose events its validation
 * read already, `time` computed from `at` and payload normalised), also `at` and `time`
 * (`instantProblem`), the payload by its type's schema (or, for a type the store does not know,
 * only that it is JSON data) and `meta` JSON data. The same object comes back when nothing of it
 * changes; a normalised payload comes in a copy, the caller's objects left as they were.
 */
export function storedForm(event: NewEvent, index: number, direct: boolean, reading: PayloadReading): NewEvent | RefusedEvent {
  const shape = envelopeProblem(event);
  if (shape !== undefined) return refused(event, index, [shape]);
  if (!direct) return event;
  let problems: (EventProblem | ValidationError)[] | undefined;
  const instant = instantProblem(event);
  if (instant !== undefined) (problems ??= []).push(instant);
  let data = event.data;
  const known = reading.schemas.known(event.type);
  if (known === undefined) {
    const issue = jsonIssue(data, 'data');
    if (issue !== undefined) (problems ??= []).push(notJson(issue));
  } else {
    const upcast = reading.upcast?.(event, index);
    if (upcast === undefined) {
      const parsed = known.fast.safeParse(data);
      if (parsed.success && (known.core || isJsonData(parsed.data))) {
        if (!(known.core && sameFields(parsed.data as Record<string, unknown>, data as Record<string, unknown>))) data = parsed.data;
      } else (problems ??= []).push(...readProblems(known, data, parsed, eventLocation(event, index)));
    } else {
      // Stored as given, at its own version, and read upcast: the stored payload must be JSON data,
      // the upcast one what its type's schema takes (else every read would fail on it).
      const issue = jsonIssue(data, 'data');
      if (issue !== undefined) (problems ??= []).push(notJson(issue));
      else {
        const parsed = known.fast.safeParse(upcast.data);
        if (!parsed.success || !(known.core || isJsonData(parsed.data))) {
          const found = readProblems(known, upcast.data, parsed, eventLocation(event, index));
          (problems ??= []).push(...found.map((e) => upcastProblem(e, upcast.from, upcast.to)));
        }
      }
    }
  }
  const meta = event.meta;
  if (meta !== undefined) {
    const issue = jsonIssue(meta, 'meta');
    if (issue !== undefined) (problems ??= []).push(notJson(issue));
  }
  if (problems !== undefined) return refused(event, index, problems);
  return data === event.data ? event : withData(event, data);
}

/**
 * A copy of `event` with `data`: one literal of a fixed shape (a spread of the caller's object
 * costs several times as much). An absent `meta` or `schemaVersion` is a key holding undefined,
 * which every store reads as absent.
 */
function withData(event: NewEvent, data: unknown): NewEvent {
  return { id: event.id, customerId: event.customerId, type: event.type, at: event.at, time: event.time, data, meta: event.meta, schemaVersion: event.schemaVersion } as NewEvent;
}

/**
 * The events of a batch as the store keeps them (`storedForm`), the same array when none changes;
 * or an InvalidInputError naming every problem of every event, by its position in the batch (plus
 * `offset`, the events before it) and its id, before anything is written.
 */
export function checkEvents(events: readonly NewEvent[], direct: boolean, reading: PayloadReading, what = 'the batch', offset = 0): readonly NewEvent[] {
  let errors: ValidationError[] | undefined;
  let out: NewEvent[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as NewEvent;
    const form = storedForm(event, offset + i, direct, reading);
    if (form instanceof RefusedEvent) (errors ??= []).push(...form.errors);
    else if (form !== event) (out ??= events.slice())[i] = form;
  }
  if (errors !== undefined) throw new InvalidInputError(errors, what);
  return out ?? events;
}

/**
 * Whether a core type's parsed payload holds exactly the fields of the one given, a plain object:
 * nothing filled in (the defaults were there) and nothing dropped, so the given object is kept,
 * as a payload of a type the store does not know is. A core payload is flat, its values strings,
 * numbers and booleans, so comparing them is comparing the payloads. Keeping it spares the store a
 * second object per event that outlives the append (the parse's own is garbage at once).
 */
function sameFields(parsed: Record<string, unknown>, given: Record<string, unknown>): boolean {
  const proto: unknown = Object.getPrototypeOf(given);
  if (proto !== Object.prototype && proto !== null) return false;
  let fields = 0;
  for (const key in parsed) {
    if (parsed[key] !== given[key]) return false;
    fields++;
  }
  for (const _ in given) fields--;
  return fields === 0;
}

/** The problems of a payload its type's schema refused, or whose parsed form is not JSON data (a plugin's schema may let anything through). */
function readProblems(known: KnownType, data: unknown, parsed: { readonly success: boolean; readonly data?: unknown }, where: ProblemLocation): (EventProblem | ValidationError)[] {
  if (!parsed.success) return payloadErrors(known.type, known.schema, data, where);
  const issue = jsonIssue(parsed.data, 'data');
  return issue === undefined ? [] : [notJson(issue)];
}

function upcastProblem(problem: EventProblem | ValidationError, from: number, to: number): EventProblem {
  const message = problem instanceof ValidationError ? problem.detail : problem.message;
  return { path: problem.path, rule: problem.rule, message: `${message} (in the payload as it reads upcast from schema version ${from} to ${to})` };
}

function notJson(issue: { readonly path: string; readonly message: string }): EventProblem {
  return { path: issue.path, rule: 'not-json', message: issue.message };
}

function refused(event: NewEvent, index: number, problems: readonly (EventProblem | ValidationError)[]): RefusedEvent {
  const where = eventLocation(event, index);
  return new RefusedEvent(problems.map((p) => (p instanceof ValidationError ? p : new ValidationError({ ...where, ...p }))));
}
