import type { Calendar } from '../../time/calendar.js';
import type { Clock, Duration } from '../../time/duration.js';

/**
 * The silence clock of one open matter: how long the customer has gone without an attentive
 * company contact, counted on the business or calendar clock, stopped while the matter waits on
 * the customer. Immutable plain data: the functions below read it or return a changed copy.
 *
 * The allowed silence is fixed once, when the silence starts, as an amount of clock time:
 * `P2D` on the business clock from Thu 15:30 is the business time until Mon 15:30 (two working
 * days). Fixing it as an amount is what lets a pause move the deadline: after a pause, the
 * remaining amount is added from the moment the clock runs again.
 */
export interface Silence {
  /** When the silence began: the matter's opening or reopening, or the last attentive contact. */
  readonly since: number;
  /** The event that began it (first piece of evidence). */
  readonly sinceEvent: string;
  /** Allowed silence as clock milliseconds, and the option text it came from (for messages). */
  readonly allowedMs: number;
  readonly allowedText: string;
  /** Silence counted before `runningSince`, i.e. across earlier stretches between pauses. */
  readonly accumulatedMs: number;
  /** When the clock last started running; null while paused (waiting on the customer). */
  readonly runningSince: number | null;
  /** Inbound contacts from the customer while the clock ran: the customer had to chase. */
  readonly chases: readonly string[];
  /** When the silence passed the allowed amount (the gap's detectedAt); null until then. */
  readonly gapAt: number | null;
  /**
   * `deadline` of this silence, worked out when it changes (wake-ups compare it with the clock
   * for every silent matter): null while paused or once the gap is open.
   */
  readonly due: number | null;
}

export function startSilence(
  calendar: Calendar,
  clock: Clock,
  at: number,
  eventId: string,
  allowed: readonly Duration[],
  running: boolean,
): Silence {
  // Each candidate limit is measured from the same start, so the smallest amount is the tightest.
  let allowedMs = Number.POSITIVE_INFINITY;
  let allowedText = '';
  for (const duration of allowed) {
    const ms = calendar.elapsedMs(at, calendar.add(at, duration, clock), clock);
    if (ms < allowedMs) {
      allowedMs = ms;
      allowedText = duration.text;
    }
  }
  return withDue(calendar, clock, {
    since: at,
    sinceEvent: eventId,
    allowedMs: Number.isFinite(allowedMs) ? allowedMs : 0,
    allowedText,
    accumulatedMs: 0,
    runningSince: running ? at : null,
    chases: [],
    gapAt: null,
    due: null,
  });
}

/** The silence counted up to `now` (pauses excluded). */
export function silenceMs(calendar: Calendar, clock: Clock, silence: Silence, now: number): number {
  const running = silence.runningSince === null ? 0 : calendar.elapsedMs(silence.runningSince, Math.max(now, silence.runningSince), clock);
  return silence.accumulatedMs + running;
}

/** Stop the clock (the matter now waits on the customer). */
export function pause(calendar: Calendar, clock: Clock, silence: Silence, now: number): Silence {
  if (silence.runningSince === null) return silence;
  return { ...silence, accumulatedMs: silenceMs(calendar, clock, silence, now), runningSince: null, due: null };
}

/** Start the clock again. */
export function resume(calendar: Calendar, clock: Clock, silence: Silence, now: number): Silence {
  return silence.runningSince === null ? withDue(calendar, clock, { ...silence, runningSince: now }) : silence;
}

/** The silence with its gap opened at `at` (it has no deadline any more). */
export function openGap(silence: Silence, at: number): Silence {
  return { ...silence, gapAt: at, due: null };
}

/**
 * The instant the silence reaches `amount` of clock time if the clock keeps running from
 * `runningSince`: the first instant at which `silenceMs` is at least `amount`. Null while paused,
 * or when it was reached before the clock last started.
 */
export function reachedAt(calendar: Calendar, clock: Clock, silence: Silence, amount: number): number | null {
  if (silence.runningSince === null) return null;
  const remaining = amount - silence.accumulatedMs;
  if (remaining <= 0) return null;
  return clock === 'calendar' ? silence.runningSince + remaining : calendar.addBusinessMs(silence.runningSince, remaining);
}

/** The silence with its `due` worked out. */
function withDue(calendar: Calendar, clock: Clock, silence: Silence): Silence {
  // Set on the new record itself (not yet shared with anything).
  (silence as { due: number | null }).due = deadline(calendar, clock, silence);
  return silence;
}

/**
 * The instant the silence passes the allowed amount if the clock keeps running; null while paused
 * or once the gap is open. On the business clock an amount that runs out exactly at closing time
 * has not been passed yet (no time counts overnight): the gap opens when the office next opens.
 * That matches `Calendar.add`: one working day from Mon 07:25 is Tue 08:00, not Mon 17:00.
 */
export function deadline(calendar: Calendar, clock: Clock, silence: Silence): number | null {
  if (silence.runningSince === null || silence.gapAt !== null) return null;
  const remaining = Math.max(0, silence.allowedMs - silence.accumulatedMs);
  if (clock === 'calendar') return silence.runningSince + remaining;
  const reached = calendar.addBusinessMs(silence.runningSince, remaining);
  return calendar.isBusinessTime(reached) ? reached : nextOpening(calendar, reached);
}

/** The next business instant after a closed instant (the start of the next opening). */
function nextOpening(calendar: Calendar, closed: number): number {
  // addBusinessMs(t, 1) lands one millisecond into the next opening window.
  return calendar.addBusinessMs(closed, 1) - 1;
}
