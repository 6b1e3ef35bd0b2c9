import { randomUUID } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ValidationError } from '../errors.js';
import { exitCodes, write, type CliIo } from './io.js';
import { printProblems } from './problems.js';

/**
 * Write a finished result to `--out` or to stdout. A regular file is written whole or not at all:
 * the text goes to a temporary file beside the target, which is renamed over it only once every
 * byte is on disk, so a failure partway (disk full, file size limit) leaves an existing target as
 * it was and no stray file behind. A target that exists and is not a regular file (`/dev/null`, a
 * FIFO, `/dev/stdout`) is written in place: renaming over it would replace the device itself. A
 * file that cannot be written is reported like any other problem (exit 1).
 */
export async function emit(io: CliIo, out: string | undefined, text: string): Promise<number> {
  if (out === undefined) {
    await write(io.stdout, text);
    return exitCodes.ok;
  }
  const special = await isSpecialFile(out);
  // Same directory as the target, so the rename stays on one file system and is atomic.
  const temp = special ? out : join(dirname(out), `.${basename(out)}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: special ? 'w' : 'wx' });
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

/** An existing target that is not a regular file (a device, a FIFO, a socket). */
async function isSpecialFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    return !info.isFile() && !info.isDirectory();
  } catch {
    return false;
  }
}
