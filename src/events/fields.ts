import * as z from 'zod';
import { parseDateTime } from '../time/instant.js';
import { DATE_TIME_JSON_PATTERN } from './instant-schema.js';

/** Reusable field schemas for event payloads. Kept here so core and plugin types read alike. */

/**
 * The longest id, in characters (code points, as zod and JSON Schema count them): an event's `id`
 * and `customerId`, and the ids in data. The stores refuse a longer customer id too (store/event-input.ts).
 */
export const MAX_ID_LENGTH = 200;

/**
 * The words of the id rule, one source for the engine's schemas (below, and the envelope's `id`
 * and `customerId`) and the stores' own check of the same ids (store/event-input.ts).
 */
export const ID_EMPTY = 'must not be empty';
export const ID_TOO_LONG = `must be at most ${MAX_ID_LENGTH} characters`;

/** An id referenced in data (`matterId`, `promiseId`, ...): scoped to the stream. */
export const entityId = z.string().min(1, ID_EMPTY).max(MAX_ID_LENGTH, ID_TOO_LONG);

/** Free text such as a title or a reason. */
export const text = z.string().max(10_000, 'must be at most 10000 characters');

/**
 * An instant inside `data` (`dueBy`, `windowStart`, `expiresAt`): a full ISO-8601 date-time with
 * `Z` or an offset. A bare date is refused here because "due by 2017-11-21" is ambiguous (start
 * or end of the day?); the envelope's `at` accepts dates because "it happened that day" is not.
 */
export const dateTime = z
  .string()
  .refine((value) => parseDateTime(value) !== undefined, {
    message: 'expected an ISO-8601 date-time with Z or an offset, e.g. 2017-11-21T17:00:00-07:00',
    params: { rule: 'invalid-date-time' },
  })
  // The printed JSON Schema gets the parser's exact pattern, not `format: date-time` (see instant-schema.ts).
  .meta({ pattern: DATE_TIME_JSON_PATTERN });

/**
 * The largest amount a count or duration field takes (`waitMinutes`, `downtimeHours`, `transfers`…):
 * a million minutes is about two years, a million hours a century. Beyond it the number is a
 * mistake (a unit, a timestamp in the wrong field), and left in, the burden's weighted sums of such
 * amounts reach Infinity, which is not JSON: refused where the event comes in, as `too-big`.
 */
export const MAX_AMOUNT = 1_000_000;
export const nonNegativeNumber = z.number().finite().nonnegative('must be zero or more').max(MAX_AMOUNT);
export const nonNegativeInteger = z.number().int('must be a whole number').nonnegative('must be zero or more').max(MAX_AMOUNT);

export const severities = ['low', 'normal', 'high', 'critical'] as const;
export const matterStatuses = ['in-progress', 'waiting-on-customer', 'waiting-on-third-party'] as const;
export const directions = ['inbound', 'outbound'] as const;
export const channels = ['phone', 'email', 'chat', 'sms', 'visit', 'mail', 'bot', 'web', 'social', 'other'] as const;
export const purposes = [
  'update',
  'question',
  'answer',
  'check-in',
  'chase',
  'complaint',
  'marketing',
  'automated',
  'survey',
] as const;
export const importances = ['low', 'normal', 'high'] as const;
export const outcomes = ['succeeded', 'partial', 'failed', 'worsened'] as const;

export type Severity = (typeof severities)[number];
export type MatterStatus = (typeof matterStatuses)[number];
export type Direction = (typeof directions)[number];
export type Channel = (typeof channels)[number];
export type Purpose = (typeof purposes)[number];
export type Importance = (typeof importances)[number];
export type Outcome = (typeof outcomes)[number];
