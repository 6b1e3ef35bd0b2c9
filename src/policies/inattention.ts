import * as z from 'zod';
import type { CoreEventOf } from '../events/event.js';
import type { Severity } from '../events/fields.js';
import { durationOption, durationSchema, type Duration } from '../time/duration.js';
import { defineBuiltinPolicy, type PolicyContext, type RefreshContext } from './define-policy.js';
import { gapFinding, gapSeveritySteps, type GapView, type MatterWatch } from './inattention/gap.js';
import { openGap, pause, reachedAt, resume, silenceMs, startSilence, type Silence } from './inattention/silence.js';
import { keyed } from './keyed.js';
import { readable, writable } from './owned.js';

/**
 * Inattention: per open matter, the silence since the last attentive company contact. When it
 * passes the allowed silence an `inattention.gap` opens (found at that instant of journey time,
 * by a wake-up), grows while open, and closes at the next attentive contact, at resolution, or
 * when the relationship ends.
 *
 * Attentive contact (CONTRACT.md §2): an outbound `ContactMade` whose purpose is not marketing,
 * automated or survey (and, with `parties`, made by one of those parties). A contact naming a
 * matter attends to that matter; one naming none attends to every open matter. An inbound contact
 * is a chase. `waiting-on-customer` stops the clock; `waiting-on-third-party` does not.
 */

const NOT_ATTENTION = new Set(['marketing', 'automated', 'survey']);

export const inattentionOptions = z.strictObject({
  /** The longest silence any open matter may go without an attentive contact. Default `P2D`. */
  maxSilence: durationOption('P2D'),
  /** `business` counts only business hours of the calendar; `calendar` counts wall-clock time. Default `business`. */
  clock: z.enum(['business', 'calendar']).default('business'),
  /**
   * Tighter limits by matter severity: the allowed silence is the smaller of `maxSilence` and the
   * limit for the matter's severity. Defaults: `high` `P1D`, `critical` `PT4H`; `low` and `normal`
   * have none (they get `maxSilence`).
   */
  severityLimits: z
    .strictObject({
      low: durationSchema().optional(),
      normal: durationSchema().optional(),
      high: durationOption('P1D'),
      critical: durationOption('PT4H'),
    })
    .prefault({}),
  /**
   * Only outbound contacts by these parties count as attention (e.g. `["agent"]` to hold the
   * local agent to account while a national office does the calling). Contacts that name no
   * party then do not count. Default: any party.
   */
  parties: z.array(z.string().min(1, 'must not be empty')).min(1, 'list at least one party, or leave the option out').optional(),
});
export type InattentionOptions = z.output<typeof inattentionOptions>;

export interface InattentionState {
  matters: Record<string, MatterWatch>;
  /** Ids of the matters whose silence clock is set (open, relationship not ended): the only ones wake-ups and contacts can change. */
  silent: string[];
  /** The relationship ended: no silence is counted until it starts again. */
  ended: boolean;
}

type Ctx = PolicyContext<InattentionOptions>;

export const inattention = defineBuiltinPolicy({
  name: 'inattention',
  description: 'Open matters nobody on the company side has proactively updated for too long.',
  options: inattentionOptions,
  kinds: ['inattention.gap'],
  initialState: (): InattentionState => ({ matters: keyed(), silent: [], ended: false }),
  // State is reached as owned.ts describes: collections taken from the draft, records replaced.
  evolve(draft, event, ctx) {
    const state: InattentionState = draft;
    switch (event.type) {
      case 'MatterOpened': {
        const matter = put(state, {
          matterId: event.data.matterId,
          title: event.data.title ?? null,
          severity: event.data.severity,
          open: true,
          waitingOnCustomer: false,
          silence: null,
          gaps: 0,
          longestGapMs: 0,
          unattendedMs: 0,
          chases: 0,
        });
        if (!state.ended) beginSilence(state, matter, event.id, ctx);
        break;
      }
      case 'MatterReopened': {
        const matter = readable(state, 'matters')[event.data.matterId];
        if (matter === undefined) break;
        const reopened = put(state, { ...matter, open: true, waitingOnCustomer: false });
        if (!state.ended) beginSilence(state, reopened, event.id, ctx);
        break;
      }
      case 'MatterResolved': {
        const matter = readable(state, 'matters')[event.data.matterId];
        if (matter === undefined) break;
        // Resolved, it waits on nobody (a reopen starts in progress too).
        put(state, { ...endSilence(state, matter, event.id, ctx), open: false, waitingOnCustomer: false });
        break;
      }
      case 'MatterStatusChanged': {
        const matter = readable(state, 'matters')[event.data.matterId];
        if (matter === undefined) break;
        const waitingOnCustomer = event.data.status === 'waiting-on-customer';
        if (matter.silence === null) {
          put(state, { ...matter, waitingOnCustomer });
          break;
        }
        const { calendar, options } = ctx;
        const silence = waitingOnCustomer ? pause(calendar, options.clock, matter.silence, ctx.now) : resume(calendar, options.clock, matter.silence, ctx.now);
        const changed = put(state, { ...matter, waitingOnCustomer, silence });
        schedule(silence, ctx);
        if (silence.gapAt !== null) ctx.report(gapFinding(view(ctx), changed, silence, ctx.now));
        break;
      }
      case 'ContactMade':
        if (!state.ended) contact(state, event, ctx);
        break;
      case 'RelationshipEnded':
        for (const matter of Object.values(readable(state, 'matters'))) endSilence(state, matter, event.id, ctx);
        state.ended = true;
        break;
      case 'RelationshipStarted':
        if (!state.ended) break;
        state.ended = false;
        for (const matter of Object.values(readable(state, 'matters'))) if (matter.open) beginSilence(state, matter, event.id, ctx);
        break;
      default:
        break;
    }
  },
  tick(draft, ctx) {
    const state: InattentionState = draft;
    // Each matter's gap is judged on its own, so the silent ones can be taken in any order.
    for (const matter of silentMatters(state)) {
      const silence = matter.silence;
      if (silence === null) continue;
      if (silence.gapAt !== null) {
        // An open gap whose severity steps up now: restated, so the change is heard as it happens.
        if (stepUp(silence, ctx, false) === undefined) continue;
        ctx.report(gapFinding(view(ctx), matter, silence, ctx.now));
        schedule(silence, ctx);
        continue;
      }
      const due = silence.due;
      if (due === null || due > ctx.now) continue;
      const opened = openGap(silence, due);
      ctx.report(gapFinding(view(ctx), put(state, { ...matter, silence: opened }), opened, ctx.now));
      schedule(opened, ctx);
    }
  },
  refresh(state, ctx) {
    for (const matter of Object.values(state.matters)) {
      if (matter.silence?.gapAt != null) ctx.report(gapFinding(view(ctx), matter, matter.silence, ctx.now));
    }
  },
  summary(state, ctx) {
    const { calendar, options } = ctx;
    return {
      clock: options.clock,
      matters: Object.values(state.matters).map((matter) => {
        const silence = matter.silence;
        const current = silence === null ? null : silenceMs(calendar, options.clock, silence, ctx.now);
        const inGap = silence !== null && silence.gapAt !== null && current !== null;
        return {
          matterId: matter.matterId,
          title: matter.title,
          severity: matter.severity,
          open: matter.open,
          waitingOnCustomer: matter.waitingOnCustomer,
          currentSilenceMinutes: current === null ? null : minutes(current),
          allowedMinutes: silence === null ? null : minutes(silence.allowedMs),
          inGap,
          gaps: matter.gaps + (inGap ? 1 : 0),
          longestGapMinutes: minutes(Math.max(matter.longestGapMs, inGap ? current : 0)),
          unattendedMinutes: minutes(matter.unattendedMs + (inGap ? current : 0)),
          chases: matter.chases,
        };
      }),
    };
  },
});

function contact(state: InattentionState, event: CoreEventOf<'ContactMade'>, ctx: Ctx): void {
  const { matterId, direction, purpose, party } = event.data;
  // Before the relationship ends, the open matters are exactly the silent ones.
  const targets =
    matterId === undefined ? silentMatters(state).filter((m) => m.open) : [readable(state, 'matters')[matterId]].filter((m) => m?.open === true);
  const parties = ctx.options.parties;
  const attentive =
    direction === 'outbound' && !NOT_ATTENTION.has(purpose) && (parties === undefined || (party !== undefined && parties.includes(party)));
  // Each target is a different matter, and handling one changes no other: the records read above stay current.
  for (const matter of targets) {
    if (matter === undefined) continue;
    const silence = matter.silence;
    if (attentive) {
      // Closed and begun again at once: the matter stays in the silent list.
      beginSilence(state, endSilence(state, matter, event.id, ctx, true), event.id, ctx);
    } else if (direction === 'inbound' && silence !== null && silence.runningSince !== null && ctx.now > silence.since) {
      // While the matter waits on the customer, their contact is the answer, not a chase.
      const chased = { ...silence, chases: [...silence.chases, event.id] };
      const changed = put(state, { ...matter, silence: chased, chases: matter.chases + 1 });
      if (chased.gapAt !== null) ctx.report(gapFinding(view(ctx), changed, chased, ctx.now));
    }
  }
}

/** Store the matter's new record. */
function put(state: InattentionState, matter: MatterWatch): MatterWatch {
  writable(state, 'matters')[matter.matterId] = matter;
  return matter;
}

function silentMatters(state: InattentionState): MatterWatch[] {
  const matters = readable(state, 'matters');
  return readable(state, 'silent')
    .map((id) => matters[id])
    .filter((m): m is MatterWatch => m !== undefined);
}

function beginSilence(state: InattentionState, matter: MatterWatch, eventId: string, ctx: Ctx): MatterWatch {
  if (!readable(state, 'silent').includes(matter.matterId)) writable(state, 'silent').push(matter.matterId);
  const silence = startSilence(ctx.calendar, ctx.options.clock, ctx.now, eventId, limits(ctx.options, matter.severity), !matter.waitingOnCustomer);
  schedule(silence, ctx);
  return put(state, { ...matter, silence });
}

/** Close the current silence: a gap, if one opened, is reported closed and counted. */
function endSilence(state: InattentionState, matter: MatterWatch, eventId: string, ctx: Ctx, restarting = false): MatterWatch {
  const silence = matter.silence;
  const at = restarting ? -1 : readable(state, 'silent').indexOf(matter.matterId);
  if (at >= 0) writable(state, 'silent').splice(at, 1);
  if (silence === null) return matter;
  if (silence.gapAt === null) return put(state, { ...matter, silence: null });
  const silent = silenceMs(ctx.calendar, ctx.options.clock, silence, ctx.now);
  const closed = put(state, {
    ...matter,
    silence: null,
    gaps: matter.gaps + 1,
    longestGapMs: Math.max(matter.longestGapMs, silent),
    unattendedMs: matter.unattendedMs + silent,
  });
  ctx.report(gapFinding(view(ctx), closed, silence, ctx.now, { until: ctx.now, event: eventId }));
  return closed;
}

/**
 * Wake at the silence's deadline or, once its gap is open, at the next instant the gap's severity
 * steps up (2x and 4x the allowance, on the policy's clock): an open gap's finding changes with
 * the clock, and those steps are the changes a listener or read model must hear about.
 */
function schedule(silence: Silence, ctx: Ctx): void {
  if (silence.due !== null) ctx.wakeAt(silence.due);
  const next = stepUp(silence, ctx, true);
  if (next !== undefined) ctx.wakeAt(next);
}

/**
 * Of the instants at which an open gap's severity steps up while its clock keeps running (in
 * order: the steps are increasing amounts of the same running clock), the first after `ctx.now`
 * (`later`), else `ctx.now` itself if it is one. Worked out one step at a time and no further than
 * needed: it runs at every wake-up and every silence scheduled, and each step is calendar arithmetic.
 */
function stepUp(silence: Silence, ctx: Ctx, later: boolean): number | undefined {
  if (silence.gapAt === null) return undefined;
  const { calendar, options } = ctx;
  for (const amount of gapSeveritySteps(silence.allowedMs)) {
    const at = reachedAt(calendar, options.clock, silence, amount);
    if (at !== null && (later ? at > ctx.now : at === ctx.now)) return at;
  }
  return undefined;
}

function limits(options: InattentionOptions, severity: Severity): Duration[] {
  const tighter = options.severityLimits[severity];
  return tighter === undefined ? [options.maxSilence] : [options.maxSilence, tighter];
}

function view(ctx: Ctx | RefreshContext<InattentionOptions>): GapView {
  return { calendar: ctx.calendar, clock: ctx.options.clock, parties: ctx.options.parties };
}

function minutes(ms: number): number {
  return Math.floor(ms / 60_000);
}
