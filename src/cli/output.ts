import { randomUUID } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ValidationError } from '../errors.js';
import { ByteBatch } from './byte-batch.js';
import { exitCodes, write, type CliIo } from './io.js';
import { printProblems } from './problems.js';

/** Pieces are gathered up to this many bytes per write: few system calls, little held. */
const BUFFER_BYTES = 1 << 17;

/**
 * Write a finished result to `--out` or to stdout, as one text or as pieces (text, or UTF-8 bytes)
 * produced while it is written (a large JSON output is never held whole). A regular file is written whole or not at
 * all: the text goes to a temporary file beside the target, which is renamed over it only once
 * every byte is on disk, so a failure partway (disk full, file size limit) leaves an existing
 * target as it was and no stray file behind. A target that exists and is not a regular file
 * (`/dev/null`, a FIFO, `/dev/stdout`) is written in place: renaming over it would replace the
 * device itself. A directory is refused before anything is written. A file that cannot be
 * written is reported like any other problem (exit 1).
 */
export async function emit(io: CliIo, out: string | undefined, text: string | Iterable<string | Uint8Array>): Promise<number> {
  if (out === undefined) {
    await pump(text, (piece) => write(io.stdout, piece));
    return exitCodes.ok;
  }
  const kind = await fileKind(out);
  // Checked before writing anything: the rename would fail only after the whole output was made.
  if (kind === 'directory') return unwritable(io, out, 'it is a directory');
  const special = kind === 'special';
  // Same directory as the target, so the rename stays on one file system and is atomic.
  const temp = special ? out : join(dirname(out), `.${basename(out)}.${randomUUID()}.tmp`);
  try {
    const file = await open(temp, special ? 'w' : 'wx');
    try {
      // writeFile, unlike write, goes on after a short write, so a failure partway is an error.
      await pump(text, (piece) => file.writeFile(piece, 'utf8'));
    } finally {
      await file.close();
    }
    if (!special) await rename(temp, out);
  } catch (error) {
    if (!special) await rm(temp, { force: true }).catch(() => undefined);
    return unwritable(io, out, reason(error as NodeJS.ErrnoException, temp, out));
  }
  return exitCodes.ok;
}

/**
 * Refuse an `--out` that is a directory before any work is done (a long replay would otherwise
 * run to its end first): the exit code to return, or undefined when `out` may be written.
 * `emit` checks again, as the path may change meanwhile.
 */
export async function refuseDirectory(io: CliIo, out: string | undefined): Promise<number | undefined> {
  if (out === undefined || (await fileKind(out)) !== 'directory') return undefined;
  return unwritable(io, out, 'it is a directory');
}

/** Report `out` as a problem (`<out>: cannot write: <why>`, exit 1), like any other invalid input. */
async function unwritable(io: CliIo, out: string, why: string): Promise<number> {
  const problem = new ValidationError({ file: out, path: '', rule: 'unwritable', message: `cannot write: ${why}` });
  await printProblems(io.stderr, [problem], out);
  return exitCodes.invalid;
}

/**
 * Why writing failed, about `out`: the temporary name is an implementation detail, and the system's
 * message for a failed rename names both paths ("rename 'a' -> 'b'"), which read as one path
 * renamed onto itself once the temporary name is replaced.
 */
function reason(error: NodeJS.ErrnoException, temp: string, out: string): string {
  if (error.code === 'EISDIR') return 'it is a directory'; // made a directory after the check above
  return error.message.replace(`, rename '${temp}' -> '${out}'`, '').replaceAll(temp, out);
}

/** Feed the pieces to `sink` in buffers of about BUFFER_BYTES, each written before the next is built. */
async function pump(text: string | Iterable<string | Uint8Array>, sink: (piece: string | Uint8Array) => Promise<void>): Promise<void> {
  if (typeof text === 'string') return sink(text);
  const batch = new ByteBatch(BUFFER_BYTES);
  for (const piece of text) {
    batch.add(piece);
    if (batch.full) await sink(batch.take());
  }
  if (!batch.empty) await sink(batch.take());
}

/**
 * What is at `path`: nothing (or nothing readable: the open reports it), a regular file, a
 * directory, or something else (a device, a FIFO, a socket).
 */
async function fileKind(path: string): Promise<'none' | 'file' | 'directory' | 'special'> {
  try {
    const info = await stat(path);
    return info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'special';
  } catch {
    return 'none';
  }
}
