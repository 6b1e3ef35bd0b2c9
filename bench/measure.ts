import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every measurement runs in its own child process, so each figure's peak RSS is its own (a
 * process's high-water mark never goes down). The child's peak RSS comes from getrusage inside
 * it (bench/rss-probe.cjs, preloaded through NODE_OPTIONS); its wall time from here.
 */

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
export const ROOT = join(BENCH_DIR, '..');
const PROBE = join(BENCH_DIR, 'rss-probe.cjs');

export interface ProcessResult<T> {
  /** Wall time of the whole process, start to exit (ms). */
  readonly wallMs: number;
  readonly peakRssMb: number;
  /** The JSON the child printed last on stdout, when `json` was asked for. */
  readonly result: T;
}

export interface RunOptions {
  /** Parse the child's last stdout line as JSON. Otherwise stdout goes to /dev/null. */
  readonly json?: boolean;
  readonly env?: Record<string, string>;
}

export async function runProcess<T = undefined>(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult<T>> {
  const dir = await mkdtemp(join(tmpdir(), 'heed-bench-rss-'));
  const rssFile = join(dir, 'rss');
  try {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: ['ignore', options.json === true ? 'pipe' : 'ignore', 'pipe'],
      env: {
        ...process.env,
        ...options.env,
        NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --require ${PROBE}`.trim(),
        BENCH_RSS_FILE: rssFile,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const wallMs = performance.now() - started;
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}\n${stderr.slice(-2000)}`);
    const peakRssMb = Number(await readFile(rssFile, 'utf8')) / 1024;
    const last = stdout.trim().split('\n').at(-1) ?? '';
    const result = (options.json === true ? JSON.parse(last) : undefined) as T;
    return { wallMs, peakRssMb, result };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Run a task of bench/child.ts (TypeScript through tsx) in its own process. */
export function runTask<T>(task: string, args: Record<string, unknown>): Promise<ProcessResult<T>> {
  return runProcess<T>(process.execPath, ['--expose-gc', '--import', 'tsx', join(BENCH_DIR, 'child.ts'), task, JSON.stringify(args)], { json: true });
}

/** Alternate two measurements `reps` times (so drifting machine load hits both) and keep each one's fastest. */
export async function paired<A, B>(
  reps: number,
  a: () => Promise<A>,
  b: () => Promise<B>,
  time: { a: (x: A) => number; b: (x: B) => number },
): Promise<{ a: A; b: B }> {
  let bestA: A | undefined;
  let bestB: B | undefined;
  for (let i = 0; i < reps; i++) {
    const x = await a();
    if (bestA === undefined || time.a(x) < time.a(bestA)) bestA = x;
    const y = await b();
    if (bestB === undefined || time.b(y) < time.b(bestB)) bestB = y;
  }
  if (bestA === undefined || bestB === undefined) throw new Error('reps must be at least 1');
  return { a: bestA, b: bestB };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
