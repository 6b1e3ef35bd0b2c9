import { compareStrings } from '../../engine/finding.js';
import type { CoreEventOf } from '../../events/event.js';
import type { PolicyContext } from '../define-policy.js';
import { readable, replace, writable } from '../owned.js';
import type { BurdenOptions } from './options.js';
import { newMatter, type BurdenState, type Driver, type MatterBurden } from './state.js';
import { importanceFactor, severityFactor } from './weights.js';
import { enter } from './window.js';

/**
 * Turns events into contributions: what each one put the customer through, in points. Every
 * function here records into the draft state (collections taken as in owned.ts, records replaced);
 * scoring and escalation happen afterwards.
 */
type Ctx = PolicyContext<BurdenOptions>;
type State = BurdenState;

const HOUR = 60;

export function addContribution(
  state: State,
  ctx: Ctx,
  entry: { time: number; matterId: string | null; driver: Driver; amount: number; points: number; eventId: string },
): void {
  if (entry.points <= 0) return;
  const expiresAt = ctx.calendar.add(entry.time, ctx.options.window, 'calendar');
  enter(state, { ...entry, expiresAt });
}

/** The matter's record (a new one if the matter is unknown). Read-only: change it with `updateMatter`. */
export function matterOf(state: State, matterId: string): MatterBurden {
  return readable(state, 'matters')[matterId] ?? newMatter();
}

/** Replace the matter's record with its changed copy. */
export function updateMatter(state: State, matterId: string, change: Partial<MatterBurden>): MatterBurden {
  const matters = writable(state, 'matters');
  const matter = { ...(matters[matterId] ?? newMatter()), ...change };
  matters[matterId] = matter;
  return matter;
}

function effort(state: State, ctx: Ctx, matterId: string | null, minutes: number | undefined, eventId: string): void {
  if (minutes === undefined || minutes <= 0) return;
  if (matterId !== null) updateMatter(state, matterId, { effortMinutes: matterOf(state, matterId).effortMinutes + minutes });
  const hours = minutes / HOUR;
  addContribution(state, ctx, { time: ctx.now, matterId, driver: 'customer-effort', amount: hours, points: hours * ctx.options.weights.effortHour, eventId });
}

export function onFixAttempted(state: State, event: CoreEventOf<'FixAttempted'>, ctx: Ctx): MatterBurden {
  const { matterId, method, outcome, customerEffortMinutes, downtimeHours } = event.data;
  const w = ctx.options.weights;
  const before = matterOf(state, matterId);
  const failed = outcome !== 'succeeded';
  const matter = updateMatter(state, matterId, {
    attempts: [...before.attempts, { eventId: event.id, method, outcome, time: event.time }],
    failures: failed ? before.failures + 1 : before.failures,
  });
  const base = { time: event.time, matterId, eventId: event.id, amount: 1 };
  if (failed) {
    const driver = outcome === 'failed' ? 'failed-attempt' : outcome === 'partial' ? 'partial-attempt' : 'worsened-attempt';
    const points = outcome === 'failed' ? w.failedAttempt : outcome === 'partial' ? w.partialAttempt : w.worsenedAttempt;
    addContribution(state, ctx, { ...base, driver, points });
    // Each further failure on the same matter costs more than the last: tolerance wears thin.
    if (matter.failures >= 2) addContribution(state, ctx, { ...base, driver: 'repeat-failure', points: (matter.failures - 1) * w.repeatFailure });
  }
  effort(state, ctx, matterId, customerEffortMinutes, event.id);
  if (downtimeHours !== undefined && downtimeHours > 0) {
    const current = matterOf(state, matterId);
    updateMatter(state, matterId, { downtimeHours: current.downtimeHours + downtimeHours });
    const points = (downtimeHours / 24) * w.downtimeDay * severityFactor[current.severity];
    addContribution(state, ctx, { ...base, driver: 'downtime', amount: downtimeHours, points });
  }
  return matterOf(state, matterId);
}

export function onContactMade(state: State, event: CoreEventOf<'ContactMade'>, ctx: Ctx): void {
  const { matterId, direction, channel, purpose, waitMinutes, transfers, durationMinutes } = event.data;
  const w = ctx.options.weights;
  const m = matterId ?? null;
  const base = { time: event.time, matterId: m, eventId: event.id };
  if (waitMinutes !== undefined && waitMinutes > 0) {
    addContribution(state, ctx, { ...base, driver: 'hold', amount: waitMinutes / HOUR, points: (waitMinutes / HOUR) * w.holdHour });
  }
  if (transfers !== undefined && transfers > 0) addContribution(state, ctx, { ...base, driver: 'transfer', amount: transfers, points: transfers * w.transfer });
  if (direction !== 'inbound') return;
  // Time the customer spent on calls they had to make is their effort (hold time counted apart).
  effort(state, ctx, m, durationMinutes, event.id);
  if (purpose === 'chase') addContribution(state, ctx, { ...base, driver: 'chase', amount: 1, points: w.chase });
  // Repeat contacts and channel switches depend on which contact came first: settled at the end
  // of the instant, so contacts recorded at the same time count the same in any append order.
  if (matterId !== undefined) writable(state, 'pendingContacts').push({ eventId: event.id, time: event.time, matterId, channel, purpose });
}

/** Count the repeat contacts and channel switches of the inbound contacts at one instant. */
export function settleContacts(state: State, ctx: Ctx): void {
  const pending = readable(state, 'pendingContacts');
  if (pending.length === 0) return;
  const w = ctx.options.weights;
  const contacts = [...pending].sort((a, b) => a.time - b.time || compareStrings(a.eventId, b.eventId));
  replace(state, 'pendingContacts', []);
  for (const { eventId, time, matterId, channel, purpose } of contacts) {
    const matter = matterOf(state, matterId);
    const base = { time, matterId, eventId, amount: 1 };
    if (matter.inboundContacts > 0 && purpose !== 'chase') addContribution(state, ctx, { ...base, driver: 'repeat-contact', points: w.repeatContact });
    if (matter.lastInboundChannel !== null && matter.lastInboundChannel !== channel) {
      addContribution(state, ctx, { ...base, driver: 'channel-switch', points: w.channelSwitch });
    }
    updateMatter(state, matterId, { inboundContacts: matter.inboundContacts + 1, lastInboundChannel: channel });
  }
}

export function onTaskRequested(state: State, event: CoreEventOf<'CustomerTaskRequested'>, ctx: Ctx): void {
  const { matterId, effortMinutes, repeat } = event.data;
  const m = matterId ?? null;
  if (repeat === true) {
    addContribution(state, ctx, { time: event.time, matterId: m, driver: 'repeated-request', amount: 1, points: ctx.options.weights.repeatedRequest, eventId: event.id });
  }
  effort(state, ctx, m, effortMinutes, event.id);
}

/** A promise broke (its due time passed unkept, or it was broken explicitly): count it once. */
export function promiseBroken(state: State, ctx: Ctx, promiseId: string, time: number, eventId: string): boolean {
  const promise = readable(state, 'promises')[promiseId];
  if (promise === undefined || promise.status !== 'pending') return false;
  writable(state, 'promises')[promiseId] = { ...promise, status: 'broken' };
  settlePromise(state, promiseId);
  const points = ctx.options.weights.brokenPromise * importanceFactor[promise.importance];
  addContribution(state, ctx, { time, matterId: promise.matterId, driver: 'broken-promise', amount: 1, points, eventId });
  return true;
}

/** The promise is no longer pending (kept, cancelled or broken): its due time no longer matters. */
export function settlePromise(state: State, promiseId: string): void {
  const at = readable(state, 'pendingPromises').indexOf(promiseId);
  if (at >= 0) writable(state, 'pendingPromises').splice(at, 1);
}
