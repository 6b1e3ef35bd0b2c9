import type { Readable } from 'node:stream';
import type { ValidEvent } from '../events/event.js';
import type { ReadOptions } from '../events/jsonl.js';
import { checkStream } from './check-streams.js';
import { ProblemList } from './problem-list.js';
import type { Progress } from './progress.js';
import { readEvents, STDIN_NAME } from './read-events.js';

export { STDIN_NAME } from './read-events.js';

/**
 * The problem list of one command over `files` (every problem, in file then line order), spilling
 * to `dir` past the problems it holds in memory (a wrong file can have millions). `name` sets a
 * worker's run files apart.
 */
export function problemsFor(files: readonly string[], dir: () => string, name?: string): ProblemList {
  return new ProblemList(
    files.map((f) => (f === '-' ? STDIN_NAME : f)),
    { dir, ...(name === undefined ? {} : { name }) },
  );
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
  /** Every problem, printed in file order then line order (spilled to `dir` past what is held in memory). */
  readonly problems: ProblemList;
  readonly duplicates: number;
}

/**
 * The whole input in memory (`heed report`, which draws every event): JSONL files (`-` is stdin)
 * read line by line, every line validated, then per stream identical retries dropped and the
 * lifecycle rules checked. Nothing is evaluated here: a caller only replays when there is no
 * problem at all. (`heed replay` and `heed validate` go through `EventBuckets` instead, in
 * bounded memory.)
 */
export async function loadInput(
  files: readonly string[],
  stdin: Readable,
  options: Required<ReadOptions>,
  progress: Progress,
  dir: () => string,
): Promise<LoadedInput> {
  const streams = new Map<string, ValidEvent[]>();
  const found = problemsFor(files, dir);
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
  return { streams, eventCount, problems: found, duplicates };
}
