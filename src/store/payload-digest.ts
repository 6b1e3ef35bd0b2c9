import { createHash } from 'node:crypto';

/**
 * A fixed-size fingerprint of an event's payload, for remembering what an id was written with
 * without keeping the event: `payloadDigest(a) === payloadDigest(b)` exactly when
 * `samePayload(a, b)` (same type, same instant, `data` equal by `deepEqual`: key order and
 * undefined-valued keys ignored, `-0` and `0` apart, `NaN` equal to itself).
 */
export function payloadDigest(event: { readonly type: string; readonly time: number; readonly data: unknown }): string {
  return createHash('sha1').update(canonical(event.type)).update('\u0000').update(canonical(event.time)).update('\u0000').update(canonical(event.data)).digest('base64');
}

/** An unambiguous text form; two values get the same text exactly when `deepEqual` holds. */
function canonical(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'object': {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(',')}}`;
    }
    case 'undefined':
      return 'undefined';
    case 'bigint':
      return `${value}n`;
    default:
      return `${typeof value}:${String(value)}`;
  }
}
