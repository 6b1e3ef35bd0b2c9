import { parseLine, type LineResult, type ReadOptions } from '../events/jsonl.js';

/**
 * An input line as one line of a spill file, and back. What is spilled is the line's own text
 * (`<file number> <line number> <text>`), not a validated event: a replay validates each line
 * once, when its bucket is read back, with the file name and line number it was read with, so the
 * event is the very one the whole input in memory would give, problems included, and the first
 * pass only has to route lines (`routeLine`).
 */
export class LineCodec {
  readonly #options: Required<ReadOptions>;
  /** File names by number: written once, not once per line. */
  readonly #files: string[] = [];
  readonly #fileNumbers = new Map<string, number>();

  /** `files`: the file table of a codec that encoded the records (`files`), to decode them elsewhere. */
  constructor(options: Required<ReadOptions>, files: readonly string[] = []) {
    this.#options = options;
    for (const file of files) this.#fileNumber(file);
  }

  /** File names by number, as encoded so far. */
  get files(): readonly string[] {
    return this.#files;
  }

  /** The line as a record without a line break (`text` has none: it is one line). */
  encode(text: string, line: number, file: string): string {
    return `${this.#fileNumber(file)} ${line} ${text}`;
  }

  /** The line a record stands for, parsed and validated as `readEvents` would (never undefined: blank lines are not spilled). */
  decode(record: string): LineResult {
    const first = record.indexOf(' ');
    const second = record.indexOf(' ', first + 1);
    const file = this.#files[Number(record.slice(0, first))] as string;
    const line = Number(record.slice(first + 1, second));
    const result = parseLine(record.slice(second + 1), line, file, this.#options);
    if (result === undefined) throw new Error(`${file}:${line}: a spilled line is blank`);
    return result;
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
