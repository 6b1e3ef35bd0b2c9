import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What to do about a plugin that failed to import for one of the two reasons a new project meets
 * first, appended to Node's own words (which say what, not why): ES module syntax in a .js file
 * that the nearest package.json makes CommonJS (`npm init -y` writes "type": "commonjs"), and a
 * TypeScript file, which Node 20 does not import. Empty for any other failure.
 */
export function importHint(error: unknown, url: string): string {
  if (!url.startsWith('file:') || !(error instanceof Error)) return '';
  const file = fileURLToPath(url);
  const extension = extname(file);
  if ((error as { code?: unknown }).code === 'ERR_UNKNOWN_FILE_EXTENSION' && /^\.[mc]?tsx?$/.test(extension)) {
    return ' (a plugin is a JavaScript module: compile it, with tsc for one, and name the .js file)';
  }
  if (error instanceof SyntaxError && extension === '.js' && /Cannot use import statement outside a module|Unexpected token 'export'/.test(error.message)) {
    const manifest = nearestPackageJson(dirname(file));
    if (manifest === undefined) return ' (a .js file is CommonJS unless a package.json above it says "type": "module": add one, or name the plugin .mjs)';
    // Under "type": "module" the file was read as a module: the syntax error is another one.
    return isModule(manifest) ? '' : ` (${manifest} makes .js files CommonJS: give it "type": "module", or name the plugin .mjs)`;
  }
  return '';
}

/** The package.json that decides how Node reads a .js file in `dir`: the nearest one up the tree. */
function nearestPackageJson(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(at) === at) return undefined;
  }
}

/** Whether a package.json says "type": "module" (an unreadable one counts as not: Node would fail on it too). */
function isModule(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
  } catch {
    return false;
  }
}
