import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Spill directories not yet removed: what an interrupted process still has to clean up. */
const live = new Set<string>();

/**
 * A fresh private directory under the system's temporary directory for one replay's spill files.
 * The caller removes it (`removeSpillDir`, in a `finally`); the binary also removes any left on
 * SIGINT, SIGTERM or an early exit (`removeSpillDirsOnExit`).
 */
export function makeSpillDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heed-replay-'));
  live.add(dir);
  return dir;
}

export function removeSpillDir(dir: string): void {
  live.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** How many spill directories exist now (tests check that none is left behind). */
export function liveSpillDirs(): number {
  return live.size;
}

/** The spill directory of one command: made on first use, removed by `remove` (call it in a finally). */
export class SpillSpace {
  #dir: string | undefined;

  get dir(): string {
    return (this.#dir ??= makeSpillDir());
  }

  remove(): void {
    if (this.#dir !== undefined) removeSpillDir(this.#dir);
    this.#dir = undefined;
  }
}

function removeAll(): void {
  for (const dir of live) removeSpillDir(dir);
}

/**
 * For the binary only: remove leftover spill directories when the process exits (an `exit` call
 * skips `finally` blocks) or is interrupted, then die of the same signal as it would have.
 */
export function removeSpillDirsOnExit(): void {
  process.on('exit', removeAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      removeAll();
      process.kill(process.pid, signal);
    });
  }
}
