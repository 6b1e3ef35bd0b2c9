import { closest } from './closest.js';
import { listText } from '../list-text.js';
import { isCoreEventType } from './core-types.js';
import { didYouMean } from './did-you-mean.js';
import { knownFields } from './known-fields.js';
import type { EventRegistry } from './registry.js';

// The words of a registry's problems with a name it does not know: an event type, a field of an event's data.

/** What a registry's unknown-type message says of custom types, where its owner says it otherwise (`adviseOnCustomTypes`). */
const advice = new WeakMap<EventRegistry, string>();

/**
 * Internal, not exported from the package: the words an unknown type's message ends with in place
 * of "Custom types must be registered by a policy plugin." The CLI's, with no plugin loaded, say
 * how to load one (its flags); the library's own are about registering a policy plugin.
 */
export function adviseOnCustomTypes(registry: EventRegistry, words: string): void {
  advice.set(registry, words);
}

export function unknownTypeMessage(type: string, known: readonly string[], customAdvice = 'Custom types must be registered by a policy plugin.'): string {
  const suggestion = closest(type, known);
  const hint = suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
  const core = isCoreEventType(type) ? '' : ` ${customAdvice}`;
  return `unknown event type "${type}".${hint}${core}`;
}

/** The words `adviseOnCustomTypes` gave `registry`, if any. */
export function customTypeAdvice(registry: EventRegistry): string | undefined {
  return advice.get(registry);
}

/**
 * The hint after "unknown field" in an event's data: what it is not part of, and the closest field
 * of the object it is in (by `closest`, as an unknown type's suggestion) that the data does not
 * have already, for a misspelt field (`subjct` beside a missing `subject`).
 */
export function unknownDataField(schema: unknown, type: string): (parent: readonly PropertyKey[], key: string, given: unknown) => string {
  const hint = ` (not part of ${type}; free-form context belongs in meta)`;
  return (parent, key, given) => `${hint}${didYouMean(key, knownFields(schema, parent) ?? [], given, 'own-key')}`;
}

/**
 * The hint after "unknown field" in an event's envelope: the fields an event has and where
 * free-form context belongs, then the closest field (`didYouMean`: by `closest`, one the event does
 * not have already) among those whose schema in `shape` takes the key's value, for a misspelt one
 * (`customerID` with a string, `dat` with an object). A free-form key is often as close to some
 * short field (`note` to meta, `name` to data) but holds what that field would refuse (a string,
 * a list), so it is told only where free-form context goes.
 */
export function unknownEnvelopeField(shape: Readonly<Record<string, { safeParse(value: unknown): { success: boolean } }>>): (parent: readonly PropertyKey[], key: string, given: unknown) => string {
  const fields = Object.keys(shape);
  const hint = ` (an event has ${listText(fields)}; free-form context belongs in meta)`;
  return (_parent, key, given) => {
    const value = (given as Record<string, unknown>)[key];
    return `${hint}${didYouMean(key, fields.filter((field) => shape[field]?.safeParse(value).success === true), given, 'own-key')}`;
  };
}
