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
 * device itself. A file that cannot be written is reported like any other problem (exit 1).
 */
export async function emit(io: CliIo, out: string | undefined, text: string | Iterable<string | Uint8Array>): Promise<number> {
  if (out === undefined) {
    await pump(text, (piece) => write(io.stdout, piece));
    return exitCodes.ok;
  }
  const special = await isSpecialFile(out);
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
    // The temporary name is an implementation detail: the user asked for `out`.
    const problem = new ValidationError({ file: out, path: '', rule: 'unwritable', message: `cannot write: ${(error as Error).message.replaceAll(temp, out)}` });
    await printProblems(io.stderr, [problem], out);
    return exitCodes.invalid;
  }
  return exitCodes.ok;
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

/** An existing target that is not a regular file (a device, a FIFO, a socket). */
async function isSpecialFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    return !info.isFile() && !info.isDirectory();
  } catch {
    return false;
  }
}
