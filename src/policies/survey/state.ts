import { readable, writable } from '../owned.js';
import { keyed } from '../keyed.js';

/** The reasons a sent survey can be mistimed, in the contract's order. */
export const mistimedReasons = ['matter-open', 'promise-pending', 'expires-before-resolution', 'too-soon-after-previous', 'after-relationship-ended'] as const;
export type MistimedReason = (typeof mistimedReasons)[number];

/** The records below are immutable: a change replaces them (see owned.ts). */
export interface MatterInfo {
  /** The title given when it was opened, for messages (null when none was given). */
  readonly title: string | null;
  readonly open: boolean;
  readonly openedAt: number;
  readonly openEventId: string;
  /** Changes on every open, reopen and resolution: tells whether a matter stayed as it was. */
  readonly epoch: number;
  /** Risk seen while open (for the check-in): when it first showed, and the event behind it. */
  readonly riskAt: number | null;
  readonly riskEventId: string | null;
}

export interface PromiseInfo {
  readonly eventId: string;
  readonly matterId: string | null;
  readonly dueBy: number;
  readonly settled: boolean;
  /** Its due time passed unkept (seen once, for the check-in's risk). */
  readonly overdue: boolean;
}

/** A survey window for a matter: waiting to open, or open (reported as `survey.due`). */
export interface DueWindow {
  readonly matterId: string;
  readonly reason: 'resolved' | 'check-in';
  /** Resolution (or opening) instant: the finding's start. */
  readonly start: number;
  readonly epoch: number;
  readonly eventIds: readonly string[];
  /** Not before this instant (resolution + settleAfter, or the check-in's time); cooldown may push it. */
  readonly earliest: number;
  readonly opensAt: number | null;
  readonly closesAt: number | null;
  readonly surveyId: string | null;
}

export interface SentSurvey {
  readonly eventId: string;
  readonly time: number;
  readonly matterId: string | null;
  readonly expiresAt: number | null;
  readonly reasons: readonly MistimedReason[];
  /**
   * When it became mistimed (the finding's detectedAt): the send time for a reason known then;
   * the expiry when `expires-before-resolution` is its only reason, since nothing was wrong before.
   */
  readonly mistimedAt: number;
  readonly evidence: readonly string[];
  /** Open matters the survey asked about, with their epoch at sending (for the expiry check). */
  readonly watched: Readonly<Record<string, number>>;
}

/** A survey sent at the current instant, judged once every event at that instant is in. */
export interface PendingSurvey {
  readonly eventId: string;
  readonly time: number;
  readonly surveyId: string;
  readonly matterId: string | null;
  readonly expiresAt: number | null;
}

export interface SurveyState {
  pendingSurveys: PendingSurvey[];
  matters: Record<string, MatterInfo>;
  promises: Record<string, PromiseInfo>;
  surveys: Record<string, SentSurvey>;
  /** Survey windows per key (`resolved:<matter>` or `check-in:<matter>`). */
  windows: Record<string, DueWindow>;
  /** Keys of the windows not open yet (the only ones a wake-up may open). */
  waitingWindows: string[];
  /** Ids of promises not settled (the only ones that can be pending). */
  unsettledPromises: string[];
  /** Ids of promises neither settled nor overdue (the only ones a wake-up may find overdue). */
  duePromises: string[];
  /** Ids of surveys whose expiry is still to be checked against the matters they asked about. */
  watchingSurveys: string[];
  lastSentAt: number | null;
  lastSentEventId: string | null;
  lastWellTimedAt: number | null;
  lastResolvedAt: number | null;
  lastResolvedEventId: string | null;
  /** The matter of the last resolution, to name it in messages. */
  lastResolvedMatterId: string | null;
  hadMatter: boolean;
  endedAt: number | null;
  endedEventId: string | null;
}

export function initialSurveyState(): SurveyState {
  return {
    pendingSurveys: [],
    matters: keyed(),
    promises: keyed(),
    surveys: keyed(),
    windows: keyed(),
    waitingWindows: [],
    unsettledPromises: [],
    duePromises: [],
    watchingSurveys: [],
    lastSentAt: null,
    lastSentEventId: null,
    lastWellTimedAt: null,
    lastResolvedAt: null,
    lastResolvedEventId: null,
    lastResolvedMatterId: null,
    hadMatter: false,
    endedAt: null,
    endedEventId: null,
  };
}

/** A promise the customer is still waiting for: not settled and not yet past its due time. */
export function isPending(promise: PromiseInfo, now: number): boolean {
  return !promise.settled && promise.dueBy > now;
}

/** The promises pending at `now` that pass `filter`, in the order of `state.promises`. */
export function pendingPromises(state: SurveyState, now: number, filter: (promise: PromiseInfo) => boolean): PromiseInfo[] {
  const promises = readable(state, 'promises');
  const ids = inKeyOrder(
    promises,
    readable(state, 'unsettledPromises').filter((id) => {
      const promise = promises[id];
      return promise !== undefined && isPending(promise, now) && filter(promise);
    }),
  );
  return ids.map((id) => promises[id] as PromiseInfo);
}

/**
 * Ids of an index list in the key order of the record they index (the order a scan of the whole
 * record would meet them, which findings' evidence follows). Only several need sorting.
 */
export function inKeyOrder(record: Readonly<Record<string, unknown>>, ids: readonly string[]): readonly string[] {
  if (ids.length < 2) return ids;
  const wanted = new Set(ids);
  return Object.keys(record).filter((id) => wanted.has(id));
}

type IndexList = 'waitingWindows' | 'unsettledPromises' | 'duePromises' | 'watchingSurveys';

/** Add an id to an index list once. */
export function track(state: SurveyState, list: IndexList, id: string): void {
  if (!readable(state, list).includes(id)) writable(state, list).push(id);
}

/** Remove an id from an index list. */
export function untrack(state: SurveyState, list: IndexList, id: string): void {
  const at = readable(state, list).indexOf(id);
  if (at >= 0) writable(state, list).splice(at, 1);
}
