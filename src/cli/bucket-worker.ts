import { parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { resolveConfig } from '../config/config.js';
import { loadConfigFile } from '../config/load-config.js';
import { Engine } from '../engine/engine.js';
import { builtinPolicies } from '../policies/builtin.js';
import { takeBucketFile } from './buckets.js';
import { checkBucket, foldBucket, type Totals } from './bucket-work.js';
import type { BucketResult, BucketTask, WorkerSetup } from './bucket-pool.js';
import { LineCodec } from './line-codec.js';
import { recordMaker } from './replay-records.js';
import { writeRun } from './runs.js';

/**
 * A worker thread of `heed replay` / `heed validate` pass 2 (bucket-pool.ts): it builds the same
 * engine as the CLI (built-in policies, the same configuration file), then takes bucket files one
 * at a time, checks and evaluates each exactly as the CLI's own thread would (bucket-work.ts), and
 * writes its sorted runs next to the bucket. Only plain data crosses back.
 */
const setup = workerData as WorkerSetup;
const port = parentPort;
if (port === null) throw new Error('bucket-worker.js runs as a worker thread of the heed CLI');

const config = setup.configFile === undefined ? resolveConfig({}, builtinPolicies) : await loadConfigFile(setup.configFile, builtinPolicies);
const engine = new Engine({ policies: builtinPolicies, config });
const codec = new LineCodec({ registry: engine.registry, calendar: engine.calendar }, setup.files);
const maker = setup.format === undefined ? undefined : recordMaker(setup.format, engine.calendar, setup.color);

port.on('message', (task: BucketTask) => {
  run(task).then(
    (result) => port.postMessage(result),
    (error: unknown) => port.postMessage({ index: task.index, failure: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies BucketResult),
  );
});

async function run(task: BucketTask): Promise<BucketResult> {
  const checked = checkBucket(takeBucketFile(task.path), codec);
  const result = { index: task.index, problems: checked.problems.map((p) => p.problem()), customers: checked.customers, events: checked.events };
  // A bucket with problems is not evaluated (nothing will be written); others are, in case none has any.
  if (maker === undefined || setup.end === undefined || checked.problems.length > 0) return result;
  const totals: Totals = { asOf: null, customers: 0, events: 0, findings: 0, customersWithFindings: 0 };
  const folded = await foldBucket(checked.streams, engine, setup.end, setup.until, maker, totals);
  if (!folded.ok) return { ...result, foldProblems: folded.problems.map((p) => p.problem()) };
  const runs: { findings?: string; summaries?: string } = {};
  if (folded.findings.length > 0) writeRun((runs.findings = join(setup.dir, `findings-${task.index}.run`)), folded.findings);
  if (folded.summaries.length > 0) writeRun((runs.summaries = join(setup.dir, `summaries-${task.index}.run`)), folded.summaries);
  return { ...result, totals, runs };
}
