import type { ValidationError } from '../errors.js';

/**
 * The first `limit` problems in file order then line order, out of any number added in any order,
 * plus a count of all of them. Problems arrive out of order (lifecycle errors are found only after
 * every line is read), so keeping "the first `limit` added" could drop an early line's problem
 * while later ones are printed. Memory stays bounded however wrong the input is.
 */
export class FirstProblems {
  readonly #limit: number;
  readonly #fileOrder: ReadonlyMap<string, number>;
  /** Sorted by location; problems at the same location keep the order they were added in. */
  readonly #kept: ValidationError[] = [];
  #count = 0;

  constructor(limit: number, files: readonly string[]) {
    this.#limit = limit;
    this.#fileOrder = new Map(files.map((file, index) => [file, index]));
  }

  add(problems: readonly ValidationError[]): void {
    for (const problem of problems) {
      this.#count++;
      const at = this.#upperBound(problem);
      if (at >= this.#limit) continue;
      this.#kept.splice(at, 0, problem);
      if (this.#kept.length > this.#limit) this.#kept.pop();
    }
  }

  /** Count problems found and kept elsewhere (a worker thread keeps its own first ones and hands over those). */
  countMore(count: number): void {
    this.#count += count;
  }

  /** The kept problems, in file then line order. */
  get problems(): ValidationError[] {
    return [...this.#kept];
  }

  /** How many problems were added in all. */
  get count(): number {
    return this.#count;
  }

  /** Index after every kept problem at or before `problem`'s location (schema problems arrive in order: O(log n)). */
  #upperBound(problem: ValidationError): number {
    let low = 0;
    let high = this.#kept.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#compare(this.#kept[middle] as ValidationError, problem) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** A problem without a line (a whole file) comes before that file's lines. */
  #compare(a: ValidationError, b: ValidationError): number {
    return (this.#fileOrder.get(a.file ?? '') ?? 0) - (this.#fileOrder.get(b.file ?? '') ?? 0) || (a.line ?? 0) - (b.line ?? 0);
  }
}
