import type * as z from 'zod';
import { coreEventSchemas, isCoreEventType } from '../events/core-types.js';
import { compiled } from '../events/payload-schema.js';
import type { EventSchemaLookup } from './event-store.js';

/** What a store knows of one event type's payload: its schema, the schema compiled, and whether it is a core type. */
export interface KnownType {
  readonly type: string;
  readonly schema: z.ZodType;
  /** `compiled(schema)`: the engine's own check of a valid payload. */
  readonly fast: z.ZodType;
  /** A core type's parsed payload is JSON data by construction; a plugin's schema may pass anything through. */
  readonly core: boolean;
}

/**
 * The payload schemas a store validates and upcasts by: the core types always, a plugin's once an
 * engine built on the store has handed over its registry (`EventStore.useEventSchemas`; several
 * engines may: the first lookup that knows a type answers). A type found is kept, with its
 * compiled schema, so an append asks a Map; a type not found is asked again next time (an engine
 * may hand over its schemas later).
 */
export class EventSchemas {
  readonly #lookups: EventSchemaLookup[] = [];
  readonly #known = new Map<string, KnownType>();

  /** Adds a lookup; false when it was added already. */
  use(lookup: EventSchemaLookup): boolean {
    if (this.#lookups.includes(lookup)) return false;
    this.#lookups.push(lookup);
    return true;
  }

  /** The type's schema, or undefined for a type no lookup knows. */
  schemaOf(type: string): z.ZodType | undefined {
    return this.known(type)?.schema;
  }

  /** What the store knows of `type`, or undefined. */
  known(type: string): KnownType | undefined {
    const found = this.#known.get(type);
    if (found !== undefined) return found;
    let schema: z.ZodType | undefined;
    const core = isCoreEventType(type);
    if (core) schema = coreEventSchemas[type];
    for (let i = 0; schema === undefined && i < this.#lookups.length; i++) schema = (this.#lookups[i] as EventSchemaLookup)(type);
    if (schema === undefined) return undefined;
    const known: KnownType = { type, schema, fast: compiled(schema), core };
    this.#known.set(type, known);
    return known;
  }
}
