import type { Writable } from 'node:stream';
import type { ValidationError } from '../errors.js';
import { plural } from '../policies/wording.js';
import { write } from './io.js';
import { printable } from './printable.js';

/** How many problems are printed before the rest are only counted: enough to fix a file in one pass. */
export const PROBLEM_CAP = 50;

/**
 * Print every problem as `file:line: path: message` on stderr (up to the cap, then a count of the
 * rest; `total` counts problems not kept in memory), then one line saying that nothing was written.
 */
export async function printProblems(stderr: Writable, problems: readonly ValidationError[], what: string, total = problems.length): Promise<void> {
  // A problem quotes the input (ids, values): its control characters are written out, not sent to the terminal.
  const shown = problems.slice(0, PROBLEM_CAP).map((p) => `${printable(p.toString())}\n`);
  const rest = total - shown.length;
  const more = rest > 0 ? [`… and ${plural(rest, 'more problem')}\n`] : [];
  const summary = `heed: ${plural(total, 'problem')} in ${what}; nothing was written\n`;
  await write(stderr, [...shown, ...more, summary].join(''));
}
