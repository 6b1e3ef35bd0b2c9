import type { CoreEventType } from '../events/core-types.js';
import type { CustomEventTypes, EventTypeName } from '../events/event.js';
import type { AnyPolicy } from './define-policy.js';

/**
 * The event types an engine running `Policies` takes: the core types, the types the policies
 * declare (`events`), and those registered in `CustomEventTypes` (declaring a type there says its
 * plugin is in use). `string` when a policy has types the type checker does not know (a policy
 * typed `AnyPolicy`, or `events` typed as a record), so that any name passes there.
 */
export type PolicyTypeNames<Policies extends AnyPolicy> = string extends DeclaredTypes<Policies>
  ? string
  : CoreEventType | (keyof CustomEventTypes & string) | DeclaredTypes<Policies>;

/** The custom types a policy declares (each of a union of policies); `string` for unknown ones. */
type DeclaredTypes<P> = P extends { readonly events?: infer E } ? (0 extends 1 & E ? string : keyof NonNullable<E> & string) : string;

/**
 * An event's type name checked against the `Known` names: `T` when it is one of them (or not a
 * literal: a name held in a `string` may be any), else the known names, so that a misspelt one
 * is a type error listing them. With `Known` `string`, any name.
 */
export type KnownTypeName<T extends string, Known extends string> = string extends Known ? T : string extends T ? T : T extends Known ? T : Known;

/**
 * What an event's `type` is inferred against, so an editor offers the names: the core and
 * registered ones (`EventTypeName`) and the policies' own. Not joined to `string` where any name
 * goes, which would absorb every literal and leave nothing to offer.
 */
export type OfferedTypeName<Known extends string> = string extends Known ? EventTypeName : EventTypeName | Known;
