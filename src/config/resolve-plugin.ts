import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type PluginResolution = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

/** The package.json `exports` conditions of an `import` from Node, in no particular order (the package's order decides). */
const IMPORT_CONDITIONS = new Set(['node', 'import', 'default']);

/**
 * Where a plugin module specifier points, found from `fromDir` as Node's `import` would find it
 * from a module in that directory:
 * - `./x.js`, `../x.js`, an absolute path or a `file:` URL: that file, extension included
 *   (`import` never guesses extensions or opens a directory's index);
 * - a package name, optionally with a subpath (`heed-plugin-x`, `@acme/heed-rules/no-reply`): the
 *   package in the nearest `node_modules` from `fromDir` up, entry from its package.json
 *   `exports` (conditions `node`, `import`, `default`) or, without `exports`, `main`;
 * - a Node built-in (`node:fs`): itself (it will export no policies, which the loader reports).
 * The answer is a URL for `import()`, or why there is none.
 */
export function resolvePlugin(specifier: string, fromDir: string): PluginResolution {
  if (isBuiltin(specifier)) return { ok: true, url: specifier.startsWith('node:') ? specifier : `node:${specifier}` };
  if (specifier.startsWith('file:')) {
    let path: string;
    try {
      path = fileURLToPath(specifier);
    } catch (error) {
      return { ok: false, reason: `not a file URL (${(error as Error).message})` };
    }
    return moduleFile(path);
  }
  if (isPath(specifier)) return moduleFile(resolve(fromDir, specifier));
  return packageEntry(specifier, fromDir);
}

function isPath(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../') || isAbsolute(specifier);
}

function moduleFile(path: string): PluginResolution {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return { ok: false, reason: `no such file: ${path}` };
  if (stat.isDirectory()) return { ok: false, reason: `${path} is a directory; name the module file itself (import does not open a directory's index)` };
  return { ok: true, url: pathToFileURL(path).href };
}

function packageEntry(specifier: string, fromDir: string): PluginResolution {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  if (name === '' || (nameLength === 2 && parts.length < 2)) return { ok: false, reason: `"${specifier}" is not a package name or a path (a path starts with ./, ../ or /)` };
  const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join('/')}` : '.';
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const packageDir = join(dir, 'node_modules', name);
    const manifest = join(packageDir, 'package.json');
    if (existsSync(manifest)) {
      let exportsField: unknown;
      try {
        exportsField = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown }).exports;
      } catch (error) {
        return { ok: false, reason: `cannot read ${manifest}: ${(error as Error).message}` };
      }
      if (exportsField !== undefined) {
        const target = exportTarget(exportsField, subpath);
        // A pattern export ("./*") or a target only for `require`: Node's CommonJS resolver below knows those.
        if (target !== undefined) return moduleFile(resolve(packageDir, target));
      }
      break;
    }
    if (dirname(dir) === dir) break;
  }
  // No `exports` (the package's `main`), a pattern export, a package's reference to itself, NODE_PATH.
  try {
    return moduleFile(createRequire(join(resolve(fromDir), 'heed-config.js')).resolve(specifier));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return { ok: false, reason: `package "${name}" does not export "${subpath}" (its package.json "exports")` };
    // `plugins/x.js` is a package name to import: say so when a file of that name is right there.
    const hint = existsSync(resolve(fromDir, specifier)) ? `; for the file ${resolve(fromDir, specifier)} write "./${specifier}"` : ' (install it, or give a path starting with ./)';
    return { ok: false, reason: `no package "${name}" in node_modules from ${resolve(fromDir)} up${hint}` };
  }
}

/** The `exports` target of `subpath` for an import, or undefined (no entry, or only for other conditions). */
function exportTarget(exportsField: unknown, subpath: string): string | undefined {
  const isSubpathMap =
    typeof exportsField === 'object' && exportsField !== null && !Array.isArray(exportsField) && Object.keys(exportsField).some((k) => k.startsWith('.'));
  const entry = isSubpathMap ? (exportsField as Record<string, unknown>)[subpath] : subpath === '.' ? exportsField : undefined;
  return conditionalTarget(entry);
}

function conditionalTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value.startsWith('./') ? value : undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const target = conditionalTarget(item);
      if (target !== undefined) return target;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    // The first condition in the package's own order that applies (Node's rule).
    for (const [condition, target] of Object.entries(value)) {
      if (!IMPORT_CONDITIONS.has(condition)) continue;
      const found = conditionalTarget(target);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
