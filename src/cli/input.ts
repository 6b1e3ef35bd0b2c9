import type { Readable } from 'node:stream';
import type { ValidationError } from '../errors.js';
import type { ValidEvent } from '../events/event.js';
import type { ReadOptions } from '../events/jsonl.js';
import { checkStream } from './check-streams.js';
import { FirstProblems } from './first-problems.js';
import type { Progress } from './progress.js';
import { readEvents, STDIN_NAME } from './read-events.js';

export { STDIN_NAME } from './read-events.js';

/** Problems kept in memory (the first in file:line order); past this they are only counted (a wrong file can have millions). */
export const KEPT_PROBLEMS = 1000;

/** The problem list of one command over `files`: the first KEPT_PROBLEMS in file then line order, and a count. */
export function problemsFor(files: readonly string[]): FirstProblems {
  return new FirstProblems(KEPT_PROBLEMS, files.map((f) => (f === '-' ? STDIN_NAME : f)));
}

export interface LoadedInput {
  /**
   * Valid events per customer (customers in order of first appearance), each stream in input
   * order, idempotent retries removed. Grouped while reading, so a replay can release each
   * stream's events once it is evaluated.
   */
  readonly streams: Map<string, ValidEvent[]>;
  /** Number of events in `streams`. */
  readonly eventCount: number;
  /** The first problems in file order then line order (at most KEPT_PROBLEMS are kept in memory). */
  readonly problems: ValidationError[];
  /** How many problems there were in all (more than `problems.length` past the cap). */
  readonly problemCount: number;
  readonly duplicates: number;
}

/**
 * The whole input in memory (`heed report`, which draws every event): JSONL files (`-` is stdin)
 * read line by line, every line validated, then per stream identical retries dropped and the
 * lifecycle rules checked. Nothing is evaluated here: a caller only replays when there is no
 * problem at all. (`heed replay` and `heed validate` go through `EventBuckets` instead, in
 * bounded memory.)
 */
export async function loadInput(files: readonly string[], stdin: Readable, options: Required<ReadOptions>, progress: Progress): Promise<LoadedInput> {
  const streams = new Map<string, ValidEvent[]>();
  const found = problemsFor(files);
  await readEvents(files, stdin, options, progress, found, (event) => {
    let stream = streams.get(event.customerId);
    if (stream === undefined) streams.set(event.customerId, (stream = []));
    stream.push(event);
  });

  // Retries and lifecycle rules are per stream: checked one stream at a time once everything is
  // read (the rules need each stream in `at` order), so no index of every event id is kept.
  let duplicates = 0;
  let eventCount = 0;
  for (const stream of streams.values()) {
    duplicates += checkStream(stream, (list) => found.add(list));
    eventCount += stream.length;
  }
  return { streams, eventCount, problems: found.problems, problemCount: found.count, duplicates };
}
