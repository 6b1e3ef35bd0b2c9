import type { Calendar } from '../time/calendar.js';

/** Maps journey time to x and picks readable ticks (days, weeks, months, years) in local time. */
export interface TimeScale {
  readonly start: number;
  readonly end: number;
  x(time: number): number;
}

export function timeScale(start: number, end: number, x0: number, x1: number): TimeScale {
  const span = Math.max(end - start, 60_000);
  return { start, end: start + span, x: (time) => x0 + ((time - start) / span) * (x1 - x0) };
}

export interface Tick {
  readonly time: number;
  readonly label: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** At most about `max` ticks at local midnights (or month starts), labelled for people. */
export function ticks(scale: TimeScale, calendar: Calendar, max = 10): Tick[] {
  const span = scale.end - scale.start;
  const steps: { days: number; months: number }[] = [
    { days: 1, months: 0 },
    { days: 2, months: 0 },
    { days: 7, months: 0 },
    { days: 14, months: 0 },
    { days: 0, months: 1 },
    { days: 0, months: 2 },
    { days: 0, months: 3 },
    { days: 0, months: 6 },
    { days: 0, months: 12 },
  ];
  const step = steps.find((s) => span / ((s.days || s.months * 30.5) * DAY) <= max) ?? { days: 0, months: 12 * Math.ceil(span / (365 * DAY * max)) };
  let date = calendar.localDate(scale.start);
  if (step.months > 0) date = `${date.slice(0, 7)}-01`;
  if (step.months >= 12) date = `${date.slice(0, 4)}-01-01`;
  const out: Tick[] = [];
  for (let guard = 0; guard < 200; guard++) {
    const time = calendar.startOfDate(date);
    if (time === undefined || time > scale.end) break;
    if (time >= scale.start) out.push({ time, label: label(date, step.months) });
    date = step.months > 0 ? addMonths(date, step.months) : addDays(date, step.days);
  }
  return out;
}

function label(date: string, monthStep: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  if (monthStep >= 12) return String(y);
  if (monthStep > 0) return `${months[m - 1]} ${y}`;
  return `${d} ${months[m - 1]}`;
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function addMonths(date: string, n: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10);
}
