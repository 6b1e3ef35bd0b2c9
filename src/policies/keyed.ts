/**
 * A record keyed by ids from the input (matter, promise, survey, feedback ids and keys made from
 * them). It has no prototype: the CRM's ids are arbitrary strings, and on a plain `{}` an id such
 * as "toString" or "constructor" would read an inherited function where no entry exists, and
 * writing "__proto__" would set the prototype instead of adding an entry. The state stays plain
 * data (immer drafts and freezes null-prototype objects, JSON writes them as any object), and
 * owned.ts keeps the prototype when it copies a collection.
 */
export function keyed<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
