import * as z from 'zod';
import { durationOption } from '../time/duration.js';
import { toIso } from '../time/instant.js';
import { dataInstant } from './data-instant.js';
import { defineBuiltinPolicy, type PolicyContext } from './define-policy.js';
import { breakAt, warnAt } from './promises/before-due.js';
import { byParty } from './promises/by-party.js';
import { atRiskFinding, brokenFinding, keptLateFinding } from './promises/findings.js';
import { newEntry, type PromiseEntry } from './promises/ledger.js';

/**
 * Promises: a ledger of every commitment in the stream, by the company or anyone representing it
 * (a broker, a partner, a body shop), with its lifecycle.
 *
 * - `promise.at-risk` at `dueBy - warnBefore` while unkept: the moment to call ahead. Not raised
 *   when the promise was made or renegotiated inside that window (the maker knew then).
 * - `promise.broken` when `dueBy + grace` passes unkept (found at that instant by a wake-up, not
 *   at the next event), or at once when it is broken explicitly.
 * - `promise.kept-late` when a promise broken by its due time is kept afterwards.
 * - A revision before `dueBy + grace` renegotiates: the due time moves. A revision after it is
 *   recorded, and the promise stays broken.
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
  initialState: (): PromisesState => ({ promises: {}, order: [], pending: [] }),
  evolve(state, event, ctx) {
    switch (event.type) {
      case 'PromiseMade': {
        const entry = newEntry(event);
        state.promises[entry.promiseId] = entry;
        state.order.push(entry.promiseId);
        if (!state.pending.includes(entry.promiseId)) state.pending.push(entry.promiseId);
        schedule(entry, ctx);
        break;
      }
      case 'PromiseRevised': {
        const entry = state.promises[event.data.promiseId];
        if (entry === undefined) break;
        entry.evidence.push(event.id);
        if (entry.status === 'pending') {
          // Renegotiated with notice: the new due time is the promise from now on.
          entry.dueBy = dataInstant(event.data.dueBy);
          entry.windowStart = event.data.windowStart === undefined ? null : dataInstant(event.data.windowStart);
          entry.setAt = ctx.now;
          entry.revisionsBeforeDue++;
          schedule(entry, ctx);
        } else {
          entry.revisionsAfterDue++;
        }
        break;
      }
      case 'PromiseKept': {
        const entry = state.promises[event.data.promiseId];
        if (entry === undefined) break;
        entry.evidence.push(event.id);
        entry.keptAt = ctx.now;
        entry.lateMinutes = Math.max(0, Math.floor((ctx.now - entry.dueBy) / 60_000));
        if (entry.status === 'pending') {
          entry.status = 'kept';
          entry.outcome = entry.windowStart !== null && ctx.now < entry.windowStart ? 'early' : 'on-time';
        } else if (entry.status === 'broken' && !entry.explicit) {
          entry.status = 'kept-late';
          ctx.report(keptLateFinding(ctx.calendar, entry, ctx.now));
        }
        break;
      }
      case 'PromiseBroken': {
        const entry = state.promises[event.data.promiseId];
        if (entry === undefined) break;
        entry.evidence.push(event.id);
        if (entry.status !== 'pending') break; // already broken by its due time: that finding stands
        entry.status = 'broken';
        entry.explicit = true;
        entry.reason = event.data.reason ?? null;
        entry.brokenAt = ctx.now;
        ctx.report(brokenFinding(ctx.calendar, entry, ctx.now, ctx.options.grace));
        break;
      }
      case 'PromiseCancelled': {
        const entry = state.promises[event.data.promiseId];
        if (entry === undefined) break;
        entry.evidence.push(event.id);
        entry.cancelledAt = ctx.now;
        // Cancelling a promise already broken does not unbreak it.
        if (entry.status === 'pending') entry.status = 'cancelled';
        break;
      }
      default:
        break;
    }
  },
  tick(state, ctx) {
    // Each promise is judged on its own, so the pending ones can be taken in any order.
    for (const id of [...state.pending]) {
      const entry = state.promises[id];
      if (entry === undefined || entry.status !== 'pending') {
        settled(state, id);
        continue;
      }
      const warn = warnAt(ctx.calendar, entry.dueBy, ctx.options.warnBefore);
      if (warn !== null && warn <= ctx.now && warn > entry.setAt && entry.warnedFor !== entry.dueBy) {
        entry.warnedFor = entry.dueBy;
        ctx.report(atRiskFinding(ctx.calendar, entry, warn, ctx.options.warnBefore));
      }
      const due = breakAt(ctx.calendar, entry.dueBy, ctx.options.grace);
      if (due <= ctx.now) {
        entry.status = 'broken';
        entry.brokenAt = due;
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

/** The promise is no longer pending: wake-ups need not look at it again. */
function settled(state: PromisesState, promiseId: string): void {
  const at = state.pending.indexOf(promiseId);
  if (at >= 0) state.pending.splice(at, 1);
}

/** Ask to be woken at the moment to warn and at the moment the promise breaks. */
function schedule(entry: PromiseEntry, ctx: Ctx): void {
  const warn = warnAt(ctx.calendar, entry.dueBy, ctx.options.warnBefore);
  if (warn !== null && warn > entry.setAt) ctx.wakeAt(warn);
  ctx.wakeAt(breakAt(ctx.calendar, entry.dueBy, ctx.options.grace));
}
