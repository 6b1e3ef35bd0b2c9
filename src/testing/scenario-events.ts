import { setEntry } from '../set-entry.js';
import type { SpecEvent } from './policy-spec.js';

/**
 * The events as written now: a caller changing an event object after given() or when(), or
 * between two then… calls, would otherwise change the scenario, read only when it runs. Each
 * event is spread as `fill` spreads it, and its plain objects and arrays copied at every depth.
 * Anything else (a function, a Date, a class instance) is kept as it is, not cloned into plain
 * data (as structuredClone would a class instance), so the run refuses it as it refuses it today.
 * Taken as `unknown`: a plugin's `data` is typed by its schema's input, which may be any value
 * (validation, not this copy, refuses one that is no object).
 */
export function copyEvents(events: readonly unknown[]): SpecEvent[] {
  return events.map((event: unknown) => {
    if (typeof event !== 'object' || event === null) return event as SpecEvent;
    const seen = new Map<object, unknown>();
    const out: Record<string, unknown> = { ...event };
    for (const key of Object.keys(out)) setEntry(out, key, plainCopy(out[key], seen));
    return out as SpecEvent;
  });
}

/**
 * Plain objects (same prototype, `Object.prototype` or null) and arrays (holes kept) copied;
 * `seen` maps each to its copy, so a cycle is copied as a cycle, which the run refuses as it
 * would the original, rather than walked for ever.
 */
function plainCopy(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    seen.set(value, out);
    for (let i = 0; i < value.length; i++) if (i in value) out[i] = plainCopy(value[i], seen);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = proto === null ? (Object.create(null) as Record<string, unknown>) : {};
  seen.set(value, out);
  for (const key of Object.keys(value)) setEntry(out, key, plainCopy((value as Record<string, unknown>)[key], seen));
  return out;
}
