import { join } from 'node:path';
import type { Engine } from '../engine/engine.js';
import { PolicyError, ValidationError } from '../errors.js';
import { toIso } from '../time/instant.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import { builtinPolicies } from '../policies/builtin.js';
import { bucketWorkers, inWorkers, WORKERS_FROM_BYTES, type WorkerSetup } from './bucket-pool.js';
import { addTotals, checkBucket, foldBucket, noTotals } from './bucket-work.js';
import { LineBuckets, spillBucketsFromEnv } from './buckets.js';
import { LineCodec } from './line-codec.js';
import { problemsFor } from './input.js';
import { exitCodes, type CliIo } from './io.js';
import { describeFiles, type EngineRecipe, type Loaded } from './journeys.js';
import { mergeRuns } from './merge-runs.js';
import { printProblems } from './problems.js';
import { createProgress } from './progress.js';
import { forEachEventLine, inputBytes } from './read-events.js';
import { bucketKey, Latest, routeLine } from './route-line.js';
import { earlierFailure } from './replay-groups.js';
import { recordMaker, type Format } from './replay-records.js';
import type { ReplayTotals } from './replay-render.js';
import { memoryRun, RunReader, writeRun, type OutputRecord, type Run } from './runs.js';
import type { SpillSpace } from './spill-dir.js';
import { withSite, type PolicySites } from './policy-site.js';

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
  /** The output's format and colour, which findings are evaluated into; absent: the input is only checked (`heed validate`). */
  readonly output?: { readonly format: Format; readonly color: boolean };
  /** The module each plugin policy came from, to say where one threw (policy-site.ts). */
  readonly sites?: PolicySites;
  /** Worker threads for pass 2 (bucket-pool.ts); absent: every bucket in this thread. */
  readonly workers?: WorkerPlan | undefined;
}

export interface WorkerPlan {
  readonly count: number;
  /** Asked for (`HEED_REPLAY_WORKERS`): used whatever the input's size. */
  readonly explicit: boolean;
  /** What the workers rebuild this engine from: the configuration as read once, the plugins' URLs. */
  readonly recipe: EngineRecipe;
}

/**
 * The worker threads a replay may use (`bucketWorkers`), when the workers can rebuild its engine:
 * the built-in policies, the plugins (imported again by URL) and the configuration's text.
 * Policies handed to the `run` seam are objects in this thread, so with them every bucket is
 * evaluated here.
 */
export function bucketWorkersFor(policies: readonly AnyPolicy[], recipe: EngineRecipe): WorkerPlan | undefined {
  if (policies !== builtinPolicies) return undefined;
  const { count, explicit } = bucketWorkers();
  return count <= 1 ? undefined : { count, explicit, recipe };
}

/**
 * `heed replay` and `heed validate` in bounded memory. Pass 1 reads every line and, without
 * parsing it (`routeLine`), puts it in the bucket of its customer (LineBuckets: in memory for a
 * small input, else temporary files in `space`). Pass 2 takes one bucket at a time: validates its
 * lines (each line is validated once, here), drops identical retries, checks the lifecycle rules
 * per stream, and while no problem has been found anywhere evaluates the bucket's customers
 * (GroupFolder) into records sorted by output order, one run per bucket (a file when spilling).
 * A large spilled input has its buckets checked and evaluated in worker threads instead
 * (`options.workers`, bucket-pool.ts), their results taken in bucket order, so nothing differs
 * but the time. The runs are merged only when the output is written, after every bucket was
 * checked, so a problem found in the last bucket still means nothing is written: then every
 * problem is printed (file:line order, from sorted runs past those held: problem-list.ts) and the
 * result is exit code 1.
 */
export async function replayBuckets(io: CliIo, engine: Engine, files: readonly string[], space: SpillSpace, options: ReplayBucketOptions): Promise<Loaded<BucketedReplay>> {
  const problems = problemsFor(files, () => space.dir);
  const readOptions = { registry: engine.registry, calendar: engine.calendar };
  const codec = new LineCodec(readOptions);
  const forced = spillBucketsFromEnv();
  const knownBytes = await inputBytes(files);
  const plan = options.workers;
  const workers = plan !== undefined && (plan.explicit || knownBytes >= WORKERS_FROM_BYTES) ? plan : undefined;
  const buckets = new LineBuckets({
    makeDir: () => space.dir,
    knownBytes,
    stdin: files.includes('-'),
    ...(forced === undefined ? {} : { forceBuckets: forced }),
    // Each worker holds a bucket and a heap of its own: cut into 4 × workers parts, buckets stay
    // small enough that two workers on the 1M-event benchmark peak near 350 MB (~470 MB uncut; one
    // thread: ~260 MB).
    ...(workers === undefined ? {} : { finer: 4 * workers.count }),
  });
  // Pass 1 only routes lines, and finds the latest `at` (the default clock): it may be a line that
  // turns out invalid, but then nothing is evaluated.
  const latest = new Latest(engine.calendar);
  const until = options.until;
  await forEachEventLine(files, io.stdin, createProgress(io.stderr, io.isTTY.stderr), problems, (text, line, file) => {
    const route = routeLine(text);
    if (until === undefined && route.at !== undefined) latest.add(route.at);
    buckets.add(bucketKey(route, line), codec.encode(text, line, file));
    return true;
  });

  const end = until ?? latest.time();
  const keep = problems.add.bind(problems);
  const output = options.output;
  let maker = output === undefined ? undefined : recordMaker(output.format, engine.calendar, output.color);
  let customers = 0;
  let events = 0;
  const totals = noTotals(end === undefined ? null : toIso(end));
  const runDir = () => (buckets.spilled ? space.dir : undefined);
  const findingRuns = new Runs('findings', runDir);
  const summaryRuns = new Runs('summaries', runDir);
  // A policy that threw: the failure of the customer first by id over every bucket, whatever the
  // buckets and threads, so the same input always names the same customer.
  let failure: { readonly customerId: string; readonly message: string } | undefined;

  if (buckets.spilled && workers !== undefined) {
    const setup: WorkerSetup = {
      inputs: files,
      files: codec.files,
      ...(workers.recipe.config === undefined ? {} : { config: workers.recipe.config }),
      plugins: workers.recipe.plugins,
      ...(output === undefined ? {} : { output }),
      ...(end === undefined ? {} : { end }),
      ...(until === undefined ? {} : { until }),
      dir: space.dir,
    };
    for await (const result of inWorkers(buckets.finishFiles(), setup, workers.count)) {
      problems.addHanded(result.problems);
      customers += result.customers;
      events += result.events;
      // As in this thread: once any bucket had a problem, nothing more is kept for the output.
      if (maker === undefined || problems.count > 0) continue;
      if (result.foldProblems !== undefined) {
        keep(result.foldProblems.map((p) => new ValidationError(p)));
        maker = undefined;
        continue;
      }
      if (result.policyFailure !== undefined) {
        failure = earlierFailure(failure, result.policyFailure);
        continue;
      }
      if (result.evaluated === undefined) continue;
      addTotals(totals, result.evaluated.totals);
      if (result.evaluated.findings !== undefined) findingRuns.addFile(result.evaluated.findings);
      if (result.evaluated.summaries !== undefined) summaryRuns.addFile(result.evaluated.summaries);
    }
  } else {
    for (const records of buckets.buckets()) {
      const checked = checkBucket(records, codec, keep);
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
      if (folded.failure !== undefined) {
        failure = earlierFailure(failure, folded.failure);
        continue;
      }
      findingRuns.add(folded.findings);
      summaryRuns.add(folded.summaries);
    }
  }

  if (problems.count > 0) {
    await printProblems(io.stderr, problems, describeFiles(files));
    return { ok: false, code: exitCodes.invalid };
  }
  // Where a plugin's policy threw ends the message, as a worker's message ends with it.
  if (failure !== undefined) throw failure instanceof PolicyError ? withSite(failure, options.sites ?? new Map()) : new Error(failure.message);
  return { ok: true, value: { customers, events, totals, findings: () => findingRuns.merge(), summaries: () => summaryRuns.merge() } };
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
