import { resolve } from 'node:path';

/**
 * What makes two input file names one file: the path they resolve to (`a.jsonl` and `./a.jsonl`
 * are one file, given twice). `-` (stdin on the command line) is itself, not a file named `-`.
 * The CLI's problem summary counts files by it and a lifecycle problem says a file was given
 * twice by it, so the two never disagree about what "the same file" is.
 */
export function fileKey(name: string): string {
  return name === '-' ? name : resolve(name);
}
