import { dirname, isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where in a plugin an error was thrown, from its stack: ` (at /srv/crm/plugins/no-reply.js:2:18)`,
 * for a message that otherwise gives Node's words alone ("is not valid JSON") and leaves the
 * plugin's author to guess the line. The frame taken is the first in the plugin's own file, else
 * the first in a file under the plugin's directory (a module it imports), outside `node_modules`
 * (heed's `definePolicy`, zod). Empty when there is none: a stack-less throw, a syntax error (Node
 * 20 puts no frame of the file in its stack), a module that is not a file.
 */
export function throwSite(error: unknown, moduleUrl: string): string {
  if (!(error instanceof Error) || typeof error.stack !== 'string' || !moduleUrl.startsWith('file:')) return '';
  const file = fileURLToPath(moduleUrl);
  const dir = dirname(file);
  const frames = error.stack
    .split('\n')
    .map(frameLocation)
    .filter((frame) => frame !== undefined);
  const own = frames.find((frame) => frame.file === file);
  const near = own ?? frames.find((frame) => isInside(frame.file, dir));
  return near === undefined ? '' : ` (at ${near.file}:${near.line}:${near.column})`;
}

interface Frame {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** `    at f (file:///a/b.js:2:18)` or `    at /a/b.js:2:18`: the file (a path) and position; undefined for other lines. */
function frameLocation(text: string): Frame | undefined {
  const match = /^\s+at (?:.*? \()?(file:\/\/[^)]+?|\/[^)]+?):(\d+):(\d+)\)?$/.exec(text);
  if (match === null) return undefined;
  const [, where = '', line = '', column = ''] = match;
  let file: string;
  try {
    file = where.startsWith('file:') ? fileURLToPath(where) : where;
  } catch {
    return undefined;
  }
  return { file, line: Number(line), column: Number(column) };
}

function isInside(file: string, dir: string): boolean {
  const path = relative(dir, file);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path) && !path.split(sep).includes('node_modules');
}
