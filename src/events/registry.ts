import * as z from 'zod';
import { UsageError, ValidationError, type ProblemLocation } from '../errors.js';
import type { Calendar } from '../time/calendar.js';
import { coreEventSchemas } from './core-types.js';
import type { ValidEvent } from './event.js';
import { entityId, MAX_ID_LENGTH } from './fields.js';
import { isJsonData, jsonIssue } from '../json-data.js';
import { issuesToErrors, REPORTING } from './issues.js';
import { customTypeAdvice, unknownEnvelopeField, unknownTypeMessage } from './unknown-names.js';
import { compiled, payloadIssueErrors } from './payload-schema.js';

/** The envelope every event shares (CONTRACT.md §1). `at` is checked separately: it needs the calendar. */
export const envelopeSchema = z.strictObject({
  id: entityId.optional(),
  customerId: entityId,
  type: z.string().min(1, 'must not be empty'),
  at: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

/** What an unknown key of the envelope says: the fields, where free-form context goes, the one meant. */
const ENVELOPE_HINT = unknownEnvelopeField(envelopeSchema.shape);

export interface EventTypeDefinition {
  readonly type: string;
  readonly schema: z.ZodType;
  /** `core`, or the name of the policy plugin that registered it. */
  readonly owner: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly event: ValidEvent }
  | { readonly ok: false; readonly errors: readonly ValidationError[] };

/**
 * Known event types: the core vocabulary plus custom types registered by policy plugins.
 * Validation is all-problems-at-once: one call reports every bad field of the event.
 */
export class EventRegistry {
  readonly #types = new Map<string, EventTypeDefinition>();

  constructor() {
    for (const [type, schema] of Object.entries(coreEventSchemas)) {
      this.#types.set(type, { type, schema, owner: 'core' });
    }
  }

  /**
   * Add a custom type. Core names and names another plugin already registered are refused: a
   * UsageError with `path` `events.<type>` (the policy's `events` entry) and `rule` `invalid-format`
   * or `plugin-event-type`.
   */
  register(type: string, schema: z.ZodType, owner: string): this {
    if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(type)) {
      throw new UsageError(`policy "${owner}" registers event type "${type}": a type name starts with a letter and uses letters, digits, '.', '_' or '-'`, {
        path: `events.${type}`,
        rule: 'invalid-format',
      });
    }
    const existing = this.#types.get(type);
    if (existing !== undefined && existing.schema !== schema) {
      const who = existing.owner === 'core' ? 'a core event type' : `already registered by policy "${existing.owner}"`;
      // The rule a plugin's event type breaks in a configuration's plugins too (load-plugins.ts).
      throw new UsageError(`policy "${owner}" registers event type "${type}", which is ${who}`, { path: `events.${type}`, rule: 'plugin-event-type' });
    }
    this.#types.set(type, { type, schema, owner });
    return this;
  }

  has(type: string): boolean {
    return this.#types.has(type);
  }

  get(type: string): EventTypeDefinition | undefined {
    return this.#types.get(type);
  }

  types(): string[] {
    return [...this.#types.keys()];
  }

  customTypes(): EventTypeDefinition[] {
    return [...this.#types.values()].filter((d) => d.owner !== 'core');
  }

  /**
   * Validate one raw event. `at` is resolved with the calendar's time zone (a bare date means
   * 00:00 local). On success the payload is normalised (defaults applied).
   */
  validate(raw: unknown, calendar: Calendar, location: ProblemLocation = {}): ValidationResult {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      const got = raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw;
      return fail([new ValidationError({ ...location, path: '', rule: 'not-an-object', message: `an event must be a JSON object, got ${got}` })]);
    }
    const candidate = raw as Record<string, unknown>;

    // The hot path, a valid event: envelope checked by hand (the same rules as envelopeSchema), `at`
    // read, payload read by the type's compiled schema. Anything it cannot vouch for goes the slow
    // way below, which asks zod and reports every problem; the fast path never reports one.
    let envelopeOk = wellFormedEnvelope(candidate);
    if (envelopeOk) {
      const time = calendar.parseInstant(candidate['at'] as string);
      const known = this.#types.get(candidate['type'] as string);
      if (time !== undefined && known !== undefined) {
        const parsed = compiled(known.schema).safeParse(candidate['data'] ?? {});
        if (parsed.success && jsonPayload(known, parsed.data, candidate['meta'])) return { ok: true, event: validEvent(candidate, known.type, time, payload(known, parsed.data), location) };
      }
    }
    const errors: ValidationError[] = [];
    if (!envelopeOk) {
      const envelope = envelopeSchema.safeParse(raw, REPORTING);
      envelopeOk = envelope.success;
      if (!envelope.success) {
        errors.push(...issuesToErrors(envelope.error.issues, [], where(location, candidate), ENVELOPE_HINT));
      }
    }

    let time: number | undefined;
    const at = candidate['at'];
    if (typeof at === 'string') {
      time = calendar.parseInstant(at);
      if (time === undefined) {
        errors.push(
          new ValidationError({
            ...where(location, candidate),
            path: 'at',
            rule: 'invalid-instant',
            message: `expected an ISO-8601 date-time with Z or an offset (2017-11-20T06:00:00-07:00) or a date (2017-11-20); got ${JSON.stringify(at)}`,
          }),
        );
      }
    }

    let data: unknown;
    let canonicalType: string | undefined;
    const type = candidate['type'];
    if (typeof type === 'string' && type !== '') {
      const definition = this.#types.get(type);
      // The registry's own copy of the name: an internalized string, so every later switch, Set and
      // Map lookup on the type compares pointers instead of the characters of a freshly parsed one.
      canonicalType = definition?.type;
      if (definition === undefined) {
        errors.push(new ValidationError({ ...where(location, candidate), path: 'type', rule: 'unknown-type', message: unknownTypeMessage(type, this.types(), customTypeAdvice(this)) }));
      } else {
        // Only an absent payload stands for `{}`. `data: null` (or a string, an array) was already
        // reported by the envelope as not an object; reading it as `{}` here would add a "required
        // field is missing" for each of the type's fields, burying that one problem.
        const rawData = candidate['data'] === undefined ? {} : candidate['data'];
        if (typeof rawData === 'object' && rawData !== null && !Array.isArray(rawData)) {
          const parsed = definition.schema.safeParse(rawData, REPORTING);
          const notJson = parsed.success && definition.owner !== 'core' ? jsonIssue(parsed.data, 'data') : undefined;
          if (notJson !== undefined) errors.push(notJsonError(notJson, where(location, candidate)));
          else if (parsed.success) data = payload(definition, parsed.data);
          else errors.push(...payloadIssueErrors(type, definition.schema, parsed.error.issues, where(location, candidate)));
        }
      }
    }

    const meta = candidate['meta'];
    const metaIssue = plainObject(meta) ? jsonIssue(meta, 'meta') : undefined;
    if (metaIssue !== undefined) errors.push(notJsonError(metaIssue, where(location, candidate)));

    if (errors.length > 0 || !envelopeOk || time === undefined || canonicalType === undefined) return fail(errors);
    return { ok: true, event: validEvent(candidate, canonicalType, time, data, location) };
  }
}

/**
 * A parsed payload that shares no object with the caller's input, so changing the input after
 * recording cannot change the stored history. zod builds new objects and arrays for what a schema
 * describes, which is all of every core type; a plugin's schema may pass values through as they
 * are (`z.unknown()`, `z.record(z.string(), z.unknown())`), so its payloads are detached.
 */
function payload(definition: EventTypeDefinition, data: unknown): unknown {
  return definition.owner === 'core' ? data : detached(data);
}

/**
 * Whether a payload the schema accepted, and `meta`, are JSON data, as every store requires
 * (store/event-input.ts): the engine refuses the rest here, before any of a batch is appended, so
 * its appends need no second walk. A core type's payload is zod's output of a schema describing
 * every field (strings, finite numbers, enums), JSON data by construction; a plugin's schema may
 * pass anything through (`z.unknown()`) or build a Date.
 */
function jsonPayload(definition: EventTypeDefinition, data: unknown, meta: unknown): boolean {
  return (definition.owner === 'core' || isJsonData(data)) && (meta === undefined || isJsonData(meta));
}

function notJsonError(issue: { readonly path: string; readonly message: string }, location: ProblemLocation): ValidationError {
  return new ValidationError({ ...location, path: issue.path, rule: 'not-json', message: issue.message });
}

/** A copy of the plain objects and arrays in `value`, at every depth; anything else is kept as it is. */
function detached(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(detached);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = proto === null ? (Object.create(null) as Record<string, unknown>) : {};
  for (const key of Object.keys(value)) {
    const copy = detached((value as Record<string, unknown>)[key]);
    // Assigning "__proto__" would set the copy's prototype instead of a key.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The validated event: `type` is the registry's own copy of the name (an internalized string), `meta` copied (at every depth). */
function validEvent(candidate: Record<string, unknown>, type: string, time: number, data: unknown, location: ProblemLocation): ValidEvent {
  // Built by assignment rather than conditional spreads: one object, no temporaries.
  const event: Mutable<ValidEvent> = { customerId: candidate['customerId'] as string, type, at: candidate['at'] as string, time, data };
  const id = candidate['id'];
  if (id !== undefined) event.id = id as string;
  const meta = candidate['meta'];
  if (meta !== undefined) event.meta = shallowOnly(meta as Record<string, unknown>) ? { ...(meta as Record<string, unknown>) } : (detached(meta) as Record<string, unknown>);
  if (location.file !== undefined && location.line !== undefined) event.source = { file: location.file, line: location.line };
  return event;
}

/** No value is an object: a spread is a full copy (the usual meta, `{ "source": "zendesk" }`). */
function shallowOnly(record: Record<string, unknown>): boolean {
  for (const key in record) {
    const value = record[key];
    if (typeof value === 'object' && value !== null) return false;
  }
  return true;
}

const ENVELOPE_KEYS = new Set(['id', 'customerId', 'type', 'at', 'data', 'meta']);

/**
 * True when `envelopeSchema` would certainly accept the object: known keys only, `id` and
 * `customerId` 1–200 characters, `type` non-empty, `at` a string, `data` and `meta` plain objects.
 * False means "let zod decide and explain", never "invalid" on its own.
 */
function wellFormedEnvelope(candidate: Record<string, unknown>): boolean {
  for (const key in candidate) if (!ENVELOPE_KEYS.has(key)) return false;
  const { id, customerId, type, at, data, meta } = candidate;
  return (
    (id === undefined || (typeof id === 'string' && id.length >= 1 && id.length <= MAX_ID_LENGTH)) &&
    typeof customerId === 'string' &&
    customerId.length >= 1 &&
    customerId.length <= MAX_ID_LENGTH &&
    typeof type === 'string' &&
    type.length >= 1 &&
    typeof at === 'string' &&
    (data === undefined || plainObject(data)) &&
    (meta === undefined || plainObject(meta))
  );
}

function plainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Where a problem is, for error messages: built only when there is a problem to report. */
function where(location: ProblemLocation, candidate: Record<string, unknown>): ProblemLocation {
  return {
    ...location,
    ...(typeof candidate['customerId'] === 'string' ? { customerId: candidate['customerId'] } : {}),
    ...(typeof candidate['id'] === 'string' ? { eventId: candidate['id'] } : {}),
    ...(typeof candidate['type'] === 'string' ? { eventType: candidate['type'] } : {}),
  };
}

function fail(errors: readonly ValidationError[]): ValidationResult {
  return { ok: false, errors };
}
