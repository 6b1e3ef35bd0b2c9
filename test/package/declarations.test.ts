import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The built type declarations users get (npm test builds first; a targeted run builds in the
 * global setup): the engine's internals stay out of them. A member of the exported Engine class
 * keyed by an internal symbol is in its declaration, so its name and the symbol's would be public
 * types a user could come to rely on.
 */
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

function declarations(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'cli' ? [] : declarations(path);
    return /\.d\.c?ts$/.test(entry.name) ? [path] : [];
  });
}

describe('the built type declarations', () => {
  const files = declarations(dist);

  it('are there to read: one for each module system of every entry, at least', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it("do not mention the engine's internal record-after-read entry (replay's pre-pass), nor what only it takes", () => {
    const mentions = files.flatMap((path) => {
      const text = readFileSync(path, 'utf8');
      return ['RECORD_AFTER_READ', 'recordAfterRead', 'PlannedRead'].filter((name) => text.includes(name)).map((name) => `${path.slice(dist.length)}: ${name}`);
    });
    expect(mentions).toEqual([]);
  });
});
