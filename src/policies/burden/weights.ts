import * as z from 'zod';

/**
 * The default burden weights: points per unit of what the customer was put through.
 *
 * The ranking follows the customer-effort research of CEB (now Gartner): Dixon, Freeman and
 * Toman, "Stop Trying to Delight Your Customers" (Harvard Business Review, July–August 2010) and
 * Dixon, Toman and DeLisi, "The Effortless Experience" (Portfolio/Penguin, 2013). Their finding:
 * loyalty is lost through effort, not won through delight, and the strongest drivers of
 * disloyalty are having to contact the company again (repeat contacts), being transferred,
 * having to switch channels, and having to repeat information. A fix that did not fix is a
 * repeat contact by construction, so failed attempts weigh most, and each further failure on the
 * same matter weighs more than the last. The research ranks drivers; it does not publish these
 * numbers. They are an ordinal reading of it, chosen so that one plain failed ten-minute remote
 * session (about 4 points) stays well below the first level (10), while elapsed time alone
 * (downtime) rises slowly: failures raise severity faster than time does.
 */
export const defaultWeights = {
  /** A fix attempt that failed: the customer must come back (a repeat contact). */
  failedAttempt: 4,
  /** A fix that fixed only part of the problem: another visit or call is coming. */
  partialAttempt: 2,
  /** A fix that made things worse (the technician broke a more critical part). */
  worsenedAttempt: 6,
  /** Extra points for the n-th unsuccessful attempt on one matter: (n - 1) × this. Compounds. */
  repeatFailure: 3,
  /** Per hour of the customer's own effort: tasks, time spent on fix attempts, calls they made. */
  effortHour: 1,
  /** Per hour on hold (`waitMinutes`): pure waste, twice an hour of effort. */
  holdHour: 2,
  /** Per 24 hours without the thing (`downtimeHours`), times the matter's severity factor. */
  downtimeDay: 0.5,
  /** Per transfer between people or departments. */
  transfer: 2,
  /** Per request to give again something already given (`CustomerTaskRequested` with `repeat`). */
  repeatedRequest: 3,
  /** Per time the customer had to change channel on a matter (phone, then web, then phone). */
  channelSwitch: 2,
  /** Per inbound contact made to chase (`purpose: "chase"`): nobody told them. */
  chase: 3,
  /** Per further inbound contact on a matter that is not a chase (the customer had to call again). */
  repeatContact: 1.5,
  /** Per broken promise (overdue or broken explicitly), times 0.5 / 1 / 1.5 for its importance. */
  brokenPromise: 4,
} as const;

export type BurdenWeights = { -readonly [K in keyof typeof defaultWeights]: number };

const weight = (value: number) => z.number().finite().min(0).default(value);

/** Weights as an option: give only the ones to change; a misspelt weight is an error naming it. */
export const weightsSchema = z
  .strictObject(
    Object.fromEntries(Object.entries(defaultWeights).map(([key, value]) => [key, weight(value)])) as {
      [K in keyof typeof defaultWeights]: ReturnType<typeof weight>;
    },
  )
  .prefault({});

/** Downtime on a critical matter costs more: the seed's computer was how the customer worked. */
export const severityFactor = { low: 0.5, normal: 1, high: 1.5, critical: 2 } as const;

/** A broken high-importance promise costs more than a low one. */
export const importanceFactor = { low: 0.5, normal: 1, high: 1.5 } as const;
