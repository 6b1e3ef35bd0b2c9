import type { AnyPolicy } from '../policies/define-policy.js';
import { colorOnStdout, type CliIo } from './io.js';
import { createConfiguredEngine, parseUntil, type EngineFlags } from './journeys.js';
import { emit, refuseDirectory } from './output.js';
import { bucketWorkersFor, replayBuckets } from './replay-buckets.js';
import { SpillSpace } from './spill-dir.js';
import type { Format } from './replay-records.js';
import { renderOutput } from './replay-render.js';

export { formats, type Format } from './replay-records.js';

export interface ReplayFlags extends EngineFlags {
  readonly until?: string;
  readonly format: Format;
  readonly out?: string;
}

/**
 * `heed replay <files…>`: evaluate the journeys and print the findings as of `--until`, in
 * bounded memory (`replayBuckets`): the output is merged from sorted runs while it is written.
 */
export async function replay(io: CliIo, policies: readonly AnyPolicy[], files: readonly string[], flags: ReplayFlags): Promise<number> {
  const refused = await refuseDirectory(io, flags.out);
  if (refused !== undefined) return refused;
  const configured = await createConfiguredEngine(io, policies, flags);
  if (!configured.ok) return configured.code;
  const { engine, recipe, sites } = configured.value;
  const { calendar } = engine;
  const until = flags.until === undefined ? undefined : parseUntil(engine, flags.until);
  const color = flags.out === undefined && colorOnStdout(io);
  const space = new SpillSpace();
  try {
    const workers = bucketWorkersFor(policies, recipe);
    const output = { format: flags.format, color };
    const result = await replayBuckets(io, engine, files, space, { output, workers, sites, ...(until === undefined ? {} : { until }) });
    if (!result.ok) return result.code;
    const { totals, findings, summaries } = result.value;
    // Lazily: the summaries' runs are opened only once the findings are written.
    const lazySummaries = { [Symbol.iterator]: () => summaries()[Symbol.iterator]() };
    return await emit(io, flags.out, renderOutput(flags.format, totals, findings(), lazySummaries, calendar, color));
  } finally {
    space.remove();
  }
}
