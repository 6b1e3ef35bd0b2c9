import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * Lines of a text stream, split exactly as `readline` with `crlfDelay: Infinity` splits them
 * (what the CLI used before): `\n`, `\r\n` and a lone `\r` end a line, a `\r\n` cut between two
 * chunks is one break, no empty line after a final break, and an incomplete UTF-8 sequence at the
 * very end is dropped (readline never flushes its decoder). Unlike readline, a whole chunk's lines
 * are handed over synchronously, one call each: no event and no promise per line.
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  /** The unfinished line carried over from the previous chunk. */
  #rest = '';
  /** The previous chunk ended with `\r`: a `\n` starting this one is part of that break. */
  #sawReturn = false;

  /** Split one chunk (bytes, or text from a stream that decodes itself). */
  push(chunk: Buffer | string, onLine: (text: string) => void): void {
    let text = typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    if (this.#sawReturn) {
      if (text.charCodeAt(0) === 10) text = text.slice(1);
      this.#sawReturn = false;
    }
    if (text === '') return;
    // Fast path: no carriage return in this chunk, so every break is a `\n`.
    const cr = text.indexOf('\r');
    let start = 0;
    if (cr === -1) {
      let end = text.indexOf('\n');
      if (end === -1) {
        this.#rest += text;
        return;
      }
      onLine(this.#rest === '' ? text.slice(0, end) : this.#rest + text.slice(0, end));
      start = end + 1;
      while ((end = text.indexOf('\n', start)) !== -1) {
        onLine(text.slice(start, end));
        start = end + 1;
      }
      this.#rest = text.slice(start);
      return;
    }
    const whole = this.#rest + text;
    const breaks = /\r?\n|\r(?!\n)/g;
    let found = false;
    let match: RegExpExecArray | null;
    while ((match = breaks.exec(whole)) !== null) {
      onLine(whole.slice(start, match.index));
      start = breaks.lastIndex;
      found = true;
    }
    this.#rest = whole.slice(start);
    // A chunk ending in `\r` ended a line; a `\n` at the start of the next belongs to it.
    this.#sawReturn = found && whole.endsWith('\r');
  }

  /** The last line, when the input does not end with a line break. */
  end(onLine: (text: string) => void): void {
    if (this.#rest !== '') onLine(this.#rest);
    this.#rest = '';
  }
}

/**
 * Thrown by `forEachLine` for a stream that starts with a UTF-16 byte order mark (PowerShell 5's
 * `>` writes UTF-16): read as UTF-8, every one of its lines would be reported as not valid JSON.
 */
export class Utf16InputError extends Error {
  constructor() {
    super('encoded as UTF-16 (it starts with a UTF-16 byte order mark); heed reads UTF-8: convert it first (iconv -f UTF-16 -t UTF-8)');
  }
}

/**
 * Call `onLine` with every line of `source` (numbered from 1), and `onChunk` with the bytes read
 * so far after each chunk's lines (for a progress bar). Input in UTF-16 is a `Utf16InputError`.
 */
export async function forEachLine(source: Readable, onLine: (text: string, line: number) => void, onChunk?: (bytes: number) => void): Promise<void> {
  const splitter = new LineSplitter();
  let number = 0;
  let bytes = 0;
  const each = (text: string) => onLine(text, ++number);
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    if (bytes === 0 && typeof chunk !== 'string' && utf16Bom(chunk)) throw new Utf16InputError();
    splitter.push(chunk, each);
    bytes += chunk.length;
    onChunk?.(bytes);
  }
  splitter.end(each);
}

/** Whether bytes start with a UTF-16 byte order mark, little- or big-endian. */
function utf16Bom(bytes: Buffer): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}
