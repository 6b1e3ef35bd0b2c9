import type { CoreEventOf } from '../../events/event.js';
import type { Importance } from '../../events/fields.js';
import { dataInstant } from '../data-instant.js';

/**
 * One promise in the ledger: every commitment in the stream, by whoever made it, with its
 * lifecycle. Immutable plain data: a change replaces the entry.
 *
 * - `pending`: made (or revised ahead of its due time), not yet due.
 * - `kept`: kept by its due time plus grace (`outcome` says early, for a window promise kept
 *   before its window opened, or on time).
 * - `broken`: its due time plus grace passed unkept, or it was broken explicitly.
 * - `kept-late`: broken when its due time passed, kept afterwards.
 * - `cancelled`: no longer owed (cancelled while pending; a promise already broken stays broken).
 */
export type PromiseStatus = 'pending' | 'kept' | 'broken' | 'kept-late' | 'cancelled';

export interface PromiseEntry {
  readonly promiseId: string;
  readonly what: string;
  /** Who made it on the company's side (an agent, office or partner); null if not named. */
  readonly party: string | null;
  readonly matterId: string | null;
  readonly importance: Importance;
  readonly madeAt: number;
  /** The due time in force and its window start (a window promise: `windowStart`..`dueBy`). */
  readonly dueBy: number;
  readonly windowStart: number | null;
  readonly originalDueBy: number;
  /** When the due time in force was set (made, or revised ahead of due): the maker knew from then. */
  readonly setAt: number;
  readonly status: PromiseStatus;
  /** For a kept promise: before its window, or on time (within grace counts as on time). */
  readonly outcome: 'early' | 'on-time' | null;
  readonly keptAt: number | null;
  readonly brokenAt: number | null;
  /** Broken explicitly (a `PromiseBroken` before its due time passed). */
  readonly explicit: boolean;
  /** The reason a `PromiseBroken` gave (also one after the due time had already broken the promise). */
  readonly reason: string | null;
  readonly cancelledAt: number | null;
  /** Minutes past the due time when kept late (or within grace), else 0. */
  readonly lateMinutes: number;
  readonly revisionsBeforeDue: number;
  readonly revisionsAfterDue: number;
  /** The due time for which `promise.at-risk` was reported, so it is reported once per due time. */
  readonly warnedFor: number | null;
  /** Ids of every event about this promise, in order. */
  readonly evidence: readonly string[];
}

export function newEntry(event: CoreEventOf<'PromiseMade'>): PromiseEntry {
  const { promiseId, what, party, matterId, importance, dueBy, windowStart } = event.data;
  const due = dataInstant(dueBy);
  return {
    promiseId,
    what,
    party: party ?? null,
    matterId: matterId ?? null,
    importance,
    madeAt: event.time,
    dueBy: due,
    windowStart: windowStart === undefined ? null : dataInstant(windowStart),
    originalDueBy: due,
    setAt: event.time,
    status: 'pending',
    outcome: null,
    keptAt: null,
    brokenAt: null,
    explicit: false,
    reason: null,
    cancelledAt: null,
    lateMinutes: 0,
    revisionsBeforeDue: 0,
    revisionsAfterDue: 0,
    warnedFor: null,
    evidence: [event.id],
  };
}
