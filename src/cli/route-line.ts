import type { Calendar } from '../time/calendar.js';

/** What a replay must know of a line before it is validated: whose stream it is, and when. */
export interface Route {
  /** The event's `customerId`, when the line has one (a line without is invalid: any bucket will do). */
  readonly customerId: string | undefined;
  /** Its `at`, when it is a string. */
  readonly at: string | undefined;
}

const NOWHERE: Route = { customerId: undefined, at: undefined };

/**
 * The bucket key of a line: its customer's id; for a line without one (invalid, and reported
 * later) a key of its own by line number, so a broken export whose lines all lack the id spreads
 * over the buckets instead of filling one (a bucket is held whole while it is checked).
 */
export function bucketKey(route: Route, line: number): string {
  return route.customerId ?? `\u0000${line}`;
}

/**
 * The `customerId` and `at` of one JSONL line without parsing it, when the line has the usual
 * shape (`"customerId":"c1"`, `"at":"…"`, as JSON.stringify writes them); otherwise by parsing it.
 * Exact either way, which matters: every line of a customer must land in the same bucket.
 *
 * Why the shortcut is exact: with no `\u` escape anywhere, a key can only be spelled `customerId`
 * literally; if `"customerId"` occurs once, the top-level key, if there is one, is that occurrence
 * (a second spelling would be a second occurrence); followed by `":"` and a value without a
 * backslash, the value is the text up to the next quote. Any doubt (a second occurrence, spaces,
 * an escape, a value that is not a string) falls back to JSON.parse. A line that is not an event
 * at all is validated, and reported, later: where it goes does not matter.
 */
export function routeLine(text: string): Route {
  if (text.indexOf('\\u') === -1) {
    const customerId = plainString(text, '"customerId"');
    const at = plainString(text, '"at"');
    if (customerId !== undefined && at !== undefined) return { customerId, at };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return NOWHERE;
  }
  if (typeof raw !== 'object' || raw === null) return NOWHERE;
  const { customerId, at } = raw as { customerId?: unknown; at?: unknown };
  return { customerId: typeof customerId === 'string' ? customerId : undefined, at: typeof at === 'string' ? at : undefined };
}

/** The value after `name` (`"name"`) when the name occurs exactly once, followed by `:"`, and the value holds no backslash. */
function plainString(text: string, name: string): string | undefined {
  const at = text.indexOf(name);
  const start = at + name.length + 2;
  if (at === -1 || text.charCodeAt(start - 2) !== 58 /* : */ || text.charCodeAt(start - 1) !== 34 /* " */ || text.indexOf(name, at + 1) !== -1) return undefined;
  const end = text.indexOf('"', start);
  if (end === -1) return undefined;
  const value = text.slice(start, end);
  return value.indexOf('\\') === -1 ? value : undefined;
}

/**
 * The latest of many `at` values. Most are written `YYYY-MM-DDTHH:MM:SSZ`, whose text order is
 * their time order: of those only the greatest is parsed. The others are parsed as they come.
 * Exact when every value is a valid instant; with an invalid one, the input is refused anyway.
 */
export class Latest {
  readonly #calendar: Calendar;
  #utc = '';
  #time: number | undefined;

  constructor(calendar: Calendar) {
    this.#calendar = calendar;
  }

  add(at: string): void {
    if (at.length === 20 && at.charCodeAt(19) === 90 /* Z */ && at.charCodeAt(10) === 84 /* T */) {
      if (at > this.#utc) this.#utc = at;
      return;
    }
    this.#max(this.#calendar.parseInstant(at));
  }

  time(): number | undefined {
    if (this.#utc !== '') this.#max(this.#calendar.parseInstant(this.#utc));
    this.#utc = '';
    return this.#time;
  }

  #max(time: number | undefined): void {
    if (time !== undefined && (this.#time === undefined || time > this.#time)) this.#time = time;
  }
}
