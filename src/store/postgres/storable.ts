import { InvalidInputError, ValidationError } from '../../errors.js';
import { eventLocation, eventProblem } from '../event-input.js';
import type { NewEvent } from '../event-store.js';

const NUL = '\u0000';
const MESSAGE = 'contains the NUL character (\\u0000), which PostgreSQL cannot store in text or jsonb';

/**
 * PostgreSQL refuses the NUL character (U+0000) in `text` and `jsonb`, with a driver error that
 * names no event (22P05, 22021). Events holding one are refused before anything is written, each
 * named with the field that holds it, like any other invalid input. Valid JSON may carry it
 * (`"\u0000"`), and the in-memory store keeps it, so this is the PostgreSQL store's own rule. The
 * same pass refuses what every store refuses (event-input.ts: an envelope field of the wrong type,
 * a customer id or id outside 1–200 characters, `data` that is not an object, `data` or `meta`
 * that is not JSON data, which JSON.stringify would throw on or change), so one error lists every
 * problem of the batch or chunk.
 */
export function checkStorable(events: readonly NewEvent[], what = 'the batch', offset = 0, direct = true): void {
  // `direct`: not the engine's own append, so `at` and `time` may disagree and `data` and `meta`
  // may hold what is not JSON data (see event-input.ts); the engine's events cannot. Checked here,
  // with the rest, so one error lists every problem.
  let errors: ValidationError[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as NewEvent;
    // `offset`: how many events came before these (earlier chunks of an import), so an error
    // names the event by its position in the whole input.
    const index = offset + i;
    // What every store refuses (event-input.ts): a field of the wrong type, which the NUL walk
    // could not read, or a payload that is not JSON data (a cycle among them, on which it would not end).
    const shape = eventProblem(event, direct);
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
