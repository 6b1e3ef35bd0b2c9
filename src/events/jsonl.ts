import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ValidationError } from '../errors.js';
import { checkOptionNames, optionNames } from '../option-names.js';
import { Calendar } from '../time/calendar.js';
import type { ValidEvent } from './event.js';
import { EventRegistry } from './registry.js';

/**
 * JSONL input: one event per line; blank lines and lines starting with `//` are skipped. Lines
 * are numbered from 1 as an editor shows them. Reading is streamed line by line, so a file of any
 * size is never held in memory as one string.
 */

export interface ReadOptions {
  /** Event types to accept (core + plugins). Default: the core vocabulary. */
  readonly registry?: EventRegistry;
  /** Resolves date-only `at` values. Default: UTC. */
  readonly calendar?: Calendar;
}

export type LineResult =
  | { readonly ok: true; readonly line: number; readonly event: ValidEvent }
  | { readonly ok: false; readonly line: number; readonly errors: readonly ValidationError[] };

/** Parse and validate one line. Returns undefined for a skipped (blank or comment) line. */
export function parseLine(text: string, line: number, file: string, options: Required<ReadOptions>): LineResult | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('//')) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, line, errors: [new ValidationError({ file, line, path: '', rule: 'invalid-json', message: `not valid JSON: ${reason}` })] };
  }
  const result = options.registry.validate(raw, options.calendar, { file, line });
  return result.ok ? { ok: true, line, event: result.event } : { ok: false, line, errors: result.errors };
}

/** Stream the lines of a file (a path) or of a readable stream (name it with `file` for messages). */
export function readLines(source: string | Readable, file: string, options: ReadOptions = {}): AsyncGenerator<LineResult> {
  // Options checked when called, not when first iterated: the mistake is reported where it was made.
  return lines(source, file, resolveOptions(options, 'readLines'));
}

async function* lines(source: string | Readable, file: string, resolved: Required<ReadOptions>): AsyncGenerator<LineResult> {
  const input = typeof source === 'string' ? createReadStream(source, { encoding: 'utf8' }) : source;
  const reader = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const text of reader) {
      number++;
      const result = parseLine(number === 1 ? stripBom(text) : text, number, file, resolved);
      if (result !== undefined) yield result;
    }
  } finally {
    reader.close();
    if (typeof source === 'string') (input as Readable).destroy();
  }
}

/** Parse JSONL held in a string (tests, examples, small inputs). */
export function parseJsonl(text: string, file = '<input>', options: ReadOptions = {}): { events: ValidEvent[]; errors: ValidationError[] } {
  const resolved = resolveOptions(options, 'parseJsonl');
  const events: ValidEvent[] = [];
  const errors: ValidationError[] = [];
  stripBom(text)
    .split(/\r?\n/)
    .forEach((lineText, i) => {
      const result = parseLine(lineText, i + 1, file, resolved);
      if (result === undefined) return;
      if (result.ok) events.push(result.event);
      else errors.push(...result.errors);
    });
  return { events, errors };
}

const READ_OPTIONS = optionNames<ReadOptions>({ registry: true, calendar: true });

/** The options with defaults, once per call: never per line (`parseLine` takes them resolved). */
function resolveOptions(options: ReadOptions, owner: string): Required<ReadOptions> {
  checkOptionNames(owner, options, READ_OPTIONS);
  return { registry: options.registry ?? new EventRegistry(), calendar: options.calendar ?? new Calendar() };
}

/** The text without a leading byte order mark (U+FEFF), as the first line of a file may have it. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
