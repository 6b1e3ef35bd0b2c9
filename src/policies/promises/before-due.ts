import type { Calendar } from '../../time/calendar.js';
import type { Duration } from '../../time/duration.js';

/**
 * The instants around a due time. Both offsets are wall-clock (calendar clock): a promise names
 * an instant ("Tuesday by five"), and the customer waits in real time, office open or not.
 */

/** `dueBy - warnBefore`: the moment to call ahead. Null when `warnBefore` is zero (no warning). */
export function warnAt(calendar: Calendar, dueBy: number, warnBefore: Duration): number | null {
  if (isZero(warnBefore)) return null;
  return calendar.add(dueBy, negate(warnBefore), 'calendar');
}

/** `dueBy + grace`: when an unkept promise is broken. */
export function breakAt(calendar: Calendar, dueBy: number, grace: Duration): number {
  return calendar.add(dueBy, grace, 'calendar');
}

export function isZero(d: Duration): boolean {
  return d.years === 0 && d.months === 0 && d.weeks === 0 && d.days === 0 && d.hours === 0 && d.minutes === 0 && d.seconds === 0;
}

const negated = new WeakMap<Duration, Duration>();

/**
 * Calendar arithmetic is symmetric: subtracting P1D keeps the wall-clock time across DST too.
 * Made once per option value (durations are never changed), not at every wake-up.
 */
function negate(d: Duration): Duration {
  let minus = negated.get(d);
  if (minus === undefined) negated.set(d, (minus = negation(d)));
  return minus;
}

function negation(d: Duration): Duration {
  return {
    text: `-${d.text}`,
    years: -d.years,
    months: -d.months,
    weeks: -d.weeks,
    days: -d.days,
    hours: -d.hours,
    minutes: -d.minutes,
    seconds: -d.seconds,
  };
}
