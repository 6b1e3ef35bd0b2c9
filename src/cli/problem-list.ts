import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidationError } from '../errors.js';
import { mergeRuns } from './merge-runs.js';
import { printable } from './printable.js';
import { compareRecords, memoryRun, RunReader, writeRun, type OutputRecord, type Run } from './runs.js';

/** Problems held in memory (as their printed lines) before they are written out as one sorted run. */
export const HELD_PROBLEMS = 4096;
/** Runs read at once when the list is printed: each holds a file and a read buffer open. */
const MERGE_WIDTH = 64;

export interface ProblemListOptions {
  /** The spill directory, made on first use (only a list past `held` problems writes to it). */
  readonly dir: () => string;
  /** Sets this list's run files apart from other lists' in the same directory (a worker's: `b7`). */
  readonly name?: string;
  /** Problems held before a run is written (default HELD_PROBLEMS; tests make it small). */
  readonly held?: number;
  /** Runs merged at once (default MERGE_WIDTH; tests make it small). */
  readonly mergeWidth?: number;
}

/** A list's problems handed to another list (a worker thread's to the CLI's): plain data. */
export interface HandedProblems {
  /** Problems still held, as records, in the order they were added. */
  readonly records: readonly OutputRecord[];
  /** Run files written, in the order they were written. */
  readonly runs: readonly string[];
  /** How many problems there are in all. */
  readonly count: number;
}

/**
 * Every problem of a command, printed in file then line order however many there are (CONTRACT
 * §4: every problem listed) and in bounded memory however wrong the input is. Problems arrive
 * out of order (lifecycle errors are found only after a stream is read, buckets are checked one
 * after another), so each is kept as the line it prints as, keyed by its file's place among the
 * inputs and its line number. Past `held` of them, the held ones are sorted and written to the
 * spill directory as a run (runs.ts); printing merges the runs and the rest (merge-runs.ts).
 * Problems at one location keep the order they were added in (a stable sort within a run, the
 * run's order across runs): they all come from one line, so from one bucket, in one order.
 */
export class ProblemList {
  readonly #fileOrder: ReadonlyMap<string, number>;
  readonly #options: ProblemListOptions;
  #held: OutputRecord[] = [];
  readonly #runs: string[] = [];
  #count = 0;
  #written = 0;

  /** `files`: the inputs by the names problems give them (stdin as `<stdin>`), in argument order. */
  constructor(files: readonly string[], options: ProblemListOptions) {
    this.#fileOrder = new Map(files.map((file, index) => [file, index]));
    this.#options = options;
  }

  add(problems: readonly ValidationError[]): void {
    for (const problem of problems) this.#hold(this.#record(problem));
  }

  /** Take over another list's problems (a worker's, for one bucket); that list is left as it was. */
  addHanded(handed: HandedProblems): void {
    // The runs first: they hold the problems found before the records still held.
    this.#runs.push(...handed.runs);
    this.#count += handed.count - handed.records.length;
    for (const record of handed.records) this.#hold(record);
  }

  /** How many problems were added in all. */
  get count(): number {
    return this.#count;
  }

  /** Everything, to be added to another list (`addHanded`); this list is left empty. */
  hand(): HandedProblems {
    const handed = { records: this.#held, runs: [...this.#runs], count: this.#count };
    this.#held = [];
    this.#runs.length = 0;
    this.#count = 0;
    return handed;
  }

  /**
   * Every problem's line (text or UTF-8 bytes, each ending in a line break), in file then line
   * order, read from the runs while it is printed. Call once: the list is empty afterwards.
   */
  *lines(): Generator<string | Uint8Array, void> {
    const held = this.#held.sort(compareRecords);
    this.#held = [];
    const width = Math.max(2, this.#options.mergeWidth ?? MERGE_WIDTH);
    let runs = [...this.#runs];
    this.#runs.length = 0;
    // Too many runs to read at once: merge the first ones into one, in place (their order kept).
    while (runs.length + 1 > width) {
      const first = runs.slice(0, width);
      const path = this.#nextRunPath();
      writeRun(path, mergeRuns(first.map((run) => new RunReader(run))));
      for (const run of first) rmSync(run, { force: true });
      runs = [path, ...runs.slice(width)];
    }
    const readers: Run[] = [...runs.map((run) => new RunReader(run)), memoryRun(held)];
    for (const record of mergeRuns(readers)) yield record.text;
  }

  #hold(record: OutputRecord): void {
    this.#held.push(record);
    this.#count++;
    if (this.#held.length >= (this.#options.held ?? HELD_PROBLEMS)) this.#spill();
  }

  #spill(): void {
    const path = this.#nextRunPath();
    writeRun(path, this.#held.sort(compareRecords));
    this.#held = [];
    this.#runs.push(path);
  }

  #nextRunPath(): string {
    const name = this.#options.name === undefined ? '' : `${this.#options.name}-`;
    return join(this.#options.dir(), `problems-${name}${this.#written++}.run`);
  }

  /**
   * The line a problem prints as (its control characters written out: a problem quotes the input),
   * keyed by its file's place and its line, as fixed-width digits that sort as the numbers do. A
   * problem without a line (a whole file) comes before that file's lines.
   */
  #record(problem: ValidationError): OutputRecord {
    const file = this.#fileOrder.get(problem.file ?? '') ?? 0;
    return {
      a: String(file).padStart(10, '0'),
      b: problem.line === undefined ? '' : String(problem.line).padStart(16, '0'),
      c: '',
      text: `${printable(problem.toString())}\n`,
    };
  }
}
