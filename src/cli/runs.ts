import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { compareStrings } from '../engine/finding.js';

/**
 * One piece of output (a finding, a summary, a customer's table block) already rendered as the
 * text it prints as, with the key it is ordered by: `a`, then `b`, then `c`, in code-unit order.
 */
export interface OutputRecord {
  readonly a: string;
  readonly b: string;
  readonly c: string;
  readonly text: string;
}

export function compareRecords(x: OutputRecord, y: OutputRecord): number {
  return compareStrings(x.a, y.a) || compareStrings(x.b, y.b) || compareStrings(x.c, y.c);
}

/** Records in order, handed out one at a time. */
export interface Run {
  next(): OutputRecord | undefined;
  /** Let go of the run early (its file), when the output stops before its end. */
  close(): void;
}

/** A run held in memory (an input small enough not to spill). */
export function memoryRun(records: readonly OutputRecord[]): Run {
  let index = 0;
  return { next: () => records[index++], close: () => undefined };
}

/** Characters gathered before one write, and bytes read per refill. */
const IO_CHUNK = 1 << 18;

/**
 * Write sorted records to a run file: per record a header line, `[text length, a, b, c]` as JSON
 * (keys may hold any character), then the text itself, unescaped (it is counted, not delimited).
 */
export function writeRun(path: string, records: readonly OutputRecord[]): void {
  const fd = openSync(path, 'w');
  try {
    let buffer = '';
    for (const record of records) {
      buffer += `${JSON.stringify([record.text.length, record.a, record.b, record.c])}\n${record.text}`;
      if (buffer.length >= IO_CHUNK) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
    if (buffer !== '') writeSync(fd, buffer);
  } finally {
    closeSync(fd);
  }
}

/**
 * A run file read back record by record, IO_CHUNK bytes at a time (synchronously: the merge that
 * reads it is a plain generator, and these files are local). Closed at its end.
 */
export class RunReader implements Run {
  #fd: number | undefined;
  readonly #bytes = Buffer.allocUnsafe(IO_CHUNK);
  readonly #decoder = new StringDecoder('utf8');
  #text = '';
  #at = 0;

  constructor(path: string) {
    this.#fd = openSync(path, 'r');
  }

  next(): OutputRecord | undefined {
    let newline: number;
    while ((newline = this.#text.indexOf('\n', this.#at)) === -1) {
      if (this.#refill()) continue;
      if (this.#at < this.#text.length) throw new Error('a run file ends inside a record');
      return undefined;
    }
    const [length, a, b, c] = JSON.parse(this.#text.slice(this.#at, newline)) as [number, string, string, string];
    // Where the text starts, counted from the unread part (a refill moves the unread part to 0).
    const offset = newline + 1 - this.#at;
    while (this.#text.length - this.#at < offset + length) {
      if (!this.#refill()) throw new Error('a run file ends inside a record');
    }
    const start = this.#at + offset;
    this.#at = start + length;
    return { a, b, c, text: this.#text.slice(start, this.#at) };
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** Read more, keeping the unread rest; false at the end of the file. */
  #refill(): boolean {
    if (this.#fd === undefined) return false;
    const count = readSync(this.#fd, this.#bytes, 0, IO_CHUNK, null);
    if (count === 0) {
      this.close();
      return false;
    }
    this.#text = this.#text.slice(this.#at) + this.#decoder.write(this.#bytes.subarray(0, count));
    this.#at = 0;
    return true;
  }
}
