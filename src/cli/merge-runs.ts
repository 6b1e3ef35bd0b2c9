import { MinHeap } from '../engine/min-heap.js';
import { compareRecords, type OutputRecord, type Run } from './runs.js';

/**
 * The records of sorted runs in one sorted sequence (a k-way merge over a heap of each run's next
 * record): only one record per run is held. Records that tie come from one run (a run holds whole
 * customers, and a tie is within one customer), and keep that run's order; across runs the run's
 * index settles a tie, so the merge is deterministic regardless. Every run is closed at the end or
 * when the consumer stops early.
 */
export function* mergeRuns(runs: readonly Run[]): Generator<OutputRecord, void> {
  try {
    if (runs.length === 1) {
      const run = runs[0] as Run;
      for (let record = run.next(); record !== undefined; record = run.next()) yield record;
      return;
    }
    const heap = new MinHeap<{ record: OutputRecord; run: number }>((x, y) => {
      const order = compareRecords(x.record, y.record);
      return order < 0 || (order === 0 && x.run < y.run);
    });
    runs.forEach((run, index) => {
      const record = run.next();
      if (record !== undefined) heap.push({ record, run: index });
    });
    for (let head = heap.pop(); head !== undefined; head = heap.pop()) {
      yield head.record;
      const record = (runs[head.run] as Run).next();
      if (record !== undefined) heap.push({ record, run: head.run });
    }
  } finally {
    for (const run of runs) run.close();
  }
}
