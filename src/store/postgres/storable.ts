import { InvalidInputError, ValidationError } from '../../errors.js';
import { customerIdProblem, eventLocation, payloadProblem, payloadsAreJson } from '../event-input.js';
import type { NewEvent } from '../event-store.js';

const NUL = '\u0000';
const MESSAGE = 'contains the NUL character (\\u0000), which PostgreSQL cannot store in text or jsonb';

/**
 * PostgreSQL refuses the NUL character (U+0000) in `text` and `jsonb`, with a driver error that
 * names no event (22P05, 22021). Events holding one are refused before anything is written, each
 * named with the field that holds it, like any other invalid input. Valid JSON may carry it
 * (`"\u0000"`), and the in-memory store keeps it, so this is the PostgreSQL store's own rule. The
 * same pass refuses what every store refuses (event-input.ts: a customer id outside 1–200
 * characters, `data` or `meta` that is not JSON data, which JSON.stringify would throw on or
 * change), so one error lists every problem of the batch or chunk.
 */
export function checkStorable(events: readonly NewEvent[], what = 'the batch', offset = 0, json = true): void {
  // `json`: whether `data` and `meta` may hold what is not JSON data (see event-input.ts); the
  // engine's events cannot. Checked here, with the rest, so one error lists every problem.
  const jsonOk = !json || payloadsAreJson(events);
  let errors: ValidationError[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as NewEvent;
    // `offset`: how many events came before these (earlier chunks of an import), so an error
    // names the event by its position in the whole input.
    const index = offset + i;
    // A payload that is not JSON data (a cycle among them) is reported before the NUL walk, which would not end on a cycle.
    const shape = misshapen(event) ?? (jsonOk ? undefined : payloadProblem(event));
    if (shape !== undefined) {
      (errors ??= []).push(new ValidationError({ ...eventLocation(event, index), ...shape }));
      continue;
    }
    if (!holdsNul(event)) continue;
    (errors ??= []).push(
      new ValidationError({
        customerId: event.customerId,
        ...(event.id === undefined ? {} : { eventId: event.id }),
        eventType: event.type,
        index,
        path: nulPath(event) ?? '',
        rule: 'nul-character',
        message: MESSAGE,
      }),
    );
  }
  if (errors !== undefined) throw new InvalidInputError(errors, what);
}

/**
 * What a column needs and the types cannot promise at run time: events built by hand (the raw
 * objects of an export, `at` not yet resolved to `time`) reach `importEvents` and `append` too,
 * and would fail as `Invalid time value` or a TypeError naming no event.
 */
function misshapen(event: NewEvent): { path: string; rule: string; message: string } | undefined {
  for (const field of ['customerId', 'type', 'at'] as const) {
    if (typeof event[field] !== 'string') return { path: field, rule: 'invalid-type', message: `must be a string, got ${describe(event[field])}` };
  }
  const customer = customerIdProblem(event.customerId);
  if (customer !== undefined) return { path: 'customerId', ...customer };
  if (event.id !== undefined && typeof event.id !== 'string') return { path: 'id', rule: 'invalid-type', message: `must be a string when given, got ${describe(event.id)}` };
  if (typeof event.time !== 'number' || !Number.isFinite(event.time) || Math.abs(event.time) > MAX_TIME) {
    return {
      path: 'time',
      rule: 'invalid-instant',
      message: `must be the event's instant in epoch milliseconds (its \`at\` resolved), got ${describe(event.time)}; validate events first, with readLines or parseJsonl`,
    };
  }
  return undefined;
}

/** The largest epoch milliseconds a Date holds. */
const MAX_TIME = 8.64e15;

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : value === null ? 'null' : typeof value === 'number' ? String(value) : typeof value;
}

/** The usual case, answered without building any path. */
function holdsNul(event: NewEvent): boolean {
  return (
    event.customerId.includes(NUL) || (event.id?.includes(NUL) ?? false) || event.type.includes(NUL) || event.at.includes(NUL) || deepHolds(event.data) || deepHolds(event.meta)
  );
}

function deepHolds(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(deepHolds);
  for (const key in value) {
    if (key.includes(NUL) || deepHolds((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** Where the first NUL is: `customerId`, `data.what`, `meta.tags[2]`… (only for an event that holds one). */
function nulPath(event: NewEvent): string | undefined {
  for (const field of ['customerId', 'id', 'type', 'at'] as const) if (event[field]?.includes(NUL)) return field;
  return pathIn(event.data, 'data') ?? pathIn(event.meta, 'meta');
}

function pathIn(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathIn(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key in value) {
    const found = key.includes(NUL) ? `${path}.${JSON.stringify(key)}` : pathIn((value as Record<string, unknown>)[key], `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
