import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/index.js';
import { root } from '../cli/helpers.js';

/**
 * The README's main job, `npm run examples`, run exactly as npm runs it (the script through sh,
 * the built binary over every example journey); and every script in examples/ is exercised by a
 * test.
 */
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const script = pkg.scripts['examples'] ?? '';
const journeyFiles = readdirSync(join(root, 'examples/journeys')).filter((f) => f.endsWith('.jsonl'));
const sh = (command: string) => spawnSync('sh', ['-c', command], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: undefined } });

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('npm run examples', () => {
  it('replays every example journey with the built heed binary and the example calendar', () => {
    expect(script).toBe('node dist/cli/main.js replay examples/journeys/*.jsonl --config examples/heed.config.json');
  });

  it('exits 0 and prints findings for every customer of every journey', () => {
    const table = sh(script);
    expect(table.status).toBe(0);
    expect(table.stderr).toBe('');
    const json = sh(`${script} --format json`);
    expect(json.status).toBe(0);
    const snapshot = JSON.parse(json.stdout) as { customers: number; findings: Finding[]; summaries: Record<string, unknown> };
    const customers = new Set(
      journeyFiles.flatMap((file) =>
        readFileSync(join(root, 'examples/journeys', file), 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => (JSON.parse(l) as { customerId: string }).customerId),
      ),
    );
    expect(Object.keys(snapshot.summaries)).toEqual([...customers].sort());
    expect(snapshot.findings.length).toBeGreaterThan(0);
    for (const customer of customers) {
      expect(snapshot.findings.some((f) => f.customerId === customer), `findings for ${customer}`).toBe(true);
      expect(table.stdout).toMatch(new RegExp(`^── ${customer} ─`, 'm'));
    }
  });

  it('is documented: examples/README.md describes every journey file', () => {
    const readme = readFileSync(join(root, 'examples/README.md'), 'utf8');
    for (const file of journeyFiles) expect(readme, file).toContain(`journeys/${file}`);
  });
});

describe('example scripts', () => {
  const scripts = walk(join(root, 'examples'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => relative(root, f));
  const tests = [...walk(join(root, 'test')), ...walk(join(root, 'examples'))].filter((f) => f.endsWith('.test.ts')).map((f) => readFileSync(f, 'utf8'));

  it.each(scripts)('%s is imported by a test, so it runs in the suite', (file) => {
    const name = file.replace(/^.*\//, '').replace(/\.ts$/, '');
    expect(tests.some((text) => new RegExp(`from '[^']*${name}(\\.js|\\.ts)?'`).test(text))).toBe(true);
  });
});
