import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * What `npm pack` puts in the tarball users install (npm test builds first): everything the
 * package.json points at, the license its "license" field names, and nothing of the repository's
 * own (tests, benchmarks, sources, examples).
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  license: string;
  main: string;
  module: string;
  types: string;
  typesVersions: Record<string, Record<string, string[]>>;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, Record<string, string>>>;
};

/** The tarball's file list (scripts off: `prepare` would rebuild dist/ under the other tests' feet). */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [packed] = JSON.parse(out) as { files: { path: string }[] }[];
  return (packed?.files ?? []).map((f) => f.path);
}

const files = packedFiles();
const relative = (path: string) => path.replace(/^\.\//, '');

describe('the packed package', () => {
  it('holds every file package.json points at: main, module, types, typesVersions, bin and each exports target', () => {
    const targets = [pkg.main, pkg.module, pkg.types, ...Object.values(pkg.bin), ...Object.values(pkg.typesVersions).flatMap((paths) => Object.values(paths).flat())];
    for (const target of Object.values(pkg.exports)) {
      if (typeof target === 'string') targets.push(target);
      else for (const condition of Object.values(target)) targets.push(...Object.values(condition));
    }
    const missing = targets.map(relative).filter((path) => !files.includes(path));
    expect(missing).toEqual([]);
    // The worker threads of a large replay are loaded by path from the CLI, not through exports.
    expect(files).toContain('dist/cli/bucket-worker.js');
  });

  it('ships the text of the license package.json names (MIT asks for its notice in every copy)', () => {
    expect(pkg.license).toBe('MIT');
    expect(files).toContain('LICENSE');
    expect(readFileSync(`${root}LICENSE`, 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) .+\n\nPermission is hereby granted, free of charge/);
  });

  it('ships nothing of the repository\'s own: no tests, benchmarks, sources or examples', () => {
    const unexpected = files.filter((path) => !/^dist\//.test(path) && !['README.md', 'LICENSE', 'package.json'].includes(path));
    expect(unexpected).toEqual([]);
    expect(files.filter((path) => /\.test\.|(^|\/)(test|bench|src|examples)\//.test(path))).toEqual([]);
  });
});
