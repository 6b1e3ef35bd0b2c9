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
  /** Valid events in input order, idempotent retries (same id, same payload) removed. */
  readonly events: ValidEvent[];
  /** The first problems in file order then line order (at most KEPT_PROBLEMS are kept in memory). */
  readonly problems: ValidationError[];
  /** How many problems there were in all (more than `problems.length` past the cap). */
  readonly problemCount: number;
  readonly duplicates: number;
}

/**
 * Read JSONL files (`-` is stdin) line by line, validate every line, drop identical retries, then
 * check the lifecycle rules over the whole input. Nothing is evaluated here: a caller only
 * replays when there is no problem at all.
 */
export async function loadInput(files: readonly string[], stdin: Readable, options: Required<ReadOptions>, progress: Progress): Promise<LoadedInput> {
  const sizes = await Promise.all(files.map(async (file) => (file === '-' ? { ok: true as const, size: 0 } : probe(file))));
  progress.start(sizes.reduce((sum, s) => sum + (s.ok ? s.size : 0), 0));

  const events: ValidEvent[] = [];
  const found = new FirstProblems(KEPT_PROBLEMS, files.map((f) => (f === '-' ? STDIN_NAME : f)));
  const keep = (list: readonly ValidationError[]) => found.add(list);
  const byId = new Map<string, ValidEvent>();
  let duplicates = 0;
  let bytesBefore = 0;

  for (const [index, file] of files.entries()) {
    const probed = sizes[index];
    if (probed !== undefined && !probed.ok) {
      keep([probed.problem]);
      continue;
    }
    const name = file === '-' ? STDIN_NAME : file;
    const counter = countingStream((bytes) => progress.update(bytesBefore + bytes, events.length));
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
        if (event.id !== undefined) {
          // A retried line: identical → skipped (the store would skip it too); different → an error.
          const key = `${event.customerId}\u0000${event.id}`;
          const earlier = byId.get(key);
          if (earlier !== undefined) {
            if (samePayload(earlier, event)) duplicates++;
            else keep([idConflict(event, earlier)]);
            continue;
          }
          byId.set(key, event);
        }
        events.push(event);
      }
    } catch (error) {
      keep([new ValidationError({ file: name, path: '', rule: 'unreadable', message: `cannot read: ${(error as Error).message}` })]);
    } finally {
      if (file !== '-') source.destroy();
    }
    bytesBefore += probed?.ok === true ? probed.size : 0;
    progress.update(bytesBefore, events.length);
  }
  progress.stop();

  // Lifecycle rules need each stream in `at` order, so they are checked once everything is read.
  const lifecycle = lifecycleErrors(events);
  keep(lifecycle);
  return { events, problems: found.problems, problemCount: found.count, duplicates };
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
