import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ValidationProblem } from '../errors.js';
import type { Totals } from './bucket-work.js';
import type { ConfigSource } from './journeys.js';
import type { HandedProblems } from './problem-list.js';
import type { Format } from './replay-records.js';

/**
 * Pass 2 of `heed replay` / `heed validate` on several cores: the spilled buckets are independent
 * (each holds whole customers), so worker threads (bucket-worker.ts) check and evaluate them in
 * parallel, each writing its sorted runs to the spill directory, while this thread takes their
 * results in bucket order. The output is merged from the runs as before, so it is the same bytes
 * however many workers ran and in whatever order they finished.
 */

/** What every worker needs to rebuild the CLI's engine, codec and problem list. */
export interface WorkerSetup {
  /** The input files as given (`-` for stdin): the problems' file order. */
  readonly inputs: readonly string[];
  /** The codec's file table (records name their file by number). */
  readonly files: readonly string[];
  /** The configuration file's text, as the CLI read it (never read again). */
  readonly config?: ConfigSource;
  /** The plugin modules' resolved URLs, in the CLI's order: their policies follow the built-in ones. */
  readonly plugins: readonly string[];
  /** Output format and colour; absent for `heed validate` (check only). */
  readonly output?: { readonly format: Format; readonly color: boolean };
  /** The clock of every evaluation (`--until` or the latest event); absent: nothing to evaluate. */
  readonly end?: number;
  readonly until?: number;
  /** Where runs are written (the spill directory). */
  readonly dir: string;
}

export interface BucketTask {
  readonly index: number;
  readonly path: string;
  /** False once a bucket had a problem: nothing will be written, so only checking is left. */
  readonly evaluate: boolean;
}

/** A worker's answer for one bucket: plain data (problems as their fields), or why it failed. */
export type BucketResult =
  | {
      readonly index: number;
      readonly ok: true;
      /** The bucket's problems: those held, the runs the worker spilled the rest to, and how many in all. */
      readonly problems: HandedProblems;
      readonly customers: number;
      readonly events: number;
      /** Present when the bucket was evaluated. */
      readonly evaluated?: { readonly totals: Totals; readonly findings?: string; readonly summaries?: string };
      /** The engine disagreed with the checks (a bug): its problems. */
      readonly foldProblems?: readonly ValidationProblem[];
      /**
       * A policy threw: the failure of the bucket's customer first by id (`GroupFolder.failure`), its
       * message ending with where a plugin's policy threw (`failureSite`), as the CLI's thread says it.
       */
      readonly policyFailure?: { readonly customerId: string; readonly message: string };
    }
  | { readonly index: number; readonly ok: false; readonly failure: string };

/** More threads than this add memory (a bucket in flight each) faster than speed. */
const MAX_WORKERS = 4;
/**
 * A worker's young generation (V8's default is larger): each worker's new objects are short-lived,
 * and a smaller nursery holds memory down at little cost (1M events in two workers: peak 347 MB
 * with 16 MB, 385 MB with 32 MB, the same time within noise).
 */
const WORKER_YOUNG_MB = 16;
/** Below this much input, starting workers costs more than they save. */
export const WORKERS_FROM_BYTES = 32 << 20;
// Only the built CLI has a worker script (dist/cli/bucket-worker.js); run from source (tests of
// the `run` seam), pass 2 stays in the CLI's thread.
const WORKER_FILE = new URL('./bucket-worker.js', import.meta.url);

/**
 * Worker threads pass 2 may use, and whether that was asked for: `HEED_REPLAY_WORKERS` (1 = none,
 * at most MAX_WORKERS) if set, else one per core up to MAX_WORKERS for inputs of WORKERS_FROM_BYTES
 * or more.
 */
export function bucketWorkers(
  env: NodeJS.ProcessEnv = process.env,
  built: boolean = existsSync(fileURLToPath(WORKER_FILE)),
  cores: number = availableParallelism(),
): { readonly count: number; readonly explicit: boolean } {
  if (!built) return { count: 1, explicit: false };
  const value = env['HEED_REPLAY_WORKERS'];
  if (value !== undefined && /^\d+$/.test(value)) return { count: Math.max(1, Math.min(Number(value), MAX_WORKERS)), explicit: true };
  return { count: Math.min(cores, MAX_WORKERS), explicit: false };
}

/** Check and evaluate every bucket file in `count` workers; the results in bucket order. */
export async function* inWorkers(paths: readonly string[], setup: WorkerSetup, count: number): AsyncGenerator<BucketResult & { ok: true }> {
  const workers: Worker[] = [];
  const results = new Map<number, BucketResult>();
  let handedOut = 0;
  let evaluate = true;
  let failure: Error | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const fail = (error: Error): void => {
    failure ??= error;
    notify();
  };
  const give = (worker: Worker): void => {
    if (handedOut >= paths.length) return;
    const index = handedOut++;
    worker.postMessage({ index, path: paths[index] as string, evaluate } satisfies BucketTask);
  };
  try {
    for (let n = Math.max(1, Math.min(count, paths.length)); n > 0; n--) {
      const worker = new Worker(WORKER_FILE, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
      workers.push(worker);
      worker.on('message', (result: BucketResult) => {
        results.set(result.index, result);
        if (result.ok && (result.problems.count > 0 || result.foldProblems !== undefined)) evaluate = false;
        give(worker);
        notify();
      });
      worker.on('messageerror', (error) => fail(error));
      worker.on('error', (error) => fail(error));
      worker.on('exit', (code) => {
        if (!finished) fail(new Error(`a worker thread stopped early (exit code ${code})`));
      });
      give(worker);
    }
    for (let index = 0; index < paths.length; index++) {
      let result = results.get(index);
      while (result === undefined) {
        if (failure !== undefined) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        result = results.get(index);
      }
      results.delete(index);
      if (!result.ok) throw new Error(`a worker thread failed on bucket ${index + 1} of ${paths.length}: ${result.failure}`);
      yield result;
    }
  } finally {
    finished = true;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
