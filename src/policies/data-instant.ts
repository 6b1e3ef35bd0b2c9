import { parseDateTime } from '../time/instant.js';

/**
 * An instant from an event's `data` (`dueBy`, `windowStart`, `expiresAt`) as epoch ms. The registry
 * validated it with `parseDateTime`, so every policy converts it with that same parser: `Date.parse`
 * leaves forms such as a `-0700` offset to the JavaScript engine.
 */
export function dataInstant(text: string): number {
  const ms = parseDateTime(text);
  if (ms === undefined) throw new Error(`not an ISO-8601 date-time with Z or an offset: ${JSON.stringify(text)}`);
  return ms;
}
