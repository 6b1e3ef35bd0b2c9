import { sliceGraphemes, truncateToWidth } from '../display-width.js';
import type { Calendar } from '../time/calendar.js';
import { describeDuration, type Clock, type Duration } from '../time/duration.js';

// Shared with error hints outside the policies (events/known-fields.ts).
export { listText } from '../list-text.js';

/**
 * Plain-language pieces shared by the built-in policies' messages, the CLI's table and the HTML
 * report. A message is one sentence a support lead understands without the code: dates in the
 * calendar's zone ("Tue 21 Nov 2017 17:00"), spans in everyday units ("10 days", "8 weeks 2 days"),
 * who did it by name.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "1 day", "3 days". */
export function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * At most `width` terminal columns (a CJK character or an emoji takes two): cut between graphemes
 * with an ellipsis when wider (nothing at all when width <= 1).
 */
export const truncate = truncateToWidth;

/**
 * A wall-clock span in the unit a person would use: minutes under an hour, hours under two days,
 * days under three weeks, then weeks and days ("nine weeks" is how the customer counts).
 */
export function spanText(ms: number): string {
  const span = Math.max(0, ms);
  if (span < HOUR) return plural(Math.floor(span / MINUTE), 'minute');
  if (span < 2 * DAY) return plural(Math.floor(span / HOUR), 'hour');
  const days = Math.floor(span / DAY);
  if (days < 21) return plural(days, 'day');
  const weeks = Math.floor(days / 7);
  const rest = days - weeks * 7;
  return rest === 0 ? plural(weeks, 'week') : `${plural(weeks, 'week')} ${plural(rest, 'day')}`;
}

/**
 * Business time in working hours and minutes ("18 working hours", "16 working hours 30 minutes"):
 * how a gap on the business clock words its silence. Never in days or weeks: a working day's
 * length depends on the calendar, and a calendar span would read as wall-clock time.
 */
export function workingText(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / MINUTE);
  if (minutes < 60) return plural(minutes, 'working minute');
  const hours = plural(Math.floor(minutes / 60), 'working hour');
  return minutes % 60 === 0 ? hours : `${hours} ${plural(minutes % 60, 'minute')}`;
}

/** A quoted title or description, shortened at a word boundary so the sentence stays readable. */
export function quoted(text: string, max = 100): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return `"${clean}"`;
  // Never half an emoji (a lone surrogate) or a letter without its accent.
  const cut = sliceGraphemes(clean, max);
  const space = cut.lastIndexOf(' ');
  return `"${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…"`;
}

/** The matter as a reader knows it: its title when it has one, else its id. */
export function matterName(matterId: string, title: string | null): string {
  return title === null || title.trim() === '' ? `matter ${matterId}` : quoted(title);
}

/** "The promise by body-shop" or, when no party is named, "The company's promise". */
export function thePromiseBy(party: string | null): string {
  return party === null ? "The company's promise" : `The promise by ${party}`;
}

/** "by Tue 21 Nov 2017 17:00", or "between Thu 30 Nov 2017 08:00 and Fri 1 Dec 2017 17:00". */
export function dueText(calendar: Calendar, dueBy: number, windowStart: number | null): string {
  return windowStart === null
    ? `by ${calendar.format(dueBy)}`
    : `between ${calendar.format(windowStart)} and ${calendar.format(dueBy)}`;
}


/** How a message reached the company, as a sentence says it; nothing for `other`. */
const CHANNEL_WORDS: Readonly<Record<string, string>> = {
  phone: 'by phone',
  email: 'by email',
  chat: 'in a chat',
  sms: 'by text message',
  visit: 'in person',
  mail: 'by mail',
  bot: 'to the chatbot',
  web: 'through the website',
  social: 'on social media',
  other: '',
};

/** "by email", "through the website", "on social media" (a channel of ContactMade / FeedbackReceived). */
export function channelText(channel: string): string {
  return CHANNEL_WORDS[channel] ?? `by ${channel}`;
}

/** "4 times", "once", "twice". */
export function timesText(count: number): string {
  return count === 1 ? 'once' : count === 2 ? 'twice' : `${count} times`;
}

const described = new WeakMap<Duration, Partial<Record<Clock, string>>>();

/**
 * `describeDuration` of an option's duration ("2 working days"), worked out once per duration
 * and clock: options are parsed once and never changed, and their text goes into many messages.
 */
export function optionText(duration: Duration, clock: Clock): string {
  let texts = described.get(duration);
  if (texts === undefined) described.set(duration, (texts = {}));
  return (texts[clock] ??= describeDuration(duration, clock));
}
