import { closest } from './closest.js';

/**
 * When the object an unknown name was found in already has a known name, which is then not
 * offered: `'own-key'`, a key of its own whatever its value (an event's payload or envelope, the
 * configuration: a field written as undefined is still written); `'defined'`, a value other than
 * undefined (an options object, where undefined takes the default, as if the name were left out).
 */
export type Presence = 'own-key' | 'defined';

/**
 * The "Did you mean …?" of every unknown name heed refuses: for each of `names` the closest of
 * `known` (by `closest`, the rule of an unknown event type's suggestion) that `given` does not have
 * by `presence`, other than the name itself. `. Did you mean "x"?` for one name, `. Did you mean
 * "x" for "a", "y" for "b"?` for those of several that have one; '' when none has.
 */
export function didYouMean(names: string | readonly string[], known: readonly string[], given: unknown, presence: Presence): string {
  const object = (typeof given === 'object' && given !== null ? given : {}) as Record<string, unknown>;
  const free = known.filter((name) => (presence === 'own-key' ? !Object.hasOwn(object, name) : object[name] === undefined));
  const list = typeof names === 'string' ? [names] : names;
  const pairs: string[] = [];
  for (const name of list) {
    const suggestion = closest(name, free.filter((candidate) => candidate !== name));
    if (suggestion !== undefined) pairs.push(list.length === 1 ? JSON.stringify(suggestion) : `${JSON.stringify(suggestion)} for ${JSON.stringify(name)}`);
  }
  return pairs.length === 0 ? '' : `. Did you mean ${pairs.join(', ')}?`;
}
