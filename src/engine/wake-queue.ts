import { MinHeap } from './min-heap.js';

/** The instants one policy asked to be woken at, for one stream: ordered, without duplicates. */
export class WakeQueue {
  readonly #heap = new MinHeap<number>((a, b) => a < b);
  readonly #pending = new Set<number>();

  add(instant: number): void {
    if (this.#pending.has(instant)) return;
    this.#pending.add(instant);
    this.#heap.push(instant);
  }

  /** The earliest pending instant, if any. */
  next(): number | undefined {
    return this.#heap.peek();
  }

  /** Remove and return the earliest instant if it is before `limit` (or at it, when inclusive). */
  takeBefore(limit: number, inclusive: boolean): number | undefined {
    const top = this.#heap.peek();
    if (top === undefined || top > limit || (!inclusive && top === limit)) return undefined;
    this.#heap.pop();
    this.#pending.delete(top);
    return top;
  }

  get size(): number {
    return this.#pending.size;
  }
}
