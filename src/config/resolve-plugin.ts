import { existsSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve as resolveImport } from 'import-meta-resolve';

export type PluginResolution = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

/**
 * Where a plugin module specifier points, found from `fromDir` exactly as Node's `import` finds it
 * from a module in that directory (Node's own ESM resolution, through `import-meta-resolve`: Node 20
 * has no `import.meta.resolve` with a parent of one's choosing):
 * - `./x.js`, `../x.js`, an absolute path or a `file:` URL: that file, extension included
 *   (`import` never guesses extensions or opens a directory's index);
 * - a package name, optionally with a subpath (`heed-plugin-x`, `@acme/heed-rules/no-reply`): the
 *   package in the nearest `node_modules` from `fromDir` up, entry from its package.json `exports`
 *   (the `import` conditions) or, without `exports`, `main`;
 * - a Node built-in (`node:fs`): itself (it will export no policies, which the loader reports).
 * The answer is a URL for `import()`, or why there is none, in the user's terms.
 */
export function resolvePlugin(specifier: string, fromDir: string): PluginResolution {
  if (isBuiltin(specifier)) return { ok: true, url: specifier.startsWith('node:') ? specifier : `node:${specifier}` };
  const base = resolve(fromDir);
  const path = isPath(specifier) ? resolve(base, specifier) : undefined;
  let url: string;
  try {
    url = resolveImport(specifier, pathToFileURL(join(base, 'heed.config.json')).href);
  } catch (error) {
    return { ok: false, reason: reason(error, specifier, base, path) };
  }
  // Node's resolver names a relative file without looking at it; `import()` would then fail late.
  if (url.startsWith('file:')) {
    const target = fileURLToPath(url);
    const stat = statSync(target, { throwIfNoEntry: false });
    if (stat === undefined) return { ok: false, reason: `no such file: ${target}${besideHint(target, specifier)}` };
    if (stat.isDirectory()) return { ok: false, reason: `${target} is a directory; name the module file itself (import does not open a directory's index)` };
  }
  return { ok: true, url };
}

const JS_EXTENSIONS = ['.js', '.mjs', '.cjs'];
const TS_EXTENSIONS: Readonly<Record<string, string>> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts' };

/**
 * What is there instead of a missing plugin file, for the two misses a new plugin's author makes:
 * the name without its extension (`./dist/no-reply`, as TypeScript lets one import), where a
 * `.js` file of that name is there; and the `.js` name of a TypeScript source that was never
 * compiled (`./src/no-reply.js`, as a TypeScript import names `./src/no-reply.ts`).
 */
function besideFile(file: string): { readonly file: string; readonly typescript: boolean } | undefined {
  const extension = extname(file);
  if (!JS_EXTENSIONS.includes(extension)) {
    const found = JS_EXTENSIONS.find((e) => isFile(`${file}${e}`));
    if (found !== undefined) return { file: `${file}${found}`, typescript: false };
  }
  const ts = TS_EXTENSIONS[extension];
  const source = ts === undefined ? undefined : `${file.slice(0, -extension.length)}${ts}`;
  return source !== undefined && isFile(source) ? { file: source, typescript: true } : undefined;
}

const COMPILE = 'a plugin is a JavaScript module: compile it, with tsc for one, and name the .js file';

/** `besideFile` said after "no such file: …" (`specifier`: the missing file as written). */
function besideHint(file: string, specifier: string): string {
  const beside = besideFile(file);
  if (beside === undefined) return '';
  if (beside.typescript) return ` (${beside.file} is there: ${COMPILE})`;
  return ` (${beside.file} is there: write "${specifier}${extname(beside.file)}"; import does not guess an extension)`;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}

function isPath(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/');
}

/** Node's resolution errors said for a configuration's author. */
function reason(error: unknown, specifier: string, base: string, path: string | undefined): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const file = path ?? (specifier.startsWith('file:') ? safeFilePath(specifier) : undefined);
  if (code === 'ERR_UNSUPPORTED_DIR_IMPORT' && file !== undefined) {
    return `${file} is a directory; name the module file itself (import does not open a directory's index)`;
  }
  if (code === 'ERR_MODULE_NOT_FOUND' && file !== undefined) return `no such file: ${file}${besideHint(file, specifier)}`;
  const name = packageName(specifier);
  if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return `package "${name}" does not export "${subpathOf(specifier, name)}" for import (its package.json "exports")`;
  if (code === 'ERR_MODULE_NOT_FOUND' && message.startsWith(`Cannot find package '${name}'`)) {
    // `plugins/x.js` is a package name to import: say so when a file of that name is right there.
    const asFile = resolve(base, specifier);
    const beside = existsSync(asFile) ? undefined : besideFile(asFile);
    const hint = existsSync(asFile)
      ? `; for the file ${asFile} write "./${specifier}"`
      : beside === undefined
        ? ' (install it, or give a path starting with ./)'
        : beside.typescript
          ? `; ${beside.file} is there: ${COMPILE}`
          : `; for the file ${beside.file} write "./${specifier}${extname(beside.file)}"`;
    return `no package "${name}" in node_modules from ${base} up${hint}`;
  }
  return message;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

function subpathOf(specifier: string, name: string): string {
  return specifier === name ? '.' : `.${specifier.slice(name.length)}`;
}

function safeFilePath(url: string): string | undefined {
  try {
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}
