import type * as z from 'zod';
import { coreEventSchemas, isCoreEventType } from '../../events/core-types.js';

/**
 * jsonb keeps an object's values, not its key order: it keeps keys shorter first (in UTF-8
 * bytes), then bytewise. An event's `data` and `meta` must read back from the PostgreSQL store as
 * they were appended, keys in the same order, as the in-memory store gives them: a policy may copy
 * a payload into a finding or list its keys in a message, and the findings must be the same bytes
 * whichever store holds the events.
 *
 * So `data` and `meta` stay jsonb (what SQL queries use), and the order is found again on read:
 * - a core type's payload is read in its schema's field order (CONTRACT.md §1), the order the
 *   engine's validation writes it in, then any other key in jsonb's order;
 * - anything else, in jsonb's order.
 * An object that would read back in another order than it was written (a plugin's payload, a
 * `meta`, a core payload given directly with its fields in another order) is written also as its
 * JSON text, in `data_text` / `meta_text` (as `at_text` keeps `at` as written), and read from it;
 * for the others those columns are null and cost nothing. Rows written before the columns existed
 * (schema version 5) read as jsonb and the core order give them.
 */

/** A core type's fields in its schema's order; undefined for any other type. */
export function coreKeyOrder(type: string): ReadonlyMap<string, number> | undefined {
  if (!isCoreEventType(type)) return undefined;
  let order = orders.get(type);
  if (order === undefined) {
    let schema = coreEventSchemas[type] as z.ZodType;
    // ContactMade is an object piped into a transform (its default purpose).
    while (schema._zod.def.type === 'pipe') schema = (schema._zod.def as unknown as { in: z.ZodType }).in;
    const shape = (schema._zod.def as unknown as { shape: Record<string, unknown> }).shape;
    order = new Map(Object.keys(shape).map((key, i) => [key, i]));
    orders.set(type, order);
  }
  return order;
}
const orders = new Map<string, ReadonlyMap<string, number>>();

/**
 * The JSON text to keep beside the jsonb (`json`, the text of `value`), or null when reading the
 * jsonb back gives `value`'s keys in its own order at every depth (`known`: a core type's order of
 * its top-level fields, which `readInOrder` restores).
 */
export function keptText(value: unknown, json: string, known?: ReadonlyMap<string, number>): string | null {
  return readsBackInOrder(value, known) ? null : json;
}

/** A payload read from jsonb, its top-level keys put in `known`'s order (a core type's), the others after them in jsonb's. */
export function readInOrder(value: unknown, known: ReadonlyMap<string, number> | undefined): unknown {
  if (known === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length < 2) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of known.keys()) if (Object.hasOwn(source, key)) out[key] = source[key];
  for (const key of keys) if (!known.has(key)) out[key] = source[key];
  return out;
}

/**
 * Whether JSON.parse of the jsonb's text gives `value`'s keys in the same order, at every depth. A
 * JavaScript object lists array-index keys (`"2"`, `"10"`) first, ascending, whatever the order
 * they were set in, so those are in order either way; the others must be in jsonb's order (after
 * `known`'s keys, in `known`'s order, at the top level). Keys holding `undefined` are not written.
 */
function readsBackInOrder(value: unknown, known?: ReadonlyMap<string, number>): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every((item) => readsBackInOrder(item));
  const source = value as Record<string, unknown>;
  let knownAt = -1;
  let previous: string | undefined;
  for (const key in source) {
    const item = source[key];
    if (item === undefined) continue;
    if (!readsBackInOrder(item)) return false;
    if (isArrayIndex(key)) continue;
    const at = known?.get(key);
    if (at !== undefined) {
      // A known key after another known one only, and after no other key.
      if (at < knownAt || previous !== undefined) return false;
      knownAt = at;
    } else {
      if (previous !== undefined && !jsonbBefore(previous, key)) return false;
      previous = key;
    }
  }
  return true;
}

/** jsonb's key order: fewer UTF-8 bytes first, then bytewise. */
function jsonbBefore(a: string, b: string): boolean {
  if (ASCII.test(a) && ASCII.test(b)) return a.length !== b.length ? a.length < b.length : a < b;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length !== y.length ? x.length < y.length : Buffer.compare(x, y) < 0;
}
const ASCII = /^[\x00-\x7f]*$/;

/** An array index, which a JavaScript object lists first, ascending: a canonical integer below 2^32 - 1. */
function isArrayIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57) return false; // the usual key: not a digit
  return key === '0' || (/^[1-9]\d{0,9}$/.test(key) && Number(key) < 4_294_967_295);
}
