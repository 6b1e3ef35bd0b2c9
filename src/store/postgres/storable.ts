import { InvalidInputError, ValidationError } from '../../errors.js';
import { eventLocation } from '../event-input.js';
import type { NewEvent } from '../event-store.js';
import { RefusedEvent, storedForm, type PayloadReading } from '../stored-form.js';

/**
 * What PostgreSQL's text and jsonb cannot hold: the NUL character, and an unpaired UTF-16
 * surrogate (no Unicode character: jsonb refuses it naming no event, and text keeps U+FFFD in its
 * place, so an id or type read back is another). `u`: a paired surrogate is one code point, not matched.
 */
const UNSTORABLE = /[\u0000\p{Cs}]/u;
const NUL = '\u0000';

function unstorable(text: string): { readonly rule: string; readonly message: string } {
  return text.includes(NUL)
    ? { rule: 'nul-character', message: 'contains the NUL character (\\u0000), which PostgreSQL cannot store in text or jsonb' }
    : { rule: 'unpaired-surrogate', message: 'contains an unpaired UTF-16 surrogate, which is no Unicode character: PostgreSQL cannot store it in text or jsonb' };
}

/** The first instant PostgreSQL's timestamptz holds as heed writes it (ISO text): it has no year 0. */
const FIRST_TIME = Date.parse('0001-01-01T00:00:00Z');

/**
 * PostgreSQL refuses the NUL character (U+0000) in `text` and `jsonb`, with a driver error that
 * names no event (22P05, 22021), and an unpaired surrogate in `jsonb` (text keeps U+FFFD for it),
 * and its timestamps have no year 0. Events holding one are refused before anything is written, each
 * named with the field that holds it, like any other invalid input. Valid JSON may carry them
 * (`"\u0000"`), and the in-memory store keeps them, so these are the PostgreSQL store's own rules. The
 * same pass refuses what every store refuses and normalises a known type's payload (stored-form.ts:
 * an envelope field of the wrong type, a customer id or id outside 1–200 characters, `data` that
 * is not an object, a payload its type's schema refuses, `data` or `meta` that is not JSON data,
 * which JSON.stringify would throw on or change), so one error lists every problem of the batch or
 * chunk. Returns the events to write: the same array when none changes.
 */
export function checkStorable(events: readonly NewEvent[], reading: PayloadReading, what = 'the batch', offset = 0, direct = true): readonly NewEvent[] {
  // `direct`: not the engine's own append, so `at` and `time` may disagree and `data` and `meta`
  // may be what its validation refuses (see stored-form.ts); the engine's events cannot. Checked
  // here, with the rest, so one error lists every problem.
  let errors: ValidationError[] | undefined;
  let out: NewEvent[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const given = events[i] as NewEvent;
    // `offset`: how many events came before these (earlier chunks of an import), so an error
    // names the event by its position in the whole input.
    const index = offset + i;
    // What every store refuses: a field of the wrong type, which the NUL walk could not read, a
    // payload its schema refuses, or one that is not JSON data (a cycle among them, on which it would not end).
    const event = storedForm(given, index, direct, reading);
    if (event instanceof RefusedEvent) {
      (errors ??= []).push(...event.errors);
      continue;
    }
    if (event !== given) (out ??= events.slice())[i] = event;
    if (event.time < FIRST_TIME) {
      const message = `is before 0001-01-01T00:00:00Z (${event.at}), which PostgreSQL cannot store (its timestamps have no year 0)`;
      (errors ??= []).push(new ValidationError({ ...eventLocation(event, index), path: 'at', rule: 'invalid-instant', message }));
      continue;
    }
    if (!holdsUnstorable(event)) continue;
    const found = unstorablePath(event);
    (errors ??= []).push(new ValidationError({ ...eventLocation(event, index), path: found?.path ?? '', ...unstorable(found?.text ?? NUL) }));
  }
  if (errors !== undefined) throw new InvalidInputError(errors, what);
  return out ?? events;
}

/** The usual case, answered without building any path. */
function holdsUnstorable(event: NewEvent): boolean {
  return (
    UNSTORABLE.test(event.customerId) ||
    (event.id !== undefined && UNSTORABLE.test(event.id)) ||
    UNSTORABLE.test(event.type) ||
    UNSTORABLE.test(event.at) ||
    deepHolds(event.data) ||
    deepHolds(event.meta)
  );
}

function deepHolds(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(deepHolds);
  for (const key in value) {
    if (UNSTORABLE.test(key) || deepHolds((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** Where the first such text is, `customerId`, `data.what`, `meta.tags[2]`…, and the text (only for an event that holds one). */
function unstorablePath(event: NewEvent): { readonly path: string; readonly text: string } | undefined {
  for (const field of ['customerId', 'id', 'type', 'at'] as const) {
    const text = event[field];
    if (text !== undefined && UNSTORABLE.test(text)) return { path: field, text };
  }
  return pathIn(event.data, 'data') ?? pathIn(event.meta, 'meta');
}

function pathIn(value: unknown, path: string): { readonly path: string; readonly text: string } | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? { path, text: value } : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathIn(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key in value) {
    const found = UNSTORABLE.test(key) ? { path: `${path}.${JSON.stringify(key)}`, text: key } : pathIn((value as Record<string, unknown>)[key], `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
