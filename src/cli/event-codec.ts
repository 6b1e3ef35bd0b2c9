import type { ValidEvent } from '../events/event.js';
import { parseLine, type ReadOptions } from '../events/jsonl.js';

/**
 * A JSON number written `-0`: JSON.stringify prints minus zero as `0`, so an event holding one
 * would not come back the same (and `samePayload` tells `-0` from `0`). Conservative: it may also
 * match inside a string, which only costs that line a second validation.
 */
const MINUS_ZERO = /[:,[]\s*-0/;

/**
 * One validated event as one line of a spill file, and back, exactly: the event read back is
 * the ValidEvent the first pass built (same fields in the same order, `time`, `source` file and
 * line), so the replay of a spilled input is the replay of the input. What was written is trusted:
 * it is parsed, not validated again.
 *
 * Core events are written as their fields (`[file, line, time, customerId, type, at, data, id,
 * meta]`, absent `id` and `meta` as null). Anything whose payload JSON might not reproduce (a
 * plugin's type, whose schema may build non-JSON values; a line with a `-0`) is written as its
 * line's text and validated again when read back, which gives the same event by construction.
 */
export class EventCodec {
  readonly #options: Required<ReadOptions>;
  /** File names by number: written once, not once per event. */
  readonly #files: string[] = [];
  readonly #fileNumbers = new Map<string, number>();

  constructor(options: Required<ReadOptions>) {
    this.#options = options;
  }

  /** The event as one line of JSON (no line break). `text` is the line it was read from. */
  encode(event: ValidEvent, text: string): string {
    const source = event.source;
    if (source === undefined) throw new Error('a spilled event must come from a file');
    const file = this.#fileNumber(source.file);
    const definition = this.#options.registry.get(event.type);
    if (definition?.owner !== 'core' || MINUS_ZERO.test(text)) return JSON.stringify([file, source.line, text]);
    return JSON.stringify([file, source.line, event.time, event.customerId, event.type, event.at, event.data, event.id ?? null, event.meta ?? null]);
  }

  /** The event a line written by `encode` stands for. */
  decode(line: string): ValidEvent {
    const fields = JSON.parse(line) as unknown[];
    const file = this.#files[fields[0] as number] as string;
    const number = fields[1] as number;
    if (fields.length === 3) {
      const result = parseLine(fields[2] as string, number, file, this.#options);
      if (result?.ok !== true) throw new Error(`${file}:${number}: a spilled line no longer validates`);
      return result.event;
    }
    const type = fields[4] as string;
    // Built as the registry builds it: same fields, same order, and its own copy of the type name.
    const event: Mutable<ValidEvent> = {
      customerId: fields[3] as string,
      type: this.#options.registry.get(type)?.type ?? type,
      at: fields[5] as string,
      time: fields[2] as number,
      data: fields[6],
    };
    if (fields[7] !== null) event.id = fields[7] as string;
    if (fields[8] !== null) event.meta = fields[8] as Record<string, unknown>;
    event.source = { file, line: number };
    return event;
  }

  #fileNumber(file: string): number {
    let number = this.#fileNumbers.get(file);
    if (number === undefined) {
      number = this.#files.push(file) - 1;
      this.#fileNumbers.set(file, number);
    }
    return number;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
