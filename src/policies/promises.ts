import * as z from 'zod';
import { durationOption } from '../time/duration.js';
import { toIso } from '../time/instant.js';
import { dataInstant } from './data-instant.js';
import { defineBuiltinPolicy, type PolicyContext } from './define-policy.js';
import { breakAt, warnAt } from './promises/before-due.js';
import { byParty } from './promises/by-party.js';
import { atRiskFinding, brokenFinding, keptLateFinding } from './promises/findings.js';
import { newEntry, type PromiseEntry } from './promises/ledger.js';
import { keyed } from './keyed.js';
import { readable, writable } from './owned.js';

/**
 * Promises: a ledger of every commitment in the stream, by the company or anyone representing it
 * (a broker, a partner, a body shop), with its lifecycle.
 *
 * - `promise.at-risk` at `dueBy - warnBefore` while unkept: the moment to call ahead. Not raised
 *   when the promise was made or renegotiated inside that window (the maker knew then).
 * - `promise.broken` when `dueBy + grace` passes unkept (found at that instant by a wake-up, not
 *   at the next event), or at once when it is broken explicitly.
 * - `promise.kept-late` when a promise broken by its due time is kept afterwards.
 * - A revision before `dueBy` renegotiates: the due time moves. A revision at or after it (within
 *   grace too) is recorded, and the due time stays: the promise breaks at `dueBy + grace` unless
 *   kept by then, and stays broken.
 * - A window promise (`windowStart`..`dueBy`) kept before its window is recorded as early.
 */
export const promisesOptions = z.strictObject({
  /** Slack after a due time before an unkept promise counts as broken (wall-clock). Default `PT0S`. */
  grace: durationOption('PT0S'),
  /** How long before the due time an unkept promise is at risk (wall-clock); `PT0S` turns the warning off. Default `PT4H`. */
  warnBefore: durationOption('PT4H'),
});
export type PromisesOptions = z.output<typeof promisesOptions>;

export interface PromisesState {
  promises: Record<string, PromiseEntry>;
  /** Promise ids in the order they were made (the summary's order). */
  order: string[];
  /** Ids of the promises still pending (the only ones a wake-up can warn about or break). */
  pending: string[];
}

type Ctx = PolicyContext<PromisesOptions>;

export const promises = defineBuiltinPolicy({
  name: 'promises',
  description: 'Every promise made to the customer, by anyone representing the company: kept, late, broken, revised.',
  options: promisesOptions,
  kinds: ['promise.at-risk', 'promise.broken', 'promise.kept-late'],
  initialState: (): PromisesState => ({ promises: keyed(), order: [], pending: [] }),
  // State is reached as owned.ts describes: collections taken from the draft, entries replaced.
  evolve(draft, event, ctx) {
    const state: PromisesState = draft;
    switch (event.type) {
      case 'PromiseMade': {
        const entry = put(state, newEntry(event));
        writable(state, 'order').push(entry.promiseId);
        if (!readable(state, 'pending').includes(entry.promiseId)) writable(state, 'pending').push(entry.promiseId);
        schedule(entry, ctx);
        break;
      }
      case 'PromiseRevised': {
        const entry = readable(state, 'promises')[event.data.promiseId];
        if (entry === undefined) break;
        const evidence = [...entry.evidence, event.id];
        // Only a revision strictly before the due time renegotiates (CONTRACT §2). One at or after
        // it, even within grace, is recorded: the promise breaks at dueBy + grace unless kept.
        if (entry.status === 'pending' && ctx.now < entry.dueBy) {
          // Renegotiated with notice: the new due time is the promise from now on.
          const revised = put(state, {
            ...entry,
            evidence,
            dueBy: dataInstant(event.data.dueBy),
            windowStart: event.data.windowStart === undefined ? null : dataInstant(event.data.windowStart),
            setAt: ctx.now,
            revisionsBeforeDue: entry.revisionsBeforeDue + 1,
          });
          schedule(revised, ctx);
        } else {
          put(state, { ...entry, evidence, revisionsAfterDue: entry.revisionsAfterDue + 1 });
        }
        break;
      }
      case 'PromiseKept': {
        const entry = readable(state, 'promises')[event.data.promiseId];
        if (entry === undefined) break;
        const kept = { ...entry, evidence: [...entry.evidence, event.id], keptAt: ctx.now, lateMinutes: Math.max(0, Math.floor((ctx.now - entry.dueBy) / 60_000)) };
        if (entry.status === 'pending') {
          put(state, { ...kept, status: 'kept', outcome: entry.windowStart !== null && ctx.now < entry.windowStart ? 'early' : 'on-time' });
        } else if (entry.status === 'broken' && !entry.explicit) {
          ctx.report(keptLateFinding(ctx.calendar, put(state, { ...kept, status: 'kept-late' }), ctx.now));
        } else {
          put(state, kept);
        }
        break;
      }
      case 'PromiseBroken': {
        const entry = readable(state, 'promises')[event.data.promiseId];
        if (entry === undefined) break;
        const evidence = [...entry.evidence, event.id];
        if (entry.status === 'broken' && !entry.explicit && entry.brokenAt !== null) {
          // Already broken by its due time: that finding stands (found then, explicit: false) and
          // is updated with this event and its reason, which the CRM would otherwise never see.
          const updated = put(state, { ...entry, evidence, reason: event.data.reason ?? null });
          ctx.report(brokenFinding(ctx.calendar, updated, entry.brokenAt, ctx.options.grace));
          break;
        }
        if (entry.status !== 'pending') {
          put(state, { ...entry, evidence });
          break;
        }
        const broken = put(state, { ...entry, evidence, status: 'broken', explicit: true, reason: event.data.reason ?? null, brokenAt: ctx.now });
        ctx.report(brokenFinding(ctx.calendar, broken, ctx.now, ctx.options.grace));
        break;
      }
      case 'PromiseCancelled': {
        const entry = readable(state, 'promises')[event.data.promiseId];
        if (entry === undefined) break;
        // Cancelling a promise already broken does not unbreak it.
        put(state, { ...entry, evidence: [...entry.evidence, event.id], cancelledAt: ctx.now, status: entry.status === 'pending' ? 'cancelled' : entry.status });
        break;
      }
      default:
        break;
    }
  },
  tick(draft, ctx) {
    const state: PromisesState = draft;
    // Each promise is judged on its own, so the pending ones can be taken in any order.
    for (const id of [...readable(state, 'pending')]) {
      let entry = readable(state, 'promises')[id];
      if (entry === undefined || entry.status !== 'pending') {
        settled(state, id);
        continue;
      }
      const warn = warnAt(ctx.calendar, entry.dueBy, ctx.options.warnBefore);
      if (warn !== null && warn <= ctx.now && warn > entry.setAt && entry.warnedFor !== entry.dueBy) {
        entry = put(state, { ...entry, warnedFor: entry.dueBy });
        ctx.report(atRiskFinding(ctx.calendar, entry, warn, ctx.options.warnBefore));
      }
      const due = breakAt(ctx.calendar, entry.dueBy, ctx.options.grace);
      if (due <= ctx.now) {
        entry = put(state, { ...entry, status: 'broken', brokenAt: due });
        settled(state, id);
        ctx.report(brokenFinding(ctx.calendar, entry, due, ctx.options.grace));
      }
    }
  },
  summary(state) {
    const entries = state.order.map((id) => state.promises[id]).filter((e): e is PromiseEntry => e !== undefined);
    const { byParty: parties, overall } = byParty(entries);
    return {
      ...overall,
      byParty: parties,
      promises: entries.map((e) => ({
        promiseId: e.promiseId,
        what: e.what,
        party: e.party,
        matterId: e.matterId,
        status: e.status,
        outcome: e.outcome,
        explicit: e.explicit,
        dueBy: toIso(e.dueBy),
        windowStart: e.windowStart === null ? null : toIso(e.windowStart),
        originalDueBy: toIso(e.originalDueBy),
        keptAt: e.keptAt === null ? null : toIso(e.keptAt),
        brokenAt: e.brokenAt === null ? null : toIso(e.brokenAt),
        lateMinutes: e.lateMinutes,
        revisionsBeforeDue: e.revisionsBeforeDue,
        revisionsAfterDue: e.revisionsAfterDue,
      })),
    };
  },
});

/** Store the promise's new entry. */
function put(state: PromisesState, entry: PromiseEntry): PromiseEntry {
  writable(state, 'promises')[entry.promiseId] = entry;
  return entry;
}

/** The promise is no longer pending: wake-ups need not look at it again. */
function settled(state: PromisesState, promiseId: string): void {
  const at = readable(state, 'pending').indexOf(promiseId);
  if (at >= 0) writable(state, 'pending').splice(at, 1);
}

/** Ask to be woken at the moment to warn and at the moment the promise breaks. */
function schedule(entry: PromiseEntry, ctx: Ctx): void {
  const warn = warnAt(ctx.calendar, entry.dueBy, ctx.options.warnBefore);
  if (warn !== null && warn > entry.setAt) ctx.wakeAt(warn);
  ctx.wakeAt(breakAt(ctx.calendar, entry.dueBy, ctx.options.grace));
}
