import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { ValidationError } from '../errors.js';
import { lifecycleErrors } from '../events/check-lifecycle.js';
import type { ValidEvent } from '../events/event.js';
import { readLines, type ReadOptions } from '../events/jsonl.js';
import { samePayload } from '../store/same-payload.js';
import { FirstProblems } from './first-problems.js';
import type { Progress } from './progress.js';

/** The name stdin goes by in messages (`<stdin>:3: ...`). */
export const STDIN_NAME = '<stdin>';

/** Problems kept in memory (the first in file:line order); past this they are only counted (a wrong file can have millions). */
const KEPT_PROBLEMS = 1000;

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
 * Read JSONL files (`-` is stdin) line by line, validate every line, then per stream drop
 * identical retries and check the lifecycle rules. Nothing is evaluated here: a caller only
 * replays when there is no problem at all.
 */
export async function loadInput(files: readonly string[], stdin: Readable, options: Required<ReadOptions>, progress: Progress): Promise<LoadedInput> {
  const sizes = await Promise.all(files.map(async (file) => (file === '-' ? { ok: true as const, size: 0 } : probe(file))));
  progress.start(sizes.reduce((sum, s) => sum + (s.ok ? s.size : 0), 0));

  const streams = new Map<string, ValidEvent[]>();
  const found = new FirstProblems(KEPT_PROBLEMS, files.map((f) => (f === '-' ? STDIN_NAME : f)));
  const keep = (list: readonly ValidationError[]) => found.add(list);
  let read = 0;
  let bytesBefore = 0;

  for (const [index, file] of files.entries()) {
    const probed = sizes[index];
    if (probed !== undefined && !probed.ok) {
      keep([probed.problem]);
      continue;
    }
    const name = file === '-' ? STDIN_NAME : file;
    const counter = countingStream((bytes) => progress.update(bytesBefore + bytes, read));
    const source = file === '-' ? stdin : createReadStream(file);
    source.on('error', (error: Error) => counter.destroy(error));
    source.pipe(counter);
    try {
      for await (const result of readLines(counter, name, options)) {
        if (!result.ok) {
          keep(result.errors);
          continue;
        }
        const event = result.event;
        let stream = streams.get(event.customerId);
        if (stream === undefined) streams.set(event.customerId, (stream = []));
        stream.push(event);
        read++;
      }
    } catch (error) {
      keep([new ValidationError({ file: name, path: '', rule: 'unreadable', message: `cannot read: ${(error as Error).message}` })]);
    } finally {
      if (file !== '-') source.destroy();
    }
    bytesBefore += probed?.ok === true ? probed.size : 0;
    progress.update(bytesBefore, read);
  }
  progress.stop();

  // Retries and lifecycle rules are per stream: checked one stream at a time once everything is
  // read (the rules need each stream in `at` order), so no index of every event id is kept.
  let duplicates = 0;
  let eventCount = 0;
  for (const stream of streams.values()) {
    duplicates += dropRetries(stream, keep);
    eventCount += stream.length;
    keep(lifecycleErrors(stream));
  }
  return { streams, eventCount, problems: found.problems, problemCount: found.count, duplicates };
}

/**
 * Remove retried lines from one stream in place, keeping the first: identical (same id, same
 * payload) is a retry the store would skip too; a different payload under a used id is a
 * problem. Returns how many identical retries were removed.
 */
function dropRetries(stream: ValidEvent[], keep: (list: readonly ValidationError[]) => void): number {
  const byId = new Map<string, ValidEvent>();
  let kept = 0;
  let duplicates = 0;
  for (const event of stream) {
    if (event.id !== undefined) {
      const earlier = byId.get(event.id);
      if (earlier !== undefined) {
        if (samePayload(earlier, event)) duplicates++;
        else keep([idConflict(event, earlier)]);
        continue;
      }
      byId.set(event.id, event);
    }
    stream[kept++] = event;
  }
  stream.length = kept;
  return duplicates;
}

type Probe = { readonly ok: true; readonly size: number } | { readonly ok: false; readonly problem: ValidationError };

async function probe(file: string): Promise<Probe> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return { ok: false, problem: unreadable(file, 'is a directory, not a JSONL file') };
    return { ok: true, size: info.size };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, problem: unreadable(file, code === 'ENOENT' ? 'file not found' : `cannot read: ${(error as Error).message}`) };
  }
}

function unreadable(file: string, message: string): ValidationError {
  return new ValidationError({ file, path: '', rule: 'unreadable', message });
}

/** Passes bytes through unchanged, reporting how many went by (for the progress bar). */
function countingStream(onBytes: (bytes: number) => void): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      onBytes(bytes);
      callback(null, chunk);
    },
  });
}

function idConflict(event: ValidEvent, earlier: ValidEvent): ValidationError {
  const first = earlier.source === undefined ? '' : ` at ${earlier.source.file}:${earlier.source.line}`;
  return new ValidationError({
    ...(event.source !== undefined ? { file: event.source.file, line: event.source.line } : {}),
    customerId: event.customerId,
    eventType: event.type,
    ...(event.id !== undefined ? { eventId: event.id } : {}),
    path: 'id',
    rule: 'id-conflict',
    message: `event id "${event.id ?? ''}" was already used${first} with a different payload; a retry must be identical`,
  });
}
