import { MinHeap } from './min-heap.js';
import type { Stream } from './stream.js';

interface Entry {
  readonly time: number;
  readonly stream: Stream;
}

/**
 * The engine's timers: streams keyed by their earliest pending wake-up, in a min-heap, so moving
 * the clock costs O(due · log n), not O(customers). A stream keeps one live entry (`scheduledAt`);
 * an entry left behind when the stream was rescheduled earlier is skipped when it surfaces.
 */
export class WakeSchedule {
  // Ties: creation order of the streams, so streams due at one instant wake deterministically.
  readonly #heap = new MinHeap<Entry>((a, b) => a.time < b.time || (a.time === b.time && a.stream.seq < b.stream.seq));

  /** Enter a stream at its earliest pending wake-up, unless it already has an entry at or before it. */
  schedule(stream: Stream): void {
    const next = stream.nextWake();
    if (next === undefined) return;
    if (stream.scheduledAt !== undefined && stream.scheduledAt <= next) return;
    stream.scheduledAt = next;
    this.#heap.push({ time: next, stream });
  }

  /** Remove and return the next stream due at or before `target` (in time order), if any. */
  takeDue(target: number): Stream | undefined {
    for (let entry = this.#heap.peek(); entry !== undefined && entry.time <= target; entry = this.#heap.peek()) {
      this.#heap.pop();
      const { stream } = entry;
      if (stream.scheduledAt !== entry.time) continue; // superseded by an earlier entry
      stream.scheduledAt = undefined;
      return stream;
    }
    return undefined;
  }
}
