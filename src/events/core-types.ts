import * as z from 'zod';
import { parseDateTime } from '../time/instant.js';
import {
  channels,
  dateTime,
  directions,
  entityId,
  importances,
  matterStatuses,
  nonNegativeInteger,
  nonNegativeNumber,
  outcomes,
  purposes,
  severities,
  text,
  type Purpose,
} from './fields.js';

/**
 * The payload (`data`) schema of every core event type, exactly as CONTRACT.md §1 lists them.
 * Objects are strict: an unknown field is an error (a misspelt `matterID` must not pass silently;
 * free-form context belongs in `meta`). Defaults the contract states are applied here, once, so
 * stored events and policies see the normalised payload.
 */

const windowBeforeDue = (value: { dueBy: string; windowStart?: string | undefined }): boolean =>
  value.windowStart === undefined || (parseDateTime(value.windowStart) ?? 0) <= (parseDateTime(value.dueBy) ?? 0);
const windowRule = {
  message: 'windowStart must not be after dueBy',
  path: ['windowStart'],
  params: { rule: 'window-after-due' },
};

export const RelationshipStarted = z.strictObject({ plan: text.optional() });
export const RelationshipEnded = z.strictObject({ reason: text.optional() });

export const MatterOpened = z.strictObject({
  matterId: entityId,
  title: text.optional(),
  severity: z.enum(severities).default('normal'),
});
export const MatterStatusChanged = z.strictObject({ matterId: entityId, status: z.enum(matterStatuses) });
export const MatterResolved = z.strictObject({ matterId: entityId, resolution: text.optional() });
export const MatterReopened = z.strictObject({ matterId: entityId, reason: text.optional() });

export const ContactMade = z
  .strictObject({
    matterId: entityId.optional(),
    direction: z.enum(directions),
    channel: z.enum(channels),
    purpose: z.enum(purposes).optional(),
    party: text.optional(),
    waitMinutes: nonNegativeNumber.optional(),
    transfers: nonNegativeInteger.optional(),
    durationMinutes: nonNegativeNumber.optional(),
  })
  // Contract: purpose defaults to `update` when outbound, `question` when inbound. Filled in place:
  // zod built `value` for this parse, so a copy would only cost (same keys, same order as a spread).
  .transform((value) => {
    value.purpose ??= value.direction === 'outbound' ? 'update' : 'question';
    return value as typeof value & { purpose: Purpose };
  });

export const PromiseMade = z
  .strictObject({
    promiseId: entityId,
    what: text.min(1, 'must not be empty'),
    dueBy: dateTime,
    windowStart: dateTime.optional(),
    matterId: entityId.optional(),
    party: text.optional(),
    importance: z.enum(importances).default('normal'),
  })
  .refine(windowBeforeDue, windowRule);
export const PromiseKept = z.strictObject({ promiseId: entityId });
export const PromiseRevised = z
  .strictObject({
    promiseId: entityId,
    dueBy: dateTime,
    windowStart: dateTime.optional(),
    reason: text.optional(),
  })
  .refine(windowBeforeDue, windowRule);
export const PromiseBroken = z.strictObject({ promiseId: entityId, reason: text.optional() });
export const PromiseCancelled = z.strictObject({ promiseId: entityId, reason: text.optional() });

export const FixAttempted = z.strictObject({
  matterId: entityId,
  method: text.min(1, 'must not be empty'),
  outcome: z.enum(outcomes),
  attemptId: entityId.optional(),
  customerEffortMinutes: nonNegativeNumber.optional(),
  downtimeHours: nonNegativeNumber.optional(),
  party: text.optional(),
});

export const CustomerTaskRequested = z.strictObject({
  task: text.min(1, 'must not be empty'),
  matterId: entityId.optional(),
  effortMinutes: nonNegativeNumber.optional(),
  repeat: z.boolean().optional(),
});

export const SurveySent = z.strictObject({
  surveyId: entityId,
  matterId: entityId.optional(),
  expiresAt: dateTime.optional(),
  channel: z.enum(channels).optional(),
});
export const SurveyAnswered = z.strictObject({
  surveyId: entityId,
  score: z.number().finite().optional(),
  comment: text.optional(),
});

export const FeedbackReceived = z.strictObject({
  feedbackId: entityId,
  matterId: entityId.optional(),
  channel: z.enum(channels).optional(),
  text: text.optional(),
});
export const FeedbackAnswered = z.strictObject({ feedbackId: entityId });

/** Every core type's payload schema, keyed by the exact `type` name. */
export const coreEventSchemas = {
  RelationshipStarted,
  RelationshipEnded,
  MatterOpened,
  MatterStatusChanged,
  MatterResolved,
  MatterReopened,
  ContactMade,
  PromiseMade,
  PromiseKept,
  PromiseRevised,
  PromiseBroken,
  PromiseCancelled,
  FixAttempted,
  CustomerTaskRequested,
  SurveySent,
  SurveyAnswered,
  FeedbackReceived,
  FeedbackAnswered,
} as const;

export type CoreEventType = keyof typeof coreEventSchemas;
export const coreEventTypes = Object.keys(coreEventSchemas) as CoreEventType[];

/** The normalised payload of each core type (defaults applied), inferred from the schemas. */
export type CoreEventData = { [K in CoreEventType]: z.output<(typeof coreEventSchemas)[K]> };
/** The payload as a CRM may write it (defaults optional). */
export type CoreEventDataInput = { [K in CoreEventType]: z.input<(typeof coreEventSchemas)[K]> };

export function isCoreEventType(type: string): type is CoreEventType {
  return Object.hasOwn(coreEventSchemas, type);
}
