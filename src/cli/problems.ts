import type { Writable } from 'node:stream';
import type { ValidationError } from '../errors.js';
import { plural } from '../policies/wording.js';
import { ByteBatch } from './byte-batch.js';
import { write } from './io.js';
import { ProblemList } from './problem-list.js';
import { printable } from './printable.js';

/** Bytes of problem lines gathered per write. */
const BATCH_BYTES = 1 << 16;

/**
 * Print every problem as `file:line: path: message` on stderr, in file then line order, then one
 * line saying that nothing was written (CONTRACT §4: every problem listed). A list read from
 * spilled runs is written while it is read, a batch at a time.
 */
export async function printProblems(stderr: Writable, problems: readonly ValidationError[] | ProblemList, what: string): Promise<void> {
  // A problem quotes the input (ids, values): its control characters are written out, not sent to the terminal.
  const list = problems instanceof ProblemList ? problems : undefined;
  const total = list === undefined ? (problems as readonly ValidationError[]).length : list.count;
  const lines = list === undefined ? (problems as readonly ValidationError[]).map((p) => `${printable(p.toString())}\n`) : list.lines();
  const batch = new ByteBatch(BATCH_BYTES);
  for (const line of lines) {
    batch.add(line);
    if (batch.full) await write(stderr, batch.take());
  }
  batch.add(`heed: ${plural(total, 'problem')} in ${what}; nothing was written\n`);
  await write(stderr, batch.take());
}
