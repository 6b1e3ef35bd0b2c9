import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { resolveConfig } from '../config/config.js';
import { resolveConfigText } from '../config/load-config.js';
import { Engine } from '../engine/engine.js';
import { importPluginPolicies } from '../config/load-plugins.js';
import { builtinPolicies } from '../policies/builtin.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import type { BucketResult, BucketTask, WorkerSetup } from './bucket-pool.js';
import { checkBucket, foldBucket, noTotals } from './bucket-work.js';
import { takeBucketFile } from './buckets.js';
import { problemsFor } from './input.js';
import { LineCodec } from './line-codec.js';
import { recordMaker, type RecordMaker } from './replay-records.js';
import { writeRun } from './runs.js';
import { adviseOnPlugins } from './custom-types.js';
import { policySites, withSite, type PolicySites } from './policy-site.js';

/**
 * A worker thread of `heed replay` / `heed validate` pass 2 (bucket-pool.ts): it builds the same
 * engine as the CLI (built-in policies, then the plugins' policies imported from the URLs the CLI
 * resolved, configured by the text the CLI read), then takes bucket files one at a time, checks
 * and evaluates each exactly as the CLI's own thread would (bucket-work.ts), and writes its sorted
 * runs next to the bucket. Only plain data crosses back.
 */
const setup = workerData as WorkerSetup;
const port = parentPort;
if (port === null) throw new Error('bucket-worker.js runs as a worker thread of the heed CLI');

interface Built {
  readonly engine: Engine;
  readonly codec: LineCodec;
  readonly maker: RecordMaker | undefined;
  readonly sites: PolicySites;
}

// Importing the plugins is asynchronous: tasks wait for it (listening at once, so none is missed).
const built = build();
// A failure is reported with the first task; until then it is not an unhandled rejection.
built.catch(() => undefined);

async function build(): Promise<Built> {
  const loaded: { url: string; policies: readonly AnyPolicy[] }[] = [];
  for (const url of setup.plugins) loaded.push({ url, policies: await importPluginPolicies(url) });
  const policies = [...builtinPolicies, ...loaded.flatMap((plugin) => plugin.policies)];
  const config = setup.config === undefined ? resolveConfig({}, policies) : resolveConfigText(setup.config.text, setup.config.file, policies);
  const engine = new Engine({ policies, config });
  adviseOnPlugins(engine, loaded.length);
  const codec = new LineCodec({ registry: engine.registry, calendar: engine.calendar }, setup.files);
  const maker = setup.output === undefined ? undefined : recordMaker(setup.output.format, engine.calendar, setup.output.color);
  return { engine, codec, maker, sites: policySites(loaded) };
}

port.on('message', (task: BucketTask) => {
  built.then((ready) => run(ready, task)).then(
    (result) => port.postMessage(result),
    (error: unknown) => port.postMessage({ index: task.index, ok: false, failure: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies BucketResult),
  );
});

async function run({ engine, codec, maker, sites }: Built, task: BucketTask): Promise<BucketResult> {
  // Every problem, held as the CLI's list holds them: past what it holds, spilled to runs of this bucket's own.
  const problems = problemsFor(setup.inputs, () => setup.dir, `b${task.index}`);
  const checked = checkBucket(takeBucketFile(task.path), codec, problems.add.bind(problems));
  const found = problems.count;
  const result = { index: task.index, ok: true as const, problems: problems.hand(), customers: checked.customers, events: checked.events };
  if (!task.evaluate || maker === undefined || setup.end === undefined || found > 0) return result;
  const totals = noTotals(null);
  const folded = await foldBucket(checked.streams, engine, setup.end, setup.until, maker, totals);
  if (!folded.ok) return { ...result, foldProblems: folded.problems.map((p) => p.problem()) };
  if (folded.failure !== undefined) return { ...result, policyFailure: { customerId: folded.failure.customerId, message: withSite(folded.failure, sites).message } };
  const findings = folded.findings.length === 0 ? undefined : join(setup.dir, `findings-${task.index}.run`);
  const summaries = folded.summaries.length === 0 ? undefined : join(setup.dir, `summaries-${task.index}.run`);
  if (findings !== undefined) writeRun(findings, folded.findings);
  if (summaries !== undefined) writeRun(summaries, folded.summaries);
  return { ...result, evaluated: { totals, ...(findings === undefined ? {} : { findings }), ...(summaries === undefined ? {} : { summaries }) } };
}
