import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Directories made by `tempDir` in this test file and not yet removed. */
const made = new Set<string>();

/**
 * A fresh directory under the system's temporary directory, removed with everything in it when
 * the test file ends (test/setup/temp-dirs.ts), so test runs leave nothing in /tmp. At the end of
 * the file rather than of each test: it works the same at module level and in concurrent tests.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
}
