import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * vitest globalSetup: the CLI and package tests run the BUILT files (dist/), as users do. `npm
 * test` builds first; a targeted `npx vitest run test/cli` builds here, once, only when a source
 * is newer than the build, so a stale dist/ is never what gets tested.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));

export default function setup(): void {
  const outputs = ['dist/cli/main.js', 'dist/index.js', 'dist/index.cjs'].map((f) => join(root, f));
  const built = outputs.every(existsSync) ? Math.min(...outputs.map((f) => statSync(f).mtimeMs)) : 0;
  const inputs = [...files(join(root, 'src')), ...['tsup.config.ts', 'package.json'].map((f) => join(root, f))];
  if (inputs.some((f) => statSync(f).mtimeMs > built)) {
    execFileSync(join(root, 'node_modules/.bin/tsup'), ['--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [path];
  });
}
