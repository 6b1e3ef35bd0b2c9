import type { EventDataInput } from '../events/event.js';

/**
 * The `data` of the event types the policies declare (`events`), as written: each type's schema's
 * input (`z.input`: a field with a default may be left out, a transformed one is given as the
 * schema takes it), keyed by type name. Only the policies typed precisely (made with
 * `definePolicy` and kept so) give theirs; one typed `AnyPolicy`, or whose `events` are typed as
 * a record, adds none, so its types' data stays free-form. A type is declared by one policy only
 * (the engine refuses a second), so each entry is that policy's schema.
 */
export type PolicyEventData<Policies> = { [T in PreciseTypes<Policies>]: DataOf<Policies, T> };

/**
 * The `data` an event of type `T` is checked against where the policies' `Data` is known: a type a
 * policy declares takes its schema's input, any other what `EventDataInput` gives it (a core type's
 * payload, a type registered in `CustomEventTypes`, else any object).
 */
export type PolicyEventDataInput<T extends string, Data> = T extends keyof Data ? Data[T] : EventDataInput<T>;

/** The type names a policy (each of a union) declares, when the checker knows them. */
type PreciseTypes<P> = P extends { readonly events?: infer E } ? (0 extends 1 & E ? never : string extends keyof NonNullable<E> ? never : keyof NonNullable<E> & string) : never;

/** The input of the schema the policies give type `T`. */
type DataOf<P, T> = P extends { readonly events?: infer E }
  ? 0 extends 1 & E
    ? never
    : T extends keyof NonNullable<E>
      ? SchemaInput<NonNullable<E>[T]>
      : never
  : never;

/** What a schema takes (`z.input`), read from zod's core shape, as `AnySchema` is (any zod 4 release). */
type SchemaInput<S> = S extends { readonly _zod: { readonly input: infer I } } ? I : never;
