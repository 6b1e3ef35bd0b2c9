import { InvalidInputError, ValidationError } from '../../errors.js';
import type { NewEvent } from '../event-store.js';

const NUL = '\u0000';
const MESSAGE = 'contains the NUL character (\\u0000), which PostgreSQL cannot store in text or jsonb';

/**
 * PostgreSQL refuses the NUL character (U+0000) in `text` and `jsonb`, with a driver error that
 * names no event (22P05, 22021). Events holding one are refused before anything is written, each
 * named with the field that holds it, like any other invalid input. Valid JSON may carry it
 * (`"\u0000"`), and the in-memory store keeps it, so this is the PostgreSQL store's own rule.
 */
export function checkStorable(events: readonly NewEvent[], what = 'the batch'): void {
  let errors: ValidationError[] | undefined;
  for (let index = 0; index < events.length; index++) {
    const event = events[index] as NewEvent;
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
