import * as z from 'zod';
import type { CoreEventOf } from '../events/event.js';
import type { Severity } from '../events/fields.js';
import { durationOption, durationSchema, type Duration } from '../time/duration.js';
import { defineBuiltinPolicy, type PolicyContext, type RefreshContext } from './define-policy.js';
import { gapFinding, type GapView, type MatterWatch } from './inattention/gap.js';
import { deadline, pause, resume, silenceMs, startSilence } from './inattention/silence.js';

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
  initialState: (): InattentionState => ({ matters: {}, silent: [], ended: false }),
  evolve(state, event, ctx) {
    switch (event.type) {
      case 'MatterOpened': {
        const matter: MatterWatch = {
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
        };
        state.matters[matter.matterId] = matter;
        if (!state.ended) beginSilence(state, matter, event.id, ctx);
        break;
      }
      case 'MatterReopened': {
        const matter = state.matters[event.data.matterId];
        if (matter === undefined) break;
        matter.open = true;
        matter.waitingOnCustomer = false;
        if (!state.ended) beginSilence(state, matter, event.id, ctx);
        break;
      }
      case 'MatterResolved': {
        const matter = state.matters[event.data.matterId];
        if (matter === undefined) break;
        endSilence(state, matter, event.id, ctx);
        matter.open = false;
        break;
      }
      case 'MatterStatusChanged': {
        const matter = state.matters[event.data.matterId];
        if (matter === undefined) break;
        matter.waitingOnCustomer = event.data.status === 'waiting-on-customer';
        const silence = matter.silence;
        if (silence === null) break;
        if (matter.waitingOnCustomer) pause(ctx.calendar, ctx.options.clock, silence, ctx.now);
        else resume(silence, ctx.now);
        schedule(matter, ctx);
        if (silence.gapAt !== null) ctx.report(gapFinding(view(ctx), matter, silence, ctx.now));
        break;
      }
      case 'ContactMade':
        if (!state.ended) contact(state, event, ctx);
        break;
      case 'RelationshipEnded':
        for (const matter of Object.values(state.matters)) endSilence(state, matter, event.id, ctx);
        state.ended = true;
        break;
      case 'RelationshipStarted':
        if (!state.ended) break;
        state.ended = false;
        for (const matter of Object.values(state.matters)) if (matter.open) beginSilence(state, matter, event.id, ctx);
        break;
      default:
        break;
    }
  },
  tick(state, ctx) {
    // Each matter's gap is judged on its own, so the silent ones can be taken in any order.
    for (const matter of silentMatters(state)) {
      const silence = matter.silence;
      if (silence === null) continue;
      const due = deadline(ctx.calendar, ctx.options.clock, silence);
      if (due === null || due > ctx.now) continue;
      silence.gapAt = due;
      ctx.report(gapFinding(view(ctx), matter, silence, ctx.now));
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
  const targets = matterId === undefined ? silentMatters(state).filter((m) => m.open) : [state.matters[matterId]].filter((m) => m?.open === true);
  const parties = ctx.options.parties;
  const attentive =
    direction === 'outbound' && !NOT_ATTENTION.has(purpose) && (parties === undefined || (party !== undefined && parties.includes(party)));
  for (const matter of targets) {
    if (matter === undefined) continue;
    const silence = matter.silence;
    if (attentive) {
      // Closed and begun again at once: the matter stays in the silent list.
      endSilence(state, matter, event.id, ctx, true);
      beginSilence(state, matter, event.id, ctx);
    } else if (direction === 'inbound' && silence !== null && silence.runningSince !== null && ctx.now > silence.since) {
      // While the matter waits on the customer, their contact is the answer, not a chase.
      silence.chases.push(event.id);
      matter.chases++;
      if (silence.gapAt !== null) ctx.report(gapFinding(view(ctx), matter, silence, ctx.now));
    }
  }
}

function silentMatters(state: InattentionState): MatterWatch[] {
  return state.silent.map((id) => state.matters[id]).filter((m): m is MatterWatch => m !== undefined);
}

function beginSilence(state: InattentionState, matter: MatterWatch, eventId: string, ctx: Ctx): void {
  if (!state.silent.includes(matter.matterId)) state.silent.push(matter.matterId);
  matter.silence = startSilence(ctx.calendar, ctx.options.clock, ctx.now, eventId, limits(ctx.options, matter.severity), !matter.waitingOnCustomer);
  schedule(matter, ctx);
}

/** Close the current silence: a gap, if one opened, is reported closed and counted. */
function endSilence(state: InattentionState, matter: MatterWatch, eventId: string, ctx: Ctx, restarting = false): void {
  const silence = matter.silence;
  matter.silence = null;
  const at = restarting ? -1 : state.silent.indexOf(matter.matterId);
  if (at >= 0) state.silent.splice(at, 1);
  if (silence === null || silence.gapAt === null) return;
  const silent = silenceMs(ctx.calendar, ctx.options.clock, silence, ctx.now);
  matter.gaps++;
  matter.longestGapMs = Math.max(matter.longestGapMs, silent);
  matter.unattendedMs += silent;
  ctx.report(gapFinding(view(ctx), matter, silence, ctx.now, { until: ctx.now, event: eventId }));
}

function schedule(matter: MatterWatch, ctx: Ctx): void {
  if (matter.silence === null) return;
  const due = deadline(ctx.calendar, ctx.options.clock, matter.silence);
  if (due !== null) ctx.wakeAt(due);
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
