/**
 * Idempotency rule (CONTRACT.md §1): re-sending an event id with an identical payload is a no-op.
 * "Payload" is the type, the instant (`at` compared as a point in time, so `-07:00` and `Z`
 * spellings of the same moment match) and the normalised `data`. `meta` is transport context
 * (ingestion timestamps, retry counters) and is not compared.
 */
export function samePayload(
  a: { readonly type: string; readonly time: number; readonly data: unknown },
  b: { readonly type: string; readonly time: number; readonly data: unknown },
): boolean {
  return a.type === b.type && a.time === b.time && deepEqual(a.data, b.data);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  // `===`, not Object.is: -0 and 0 are one JSON number (PostgreSQL gives back 0 for -0), and NaN is no JSON data.
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
