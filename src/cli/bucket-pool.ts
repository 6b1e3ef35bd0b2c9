import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ValidationProblem } from '../errors.js';
import type { Totals } from './bucket-work.js';
import type { Format } from './replay-records.js';

/**
 * Pass 2 of `heed replay` / `heed validate` on several cores: the spilled buckets are independent
 * (each holds whole customers), so worker threads (bucket-worker.ts) check and evaluate them in
 * parallel, each writing its sorted runs to the spill directory, while this thread takes their
 * results in bucket order. The output is merged from the runs as before, so it is the same bytes
 * however many workers ran and in whatever order they finished.
 */

/** What every worker needs to build the CLI's engine and codec. */
export interface WorkerSetup {
  /** The codec's file table (records name their file by number). */
  readonly files: readonly string[];
  readonly configFile?: string;
  /** Output format; absent for `heed validate` (check only). */
  readonly format?: Format;
  readonly color: boolean;
  /** The clock of every evaluation (`--until` or the latest event); absent: nothing to evaluate. */
  readonly end?: number;
  readonly until?: number;
  /** Where runs are written (the spill directory). */
  readonly dir: string;
}

export interface BucketTask {
  readonly index: number;
  readonly path: string;
}

/** A worker's answer for one bucket: plain data (problems as their fields), or why it failed. */
export interface BucketResult {
  readonly index: number;
  readonly problems?: readonly ValidationProblem[];
  readonly customers?: number;
  readonly events?: number;
  /** Present when the bucket was evaluated. */
  readonly totals?: Totals;
  readonly runs?: { readonly findings?: string; readonly summaries?: string };
  /** The engine disagreed with the checks (a bug): its problems. */
  readonly foldProblems?: readonly ValidationProblem[];
  /** An unexpected error in the worker (its stack). */
  readonly failure?: string;
}

/** More threads than this add memory (a bucket in flight each) faster than speed. */
const MAX_WORKERS = 4;
const WORKER_FILE = new URL('./bucket-worker.js', import.meta.url);

/**
 * Worker threads pass 2 may use: `HEED_REPLAY_WORKERS` if set (1 = none), else one per core up to
 * MAX_WORKERS. Only the built CLI has a worker script (dist/cli/bucket-worker.js); run from
 * source, pass 2 stays in this thread.
 */
export function bucketWorkers(env: NodeJS.ProcessEnv = process.env): number {
  if (!existsSync(fileURLToPath(WORKER_FILE))) return 1;
  const value = env['HEED_REPLAY_WORKERS'];
  if (value !== undefined && /^\d+$/.test(value)) return Math.max(1, Math.min(Number(value), MAX_WORKERS));
  return Math.min(availableParallelism(), MAX_WORKERS);
}

/** Check and evaluate every bucket file in `count` workers; the results in bucket order. */
export async function* inWorkers(paths: readonly string[], setup: WorkerSetup, count: number): AsyncGenerator<BucketResult> {
  const workers = Array.from({ length: Math.max(1, Math.min(count, paths.length)) }, () => new Worker(WORKER_FILE, { workerData: setup }));
  const results = new Map<number, BucketResult>();
  let handedOut = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const give = (worker: Worker): void => {
    if (handedOut >= paths.length) return;
    const index = handedOut++;
    worker.postMessage({ index, path: paths[index] as string } satisfies BucketTask);
  };
  let finished = false;
  for (const worker of workers) {
    worker.on('message', (result: BucketResult) => {
      results.set(result.index, result);
      give(worker);
      notify();
    });
    worker.on('error', (error) => {
      failure ??= error;
      notify();
    });
    worker.on('exit', (code) => {
      if (!finished) failure ??= new Error(`a heed replay worker stopped (exit code ${code})`);
      notify();
    });
    give(worker);
  }
  try {
    for (let index = 0; index < paths.length; index++) {
      let result = results.get(index);
      while (result === undefined) {
        if (failure !== undefined) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        result = results.get(index);
      }
      results.delete(index);
      if (result.failure !== undefined) throw new Error(`a heed replay worker failed: ${result.failure}`);
      yield result;
    }
  } finally {
    finished = true;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
