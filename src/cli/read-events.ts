import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ValidationError } from '../errors.js';
import type { ValidEvent } from '../events/event.js';
import { parseLine, stripBom, type ReadOptions } from '../events/jsonl.js';
import type { ProblemList } from './problem-list.js';
import { forEachLine, Utf16InputError } from './lines.js';
import type { Progress } from './progress.js';

/** The name stdin goes by in messages (`<stdin>:3: ...`). */
export const STDIN_NAME = '<stdin>';

/**
 * Every event line of JSONL files (`-` is stdin), in file then line order, handed to `onLine`
 * with its file's name and its line number: blank lines and `//` comments are left out (as
 * `parseLine` leaves them out), the first line's byte order mark is removed, and a file that
 * cannot be read becomes a problem in `problems`. Nothing is parsed or kept here. Lines are split
 * a chunk at a time (no promise per line); `onLine` returns whether the line was an event, for the
 * progress bar's count.
 */
export async function forEachEventLine(
  files: readonly string[],
  stdin: Readable,
  progress: Progress,
  problems: ProblemList,
  onLine: (text: string, line: number, file: string) => boolean,
): Promise<void> {
  const sizes = await Promise.all(files.map(async (file) => (file === '-' ? { ok: true as const, size: 0 } : probe(file))));
  progress.start(sizes.reduce((sum, s) => sum + (s.ok ? s.size : 0), 0));
  let read = 0;
  let bytesBefore = 0;

  for (const [index, file] of files.entries()) {
    const probed = sizes[index];
    if (probed !== undefined && !probed.ok) {
      problems.add([probed.problem]);
      continue;
    }
    const name = file === '-' ? STDIN_NAME : file;
    const source = file === '-' ? stdin : createReadStream(file);
    const each = (raw: string, line: number) => {
      // What parseLine skips, skipped here too: the text handed over is the line's trimmed JSON.
      const text = (line === 1 ? stripBom(raw) : raw).trim();
      if (text === '' || text.startsWith('//')) return;
      if (onLine(text, line, name)) read++;
    };
    try {
      await forEachLine(source, each, (bytes) => progress.update(bytesBefore + bytes, read));
    } catch (error) {
      problems.add([
        error instanceof Utf16InputError
          ? new ValidationError({ file: name, line: 1, path: '', rule: 'unreadable', message: error.message })
          : new ValidationError({ file: name, path: '', rule: 'unreadable', message: `cannot read: ${(error as Error).message}` }),
      ]);
    } finally {
      if (file !== '-') source.destroy();
    }
    bytesBefore += probed?.ok === true ? probed.size : 0;
    progress.update(bytesBefore, read);
  }
  progress.stop();
}

/**
 * `forEachEventLine` with every line parsed and checked against the schema: each valid event handed to
 * `onEvent`, in file then line order, every problem added to `problems`.
 */
export async function readEvents(
  files: readonly string[],
  stdin: Readable,
  options: Required<ReadOptions>,
  progress: Progress,
  problems: ProblemList,
  onEvent: (event: ValidEvent) => void,
): Promise<void> {
  await forEachEventLine(files, stdin, progress, problems, (text, line, file) => {
    const result = parseLine(text, line, file, options);
    if (result === undefined) return false;
    if (!result.ok) {
      problems.add(result.errors);
      return false;
    }
    onEvent(result.event);
    return true;
  });
}

/** The total size of the named files (stdin counts 0): how large the input is expected to be. */
export async function inputBytes(files: readonly string[]): Promise<number> {
  const sizes = await Promise.all(files.map(async (file) => (file === '-' ? 0 : stat(file).then((info) => info.size, () => 0))));
  return sizes.reduce((sum, size) => sum + size, 0);
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
