import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where a function of a plugin is defined: ` (at /srv/crm/plugins/no-reply.js:6:11)`, for an error
 * about the function that no stack frame places (evolve returned a value: the call is over when the
 * engine sees it). Found by the function's own source text (`Function.prototype.toString`, the very
 * characters it was parsed from) in the module's file, where it occurs once; empty when it does
 * not (a function made in another file, or built by a call), or the module is not a file.
 */
export function functionSite(fn: unknown, moduleUrl: string): string {
  if (typeof fn !== 'function' || !moduleUrl.startsWith('file:')) return '';
  let file: string;
  let text: string;
  try {
    file = fileURLToPath(moduleUrl);
    text = readFileSync(file, 'utf8');
  } catch {
    return '';
  }
  const source = Function.prototype.toString.call(fn);
  const at = text.indexOf(source);
  if (at < 0 || text.indexOf(source, at + 1) >= 0) return '';
  const before = text.slice(0, at).split(/\r\n|[\n\r\u2028\u2029]/);
  return ` (at ${file}:${before.length}:${(before.at(-1) ?? '').length + 1})`;
}
