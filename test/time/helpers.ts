import { parseDateTime } from '../../src/time/instant.js';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** Epoch ms of a date-time with an explicit offset; throws so a typo in a test cannot pass silently. */
export function at(text: string): number {
  const ms = parseDateTime(text);
  if (ms === undefined) throw new Error(`test setup: bad date-time ${text}`);
  return ms;
}
