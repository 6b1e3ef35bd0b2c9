import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { compareStrings } from '../engine/finding.js';

/**
 * One piece of output (a finding, a summary, a customer's table block) already rendered as the
 * text it prints as, or as that text's UTF-8 bytes once read back from a run file, with the key it
 * is ordered by: `a`, then `b`, then `c`, in code-unit order.
 */
export interface OutputRecord {
  readonly a: string;
  readonly b: string;
  readonly c: string;
  readonly text: string | Uint8Array;
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

/** Bytes gathered before one write, and read per refill. */
const IO_CHUNK = 1 << 18;
/** A record's header: four little-endian 32-bit counts (text bytes, then the code units of a, b and c). */
const HEADER = 16;
/** Most UTF-8 bytes one UTF-16 code unit can take. */
const MAX_BYTES_PER_UNIT = 3;

/**
 * Write sorted records to a run file. Per record: the header, the keys as UTF-16 code units
 * (exact for any string, lone surrogates included, which the merge compares), then the text as
 * UTF-8, the bytes it is output as: read back, it is copied to the output without being decoded.
 */
export function writeRun(path: string, records: Iterable<OutputRecord>): void {
  const fd = openSync(path, 'w');
  try {
    let bytes = Buffer.allocUnsafe(IO_CHUNK);
    let at = 0;
    for (const { a, b, c, text } of records) {
      const keyBytes = 2 * (a.length + b.length + c.length);
      const most = HEADER + keyBytes + (typeof text === 'string' ? MAX_BYTES_PER_UNIT * text.length : text.length);
      if (at + most > bytes.length) {
        writeAll(fd, bytes, at);
        at = 0;
        if (most > bytes.length) bytes = Buffer.allocUnsafe(most);
      }
      let end = at + HEADER;
      end += bytes.write(a, end, 'utf16le');
      end += bytes.write(b, end, 'utf16le');
      end += bytes.write(c, end, 'utf16le');
      let textBytes: number;
      if (typeof text === 'string') textBytes = bytes.write(text, end);
      else {
        bytes.set(text, end);
        textBytes = text.length;
      }
      bytes.writeUInt32LE(textBytes, at);
      bytes.writeUInt32LE(a.length, at + 4);
      bytes.writeUInt32LE(b.length, at + 8);
      bytes.writeUInt32LE(c.length, at + 12);
      at = end + textBytes;
    }
    writeAll(fd, bytes, at);
  } finally {
    closeSync(fd);
  }
}

/** The first `count` bytes, however many writes that takes. */
function writeAll(fd: number, bytes: Buffer, count: number): void {
  for (let done = 0; done < count; ) done += writeSync(fd, bytes, done, count - done);
}

/**
 * A run file read back record by record, IO_CHUNK bytes at a time (synchronously: the merge that
 * reads it is a plain generator, and these files are local). A record's text is a view of the
 * bytes read, which are never overwritten (each refill reads into a new buffer), so it stays valid
 * after later reads. Closed at its end.
 */
export class RunReader implements Run {
  #fd: number | undefined;
  #bytes = Buffer.alloc(0);
  /** Where the unread bytes start in #bytes, and end. */
  #at = 0;
  #end = 0;

  constructor(path: string) {
    this.#fd = openSync(path, 'r');
  }

  next(): OutputRecord | undefined {
    if (!this.#have(HEADER)) {
      if (this.#at < this.#end) throw new Error('a run file ends inside a record');
      return undefined;
    }
    const header = this.#bytes;
    const textBytes = header.readUInt32LE(this.#at);
    const aBytes = 2 * header.readUInt32LE(this.#at + 4);
    const bBytes = 2 * header.readUInt32LE(this.#at + 8);
    const cBytes = 2 * header.readUInt32LE(this.#at + 12);
    if (!this.#have(HEADER + aBytes + bBytes + cBytes + textBytes)) throw new Error('a run file ends inside a record');
    const bytes = this.#bytes;
    let at = this.#at + HEADER;
    const a = bytes.toString('utf16le', at, (at += aBytes));
    const b = bytes.toString('utf16le', at, (at += bBytes));
    const c = bytes.toString('utf16le', at, (at += cBytes));
    const text = bytes.subarray(at, (at += textBytes));
    this.#at = at;
    return { a, b, c, text };
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** Whether `count` unread bytes are at hand, reading more as needed; false at the end of the file. */
  #have(count: number): boolean {
    while (this.#end - this.#at < count) {
      if (this.#fd === undefined) return false;
      const rest = this.#end - this.#at;
      const next = Buffer.allocUnsafe(Math.max(IO_CHUNK, count));
      this.#bytes.copy(next, 0, this.#at, this.#end);
      const read = readSync(this.#fd, next, rest, next.length - rest, null);
      this.#bytes = next;
      this.#at = 0;
      this.#end = rest + read;
      if (read === 0) this.close();
    }
    return true;
  }
}
