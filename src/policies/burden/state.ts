import type { Importance, Outcome, Severity } from '../../events/fields.js';
import { keyed } from '../keyed.js';

/** What a contribution to the burden score is about (the `driver` of `burden.escalated`). */
export const drivers = [
  'failed-attempt',
  'partial-attempt',
  'worsened-attempt',
  'repeat-failure',
  'customer-effort',
  'hold',
  'downtime',
  'transfer',
  'repeated-request',
  'channel-switch',
  'chase',
  'repeat-contact',
  'broken-promise',
] as const;
export type Driver = (typeof drivers)[number];

/** How each driver's `amount` is counted. */
export const driverUnits: Record<Driver, string> = {
  'failed-attempt': 'attempts',
  'partial-attempt': 'attempts',
  'worsened-attempt': 'attempts',
  'repeat-failure': 'attempts',
  'customer-effort': 'hours',
  hold: 'hours',
  downtime: 'hours',
  transfer: 'transfers',
  'repeated-request': 'requests',
  'channel-switch': 'switches',
  chase: 'contacts',
  'repeat-contact': 'contacts',
  'broken-promise': 'promises',
};

/** One thing the customer was put through, with the points it adds while inside the window. */
export interface Contribution {
  readonly time: number;
  /** Leaves the rolling window at this instant. */
  readonly expiresAt: number;
  readonly matterId: string | null;
  readonly driver: Driver;
  readonly amount: number;
  readonly points: number;
  readonly eventId: string;
}

export interface Attempt {
  readonly eventId: string;
  readonly method: string;
  readonly outcome: Outcome;
  readonly time: number;
}

/** Immutable, like every record in the state: a change replaces it (see owned.ts). */
export interface MatterBurden {
  readonly severity: Severity;
  /** The title given when it was opened, for messages (null when none was given). */
  readonly title: string | null;
  readonly attempts: readonly Attempt[];
  /** Unsuccessful attempts (failed, partial, worsened) on this matter, all time. */
  readonly failures: number;
  /** Customer effort on this matter, all time (minutes): tasks, attempts, calls they made. */
  readonly effortMinutes: number;
  readonly downtimeHours: number;
  readonly inboundContacts: number;
  readonly lastInboundChannel: string | null;
}

export interface TrackedPromise {
  readonly eventId: string;
  readonly matterId: string | null;
  readonly importance: Importance;
  readonly dueBy: number;
  readonly status: 'pending' | 'kept' | 'cancelled' | 'broken';
}

/** An inbound contact on a matter, waiting for the end of its instant to be counted. */
export interface PendingContact {
  readonly eventId: string;
  readonly time: number;
  readonly matterId: string;
  readonly channel: string;
  readonly purpose: string;
}

export interface BurdenState {
  /**
   * Contributions in the order they leave the window (ties: the order they were added). The first
   * `expired` of them have left it; they are dropped in batches, so the state stays about as small
   * as the window.
   */
  contributions: Contribution[];
  expired: number;
  /**
   * The window changed since escalation last looked (a contribution entered), and when the next
   * live contribution leaves it: until one of the two, the level cannot change, so a wake-up
   * need not judge it again.
   */
  changed: boolean;
  nextExpiry: number;
  /** No pending promise is due before this instant (a lower bound: settled ones may still count). */
  nextPromiseDue: number;
  /**
   * Per driver (indexed as in `drivers`): how many contributions are inside the window and the
   * running sum of their points, kept as the window slides so a wake-up does not re-score it.
   */
  liveCounts: number[];
  livePoints: number[];
  matters: Record<string, MatterBurden>;
  promises: Record<string, TrackedPromise>;
  /** Ids of the promises still pending (the only ones whose due time can break them). */
  pendingPromises: string[];
  /** Open escalation episodes: level (1-based) -> instant the score rose to it. */
  episodes: Record<string, number>;
  /** Inbound contacts of the current instant: counted in event-id order once the instant is complete. */
  pendingContacts: PendingContact[];
}

export function initialBurdenState(): BurdenState {
  return {
    contributions: [],
    expired: 0,
    changed: false,
    nextExpiry: Number.POSITIVE_INFINITY,
    nextPromiseDue: Number.POSITIVE_INFINITY,
    liveCounts: drivers.map(() => 0),
    livePoints: drivers.map(() => 0),
    matters: keyed(),
    promises: keyed(),
    pendingPromises: [],
    episodes: {},
    pendingContacts: [],
  };
}

export function newMatter(severity: Severity = 'normal'): MatterBurden {
  return { severity, title: null, attempts: [], failures: 0, effortMinutes: 0, downtimeHours: 0, inboundContacts: 0, lastInboundChannel: null };
}
