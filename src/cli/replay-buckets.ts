import { join } from 'node:path';
import type { Engine } from '../engine/engine.js';
import { ValidationError } from '../errors.js';
import { toIso } from '../time/instant.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import { builtinPolicies } from '../policies/builtin.js';
import { bucketWorkers, inWorkers, type WorkerSetup } from './bucket-pool.js';
import { checkBucket, foldBucket, type Totals } from './bucket-work.js';
import { BUCKET_CHARS, LineBuckets, spillBucketsFromEnv } from './buckets.js';
import { LineCodec } from './line-codec.js';
import { problemsFor } from './input.js';
import { exitCodes, type CliIo } from './io.js';
import { describeFiles, type Loaded } from './journeys.js';
import { mergeRuns } from './merge-runs.js';
import { printProblems } from './problems.js';
import { createProgress } from './progress.js';
import { inputBytes, readLines } from './read-events.js';
import { Latest, routeLine } from './route-line.js';
import type { Format, RecordMaker } from './replay-records.js';
import type { ReplayTotals } from './replay-render.js';
import { memoryRun, RunReader, writeRun, type OutputRecord, type Run } from './runs.js';
import type { SpillSpace } from './spill-dir.js';

export interface BucketedReplay {
  /** Distinct customers and events (identical retries dropped) in the whole input. */
  readonly customers: number;
  readonly events: number;
  /** What was evaluated (up to `until`); zeros when nothing was asked to be evaluated. */
  readonly totals: ReplayTotals;
  /** The findings, then the summaries, as records in their output order (each call starts a fresh merge; call once). */
  readonly findings: () => Iterable<OutputRecord>;
  readonly summaries: () => Iterable<OutputRecord>;
}

export interface ReplayBucketOptions {
  readonly until?: number;
  /** How findings become output records; without it the input is only checked (`heed validate`). */
  readonly maker?: RecordMaker;
  /**
   * Worker threads for a spilled input (bucket-pool.ts), and what they need to rebuild this
   * engine and `maker`; absent (or count 1): every bucket in this thread.
   */
  readonly workers?: { readonly count: number; readonly configFile?: string; readonly format?: Format; readonly color: boolean } | undefined;
}

type WorkerPlan = NonNullable<ReplayBucketOptions['workers']>;

/**
 * The worker threads a spilled replay may use (`bucketWorkers`), when the workers can rebuild its
 * engine: the built-in policies and a configuration file. Policies handed to the `run` seam are
 * objects in this thread, so with them every bucket is evaluated here.
 */
export function bucketWorkersFor(policies: readonly AnyPolicy[], configFile: string | undefined, output: { format?: Format; color: boolean }): WorkerPlan | undefined {
  if (policies !== builtinPolicies) return undefined;
  const count = bucketWorkers();
  if (count <= 1) return undefined;
  return { count, color: output.color, ...(configFile === undefined ? {} : { configFile }), ...(output.format === undefined ? {} : { format: output.format }) };
}

/**
 * `heed replay` and `heed validate` in bounded memory. Pass 1 reads every line and, without
 * parsing it (`routeLine`), puts it in the bucket of its customer (LineBuckets: in memory for a
 * small input, else temporary files in `space`). Pass 2 takes one bucket at a time: validates its
 * lines (each line is validated once, here), drops identical retries, checks the lifecycle rules
 * per stream, and while no problem has been found anywhere evaluates the bucket's customers
 * (GroupFolder) into records sorted by output order, one run per bucket (a file when spilling). The runs are merged only when the output is written, after every
 * bucket was checked, so a problem found in the last bucket still means nothing is written: then
 * every problem is printed (file:line) and the result is exit code 1.
 */
export async function replayBuckets(io: CliIo, engine: Engine, files: readonly string[], space: SpillSpace, options: ReplayBucketOptions): Promise<Loaded<BucketedReplay>> {
  const problems = problemsFor(files);
  const readOptions = { registry: engine.registry, calendar: engine.calendar };
  const codec = new LineCodec(readOptions);
  const forced = spillBucketsFromEnv();
  const buckets = new LineBuckets({
    makeDir: () => space.dir,
    knownBytes: await inputBytes(files),
    stdin: files.includes('-'),
    ...(forced === undefined ? {} : { forceBuckets: forced }),
    // Each worker holds a bucket and its own heap: with buckets a quarter of a worker's share, the
    // 1M-event benchmark peaks at ~325 MB in two workers (~470 MB with 8 MB buckets; one thread: ~260 MB).
    ...(options.workers === undefined || options.workers.count <= 1 ? {} : { bucketChars: Math.floor(BUCKET_CHARS / (4 * options.workers.count)) }),
  });
  // Pass 1 only routes lines, and finds the latest `at` (the default clock): it may be a line that
  // turns out invalid, but then nothing is evaluated.
  const latest = new Latest(engine.calendar);
  const until = options.until;
  await readLines(files, io.stdin, createProgress(io.stderr, io.isTTY.stderr), problems, (text, line, file) => {
    const { customerId, at } = routeLine(text);
    if (until === undefined && at !== undefined) latest.add(at);
    buckets.add(customerId ?? '', codec.encode(text, line, file));
    return true;
  });

  const end = until ?? latest.time();
  const keep = problems.add.bind(problems);
  let maker = options.maker;
  let customers = 0;
  let events = 0;
  const totals: Totals = { asOf: end === undefined ? null : toIso(end), customers: 0, events: 0, findings: 0, customersWithFindings: 0 };
  const runDir = () => (buckets.spilled ? space.dir : undefined);
  const findingRuns = new Runs('findings', runDir);
  const summaryRuns = new Runs('summaries', runDir);

  const workers = options.workers;
  if (buckets.spilled && workers !== undefined && workers.count > 1) {
    const setup: WorkerSetup = {
      files: codec.files,
      ...(workers.configFile === undefined ? {} : { configFile: workers.configFile }),
      ...(maker === undefined || workers.format === undefined ? {} : { format: workers.format }),
      color: workers.color,
      ...(end === undefined ? {} : { end }),
      ...(until === undefined ? {} : { until }),
      dir: space.dir,
    };
    for await (const result of inWorkers(buckets.finishFiles(), setup, workers.count)) {
      keep((result.problems ?? []).map((p) => new ValidationError(p)));
      customers += result.customers ?? 0;
      events += result.events ?? 0;
      // As in this thread: once any bucket had a problem, nothing more is kept for the output.
      if (maker === undefined || problems.count > 0 || result.totals === undefined) continue;
      if (result.foldProblems !== undefined) {
        keep(result.foldProblems.map((p) => new ValidationError(p)));
        maker = undefined;
        continue;
      }
      addTotals(totals, result.totals);
      if (result.runs?.findings !== undefined) findingRuns.addFile(result.runs.findings);
      if (result.runs?.summaries !== undefined) summaryRuns.addFile(result.runs.summaries);
    }
  } else {
    for (const records of buckets.buckets()) {
      const checked = checkBucket(records, codec);
      keep(checked.problems);
      customers += checked.customers;
      events += checked.events;
      if (maker === undefined || problems.count > 0 || end === undefined) continue;
      // In its own function, so nothing of the bucket outlives it (a suspended async function keeps its locals).
      const folded = await foldBucket(checked.streams, engine, end, until, maker, totals);
      if (!folded.ok) {
        // The input was checked above; the engine re-checks it and would only disagree on a bug.
        keep(folded.problems);
        maker = undefined;
        continue;
      }
      findingRuns.add(folded.findings);
      summaryRuns.add(folded.summaries);
    }
  }

  if (problems.count > 0) {
    await printProblems(io.stderr, problems.problems, describeFiles(files), problems.count);
    return { ok: false, code: exitCodes.invalid };
  }
  return { ok: true, value: { customers, events, totals, findings: () => findingRuns.merge(), summaries: () => summaryRuns.merge() } };
}

function addTotals(into: Totals, part: Totals): void {
  into.customers += part.customers;
  into.events += part.events;
  into.findings += part.findings;
  into.customersWithFindings += part.customersWithFindings;
}

/**
 * Sorted runs of records, one per bucket: kept in memory while the input is (one bucket), else
 * written to the spill directory at once. Merged into one sequence when the output is written.
 */
class Runs {
  readonly #name: string;
  readonly #dir: () => string | undefined;
  readonly #runs: (Run | string)[] = [];

  constructor(name: string, dir: () => string | undefined) {
    this.#name = name;
    this.#dir = dir;
  }

  add(records: OutputRecord[]): void {
    if (records.length === 0) return;
    const dir = this.#dir();
    if (dir === undefined) {
      this.#runs.push(memoryRun(records));
      return;
    }
    const path = join(dir, `${this.#name}-${this.#runs.length}.run`);
    writeRun(path, records);
    records.length = 0;
    this.#runs.push(path);
  }

  /** A run a worker wrote (bucket-pool.ts). */
  addFile(path: string): void {
    this.#runs.push(path);
  }

  merge(): Iterable<OutputRecord> {
    return mergeRuns(this.#runs.map((run) => (typeof run === 'string' ? new RunReader(run) : run)));
  }
}
