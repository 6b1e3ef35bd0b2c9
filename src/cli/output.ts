import { writeFile } from 'node:fs/promises';
import { ValidationError } from '../errors.js';
import { exitCodes, write, type CliIo } from './io.js';
import { printProblems } from './problems.js';

/**
 * Write a finished result to `--out` (whole, in one go, only once everything succeeded) or to
 * stdout. A file that cannot be written is reported like any other problem (exit 1).
 */
export async function emit(io: CliIo, out: string | undefined, text: string): Promise<number> {
  if (out === undefined) {
    await write(io.stdout, text);
    return exitCodes.ok;
  }
  try {
    await writeFile(out, text, 'utf8');
  } catch (error) {
    const problem = new ValidationError({ file: out, path: '', rule: 'unwritable', message: `cannot write: ${(error as Error).message}` });
    await printProblems(io.stderr, [problem], out);
    return exitCodes.invalid;
  }
  return exitCodes.ok;
}
