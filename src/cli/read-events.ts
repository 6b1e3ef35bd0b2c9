import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ValidationError } from '../errors.js';
import type { ValidEvent } from '../events/event.js';
import { parseLine, type ReadOptions } from '../events/jsonl.js';
import type { FirstProblems } from './first-problems.js';
import { forEachLine } from './lines.js';
import type { Progress } from './progress.js';

/** The name stdin goes by in messages (`<stdin>:3: ...`). */
export const STDIN_NAME = '<stdin>';

/** What the read pass learned besides the events it handed over. */
export interface ReadSummary {
  /** Valid events read (before identical retries are dropped). */
  readonly events: number;
  /** The latest `time` of any valid event: the default `--until`. */
  readonly latest: number | undefined;
}

/**
 * The first pass over JSONL files (`-` is stdin): every line parsed and checked against the
 * schema, each valid event handed to `onEvent` in file then line order (with its line's text),
 * every problem added to `problems`. Nothing is kept here: the caller decides where events go.
 * Lines are split and parsed a chunk at a time (no promise per line).
 */
export async function readEvents(
  files: readonly string[],
  stdin: Readable,
  options: Required<ReadOptions>,
  progress: Progress,
  problems: FirstProblems,
  onEvent: (event: ValidEvent, text: string) => void,
): Promise<ReadSummary> {
  const sizes = await Promise.all(files.map(async (file) => (file === '-' ? { ok: true as const, size: 0 } : probe(file))));
  progress.start(sizes.reduce((sum, s) => sum + (s.ok ? s.size : 0), 0));
  let read = 0;
  let latest: number | undefined;
  let bytesBefore = 0;

  for (const [index, file] of files.entries()) {
    const probed = sizes[index];
    if (probed !== undefined && !probed.ok) {
      problems.add([probed.problem]);
      continue;
    }
    const name = file === '-' ? STDIN_NAME : file;
    const source = file === '-' ? stdin : createReadStream(file);
    const onLine = (raw: string, line: number) => {
      const text = line === 1 ? stripBom(raw) : raw;
      const result = parseLine(text, line, name, options);
      if (result === undefined) return;
      if (!result.ok) {
        problems.add(result.errors);
        return;
      }
      const event = result.event;
      if (latest === undefined || event.time > latest) latest = event.time;
      read++;
      onEvent(event, text);
    };
    try {
      await forEachLine(source, onLine, (bytes) => progress.update(bytesBefore + bytes, read));
    } catch (error) {
      problems.add([new ValidationError({ file: name, path: '', rule: 'unreadable', message: `cannot read: ${(error as Error).message}` })]);
    } finally {
      if (file !== '-') source.destroy();
    }
    bytesBefore += probed?.ok === true ? probed.size : 0;
    progress.update(bytesBefore, read);
  }
  progress.stop();
  return { events: read, latest };
}

/** The total size of the named files (stdin counts 0): how large the input is expected to be. */
export async function inputBytes(files: readonly string[]): Promise<number> {
  const sizes = await Promise.all(files.map(async (file) => (file === '-' ? 0 : stat(file).then((info) => info.size, () => 0))));
  return sizes.reduce((sum, size) => sum + size, 0);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
