import { join } from 'node:path';
import type { Engine } from '../engine/engine.js';
import { InvalidInputError, type ValidationError } from '../errors.js';
import type { ValidEvent } from '../events/event.js';
import { toIso } from '../time/instant.js';
import { LineBuckets, spillBucketsFromEnv } from './buckets.js';
import { checkStream, groupByCustomer } from './check-streams.js';
import { LineCodec } from './line-codec.js';
import { problemsFor } from './input.js';
import { exitCodes, type CliIo } from './io.js';
import { describeFiles, type Loaded } from './journeys.js';
import { mergeRuns } from './merge-runs.js';
import { printProblems } from './problems.js';
import { createProgress } from './progress.js';
import { inputBytes, readLines } from './read-events.js';
import { GroupFolder } from './replay-groups.js';
import { Latest, routeLine } from './route-line.js';
import type { RecordMaker } from './replay-records.js';
import type { ReplayTotals } from './replay-render.js';
import { compareRecords, memoryRun, RunReader, writeRun, type OutputRecord, type Run } from './runs.js';
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

  for (const records of buckets.buckets()) {
    const streams = groupByCustomer(decodeAll(records, codec, keep));
    for (const stream of streams.values()) {
      checkStream(stream, keep);
      events += stream.length;
    }
    customers += streams.size;
    if (maker === undefined || problems.count > 0 || end === undefined) continue;
    // In its own function, so nothing of the bucket outlives it (a suspended async function keeps its locals).
    const folded = await foldBucket(streams, engine, end, until, maker, totals);
    if (!folded.ok) {
      // The input was checked above; the engine re-checks it and would only disagree on a bug.
      keep(folded.problems);
      maker = undefined;
      continue;
    }
    findingRuns.add(folded.findings);
    summaryRuns.add(folded.summaries);
  }

  if (problems.count > 0) {
    await printProblems(io.stderr, problems.problems, describeFiles(files), problems.count);
    return { ok: false, code: exitCodes.invalid };
  }
  return { ok: true, value: { customers, events, totals, findings: () => findingRuns.merge(), summaries: () => summaryRuns.merge() } };
}

/** A bucket's valid events in input order (its records released as they are read); every problem to `keep`. */
function decodeAll(records: string[], codec: LineCodec, keep: (problems: readonly ValidationError[]) => void): ValidEvent[] {
  const events: ValidEvent[] = [];
  for (let i = 0; i < records.length; i++) {
    const result = codec.decode(records[i] as string);
    if (result.ok) events.push(result.event);
    else keep(result.errors);
  }
  records.length = 0;
  return events;
}

type Totals = { -readonly [K in keyof ReplayTotals]: ReplayTotals[K] };

type Folded = { readonly ok: true; readonly findings: OutputRecord[]; readonly summaries: OutputRecord[] } | { readonly ok: false; readonly problems: readonly ValidationError[] };

/** Evaluate one bucket's streams (emptied as they are folded) into records sorted in output order, counting into `totals`. */
async function foldBucket(streams: Map<string, ValidEvent[]>, engine: Engine, end: number, until: number | undefined, maker: RecordMaker, totals: Totals): Promise<Folded> {
  const findings: OutputRecord[] = [];
  const summaries: OutputRecord[] = [];
  const folder = new GroupFolder(engine, end, until, (part) => {
    for (const record of maker.findings(part)) findings.push(record);
    for (const record of maker.summaries(part)) summaries.push(record);
    totals.customers += part.customers;
    totals.events += part.events;
    totals.findings += part.findings.length;
    // A part holds whole customers, so each customer with findings is counted once overall.
    totals.customersWithFindings += new Set(part.findings.map((f) => f.customerId)).size;
  });
  try {
    for (const [customerId, stream] of streams) {
      streams.delete(customerId); // its events go with its group's engine
      await folder.fold(stream);
    }
    folder.settle();
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return { ok: false, problems: error.errors };
  }
  // Stable: findings that tie (one customer's) keep their part's order, the contract's.
  findings.sort(compareRecords);
  summaries.sort(compareRecords);
  return { ok: true, findings, summaries };
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

  merge(): Iterable<OutputRecord> {
    return mergeRuns(this.#runs.map((run) => (typeof run === 'string' ? new RunReader(run) : run)));
  }
}
