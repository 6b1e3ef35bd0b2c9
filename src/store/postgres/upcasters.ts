import type * as z from 'zod';
import { UsageError } from '../../errors.js';
import { issuesToErrors, REPORTING } from '../../events/issues.js';
import type { EventSchemaLookup, NewEvent } from '../event-store.js';
import type { PayloadReading } from '../stored-form.js';
import { EventSchemas } from '../event-schemas.js';
import { quoteId } from '../../quote-id.js';
import { integerRule } from '../../integer-rule.js';

/**
 * Upcasting: an event's payload schema can change (a field renamed, a unit changed) while old
 * events stay in the store as written. Each upcaster lifts one type's payload from one schema
 * version to the next; on read, a stored event runs through every step from its version up to the
 * type's current one. The store is never rewritten, so the history stays as it happened.
 */
export interface Upcaster {
  /** The event type it applies to. */
  readonly type: string;
  /** The stored schema version it reads; it produces version `fromVersion + 1`. */
  readonly fromVersion: number;
  /** The payload in the next version's shape. Pure: no clock, no I/O. */
  readonly upcast: (data: unknown, event: { readonly customerId: string; readonly id: string; readonly at: string }) => unknown;
}

/**
 * An event being upcast, as its failures name it: a stored one by its id; a new one given without
 * an id (the store assigns it on writing) by its place in the batch (`index`, 0-based), its type
 * and its customer, as the store's other problems of such an event are named (`event #2
 * (PromiseMade of customer "c")`).
 */
interface UpcastEvent {
  readonly type: string;
  readonly customerId: string;
  readonly id?: string | undefined;
  readonly at: string;
  readonly index?: number;
}

function eventLabel(event: UpcastEvent): string {
  if (event.id !== undefined) return `event ${quoteId(event.id)} of customer ${quoteId(event.customerId)}`;
  const about = `${event.type} of customer ${quoteId(event.customerId)}`;
  return event.index === undefined ? `an event without an id (${about})` : `event #${event.index + 1} (${about})`;
}

/** The upcasters of a store, indexed by type, with each type's current schema version. */
export class Upcasters {
  readonly #steps = new Map<string, Map<number, Upcaster['upcast']>>();
  readonly #schemas = new EventSchemas();
  #generation = 0;

  constructor(upcasters: readonly Upcaster[] = []) {
    upcasters.forEach((upcaster, i) => this.#add(upcaster, `upcasters[${i}].`));
  }

  /**
   * Adds one step. A UsageError for a `fromVersion` that is no integer from 1 (`rule`
   * `invalid-type` or `too-small`) or that the type already has a step from (`duplicate`), with
   * `path` `fromVersion` (`upcasters[i].fromVersion` for the constructor's list, the store's option).
   */
  register(upcaster: Upcaster): this {
    return this.#add(upcaster, '');
  }

  #add(upcaster: Upcaster, at: string): this {
    const { type, fromVersion } = upcaster;
    const path = `${at}fromVersion`;
    if (!Number.isInteger(fromVersion) || fromVersion < 1) {
      throw new UsageError(`upcaster for "${type}": fromVersion must be an integer >= 1, got ${String(fromVersion)}`, {
        path,
        rule: integerRule(fromVersion),
      });
    }
    let steps = this.#steps.get(type);
    if (steps === undefined) this.#steps.set(type, (steps = new Map()));
    if (steps.has(fromVersion)) throw new UsageError(`upcaster for "${type}" from version ${fromVersion} is registered twice`, { path, rule: 'duplicate' });
    steps.set(fromVersion, upcaster.upcast);
    this.#generation++;
    return this;
  }

  /**
   * Where to find the payload schemas of custom (plugin) types, so their upcast payloads are
   * validated too (`EventStore.useEventSchemas`; an engine on the store calls it). Several
   * engines may add theirs: the first lookup that knows a type answers.
   */
  useSchemas(schemaOf: EventSchemaLookup): this {
    if (this.#schemas.use(schemaOf)) this.#generation++;
    return this;
  }

  /** The payload schemas known: the core types', and those `useSchemas` gave (a store validates new events by them too). */
  get schemas(): EventSchemas {
    return this.#schemas;
  }

  /**
   * How many upcasters (or schema lookups) were registered: it changes whenever a stored event may read differently
   * than before (a projection worker's cache reads a stream whole again when it has changed).
   */
  get generation(): number {
    return this.#generation;
  }

  /** The version new events of `type` are written with: 1 + the highest `fromVersion`, or 1. */
  currentVersion(type: string): number {
    const steps = this.#steps.get(type);
    return steps === undefined ? 1 : Math.max(...steps.keys()) + 1;
  }

  /** The payload upgraded from `version` to the current version (the same object when no step applies), validated when it was upcast. */
  upgrade(event: UpcastEvent, data: unknown, version: number): { data: unknown; schemaVersion: number } {
    const lifted = this.#lift(event, data, version);
    return lifted.schemaVersion === version ? lifted : { data: checkedUpcast(event, lifted.data, version, lifted.schemaVersion, this.#schemas.schemaOf(event.type)), schemaVersion: lifted.schemaVersion };
  }

  /**
   * A new event's payload as it will read, for one given at an older schema version than its
   * type's current one (the store keeps it as given and upcasts it on every read); undefined for
   * one read as given. A store validates it before writing (stored-form.ts): a payload no read
   * could hand out is refused then, not stored. A step that throws, or one missing, is the
   * UsageError a read would give.
   */
  readonly #asRead = (event: NewEvent, index: number): { data: unknown; from: number; to: number } | undefined => {
    const version = event.schemaVersion;
    if (version === undefined || !this.#steps.has(event.type)) return undefined;
    const current = this.currentVersion(event.type);
    if (version >= current) return undefined;
    const { data } = this.#lift({ type: event.type, customerId: event.customerId, id: event.id, at: event.at, index }, event.data, version);
    return { data, from: version, to: current };
  };

  /** How the store reads new events' payloads: by these schemas, an older schema version upcast first. */
  readonly reading: PayloadReading = { schemas: this.#schemas, upcast: this.#asRead };

  /** The steps from `version` on, unchecked. */
  #lift(event: UpcastEvent, data: unknown, version: number): { data: unknown; schemaVersion: number } {
    const steps = this.#steps.get(event.type);
    if (steps === undefined) return { data, schemaVersion: version };
    let current = data;
    let v = version;
    for (let step = steps.get(v); step !== undefined; step = steps.get(v)) {
      try {
        current = step(current, { customerId: event.customerId, id: event.id ?? '', at: event.at });
      } catch (error) {
        // Named like the other upcasting failures: the event, and the step that threw.
        const reason = error instanceof Error ? error.message : String(error);
        throw new UsageError(`${eventLabel(event)}: the upcaster of ${event.type} from schema version ${v} threw: ${reason}`, {
          cause: error,
          customerId: event.customerId,
        });
      }
      v++;
    }
    // A missing step (say 2 -> 3 while 1 -> 2 and 3 -> 4 exist) must not hand out a half-upgraded payload.
    if (v < this.currentVersion(event.type)) {
      throw new UsageError(`${eventLabel(event)}: no upcaster for ${event.type} from schema version ${v} (current is ${this.currentVersion(event.type)})`, {
        customerId: event.customerId,
      });
    }
    return { data: current, schemaVersion: v };
  }
}

/** A new event as it would read back (payload at the current schema version): for idempotency checks. */
export function asCurrent<E extends { readonly type: string; readonly customerId: string; readonly id?: string | undefined; readonly at: string; readonly data: unknown; readonly schemaVersion?: number }>(
  upcasters: Upcasters,
  event: E,
): E {
  const version = event.schemaVersion ?? upcasters.currentVersion(event.type);
  const { data } = upcasters.upgrade({ type: event.type, customerId: event.customerId, id: event.id, at: event.at }, event.data, version);
  return data === event.data ? event : { ...event, data };
}

/**
 * An upcast payload, validated as a new event's would be (and with its defaults, such as a
 * promise's `importance`), since stored events are folded without being parsed again: a step that
 * writes `dueby` for `dueBy`, or leaves out a field, is named here rather than failing later inside
 * a policy. Core types are always checked; a custom type when its schema is known (an engine on
 * the store gave its registry's), else handed out as the upcaster made it.
 */
function checkedUpcast(event: UpcastEvent, data: unknown, from: number, to: number, schema: z.ZodType | undefined): unknown {
  if (schema === undefined) return data;
  const parsed = schema.safeParse(data, REPORTING);
  if (parsed.success) return parsed.data;
  const problems = issuesToErrors(parsed.error.issues, ['data'], {}).map((e) => `${e.path}: ${e.detail}`);
  throw new UsageError(
    `${eventLabel(event)}: the upcasters of ${event.type} from schema version ${from} to ${to} made a payload that is not a valid ${event.type}: ${problems.join('; ')}`,
    { customerId: event.customerId },
  );
}
