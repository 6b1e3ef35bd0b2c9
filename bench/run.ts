import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'tsup';
import { BASELINE_SOURCE, figure1, figure2, figure3, figure4, SIZES, type FigureOptions } from './figures.js';
import { figure5 } from './figure5.js';
import { figure6 } from './figure6.js';
import { DEFAULT_SEED, writeJourneys } from './generate.js';
import { BENCH_DIR } from './measure.js';
import { renderResults, type FigureResult } from './report.js';

/**
 * `npm run bench [-- --only 2,3] [--reps N] [--size 100k]`: generates the data sets once
 * (bench/data, gitignored), runs the chosen figures, each measurement in its own process, and
 * rewrites bench/RESULTS.md from the latest result of every figure (bench/data/results.json keeps
 * them, so running one figure does not erase the others).
 */

const HELP = `usage: npm run bench -- [--only 1,2,3,4,5,6] [--reps N] [--size 10k|100k|1m]
  --only   figures to run (default: all)
           1 heed replay (CLI) vs baseline (a)    2 engine record+fold vs plain fold
           3 in-memory store vs Emmett            4 wake-time scaling 10k vs 1M pending
           5 PostgreSQL store vs raw pg INSERT / COPY
           6 projection worker: evaluation cache vs whole stream per touch
  --reps   repetitions per measurement, best kept (default 3)
  --size   data set for figures 1 and 2 (default 1m)`;

class UsageProblem extends Error {}

const DATA = join(BENCH_DIR, 'data');
const RESULTS_JSON = join(DATA, 'results.json');
const RESULTS_MD = join(BENCH_DIR, 'RESULTS.md');

async function main(): Promise<void> {
  const { values } = (() => {
    try {
      return parseArgs({
        options: {
          only: { type: 'string' },
          reps: { type: 'string', default: '3' },
          size: { type: 'string', default: '1m' },
          help: { type: 'boolean', default: false },
        },
      });
    } catch (error) {
      throw new UsageProblem(`${(error as Error).message}\n${HELP}`);
    }
  })();
  if (values.help) return void console.log(HELP);
  const only = new Set((values.only ?? '1,2,3,4,5,6').split(',').map((s) => Number(s.trim())));
  for (const n of only) if (!(n >= 1 && n <= 6)) throw new UsageProblem(`--only: unknown figure ${n}\n${HELP}`);
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new UsageProblem(`--reps must be a positive integer\n${HELP}`);
  if (SIZES[values.size] === undefined) throw new UsageProblem(`--size must be one of ${Object.keys(SIZES).join(', ')}\n${HELP}`);

  // The data depends on the generator's code: a changed generator gets new files.
  const hash = createHash('sha256')
    .update(readFileSync(join(BENCH_DIR, 'generate.ts')))
    .update(readFileSync(join(BENCH_DIR, 'rng.ts')))
    .digest('hex')
    .slice(0, 8);
  const data = (size: string): string => join(DATA, `journeys-${size}-${DEFAULT_SEED}-${hash}.jsonl`);
  const needed = new Set<string>();
  if (only.has(1) || only.has(2)) needed.add(values.size);
  if (only.has(6)) needed.add('1m');
  if (only.has(3)) needed.add('100k');
  for (const size of needed) {
    if (existsSync(data(size))) continue;
    console.log(`generating ${size} events → ${data(size)}`);
    await writeJourneys(data(size), { events: SIZES[size] as number });
  }

  const plainReplay = join(DATA, 'build', 'plain-replay.js');
  if (only.has(1)) await compileBaseline(join(DATA, 'build'));

  const options: FigureOptions = { reps, data, size: values.size, plainReplay };
  const figures: [number, (o: FigureOptions) => Promise<FigureResult>][] = [
    [1, figure1],
    [2, figure2],
    [3, figure3],
    [4, figure4],
    [5, figure5],
    [6, figure6],
  ];
  const previous = existsSync(RESULTS_JSON) ? (JSON.parse(await readFile(RESULTS_JSON, 'utf8')) as FigureResult[]) : [];
  const results = new Map(previous.map((r) => [r.figure, r]));
  for (const [n, run] of figures) {
    if (!only.has(n)) continue;
    console.log(`figure ${n}…`);
    const result = { ...(await run(options)), reps };
    results.set(n, result);
    if (result.unavailable !== undefined) console.log(`  not available: ${result.unavailable}`);
    for (const row of result.rows) console.log(`  ${row.figure} ${row.measure}\n     heed ${row.heed}\n     base ${row.baseline}\n     ${row.ratio} (target ${row.target}${row.met === undefined ? '' : row.met ? ', met' : ', NOT met'})`);
    await mkdir(DATA, { recursive: true });
    await writeFile(RESULTS_JSON, JSON.stringify([...results.values()], null, 2));
    await writeFile(RESULTS_MD, renderResults([...results.values()]));
  }
  console.log(`wrote ${RESULTS_MD}`);
}

/** Baseline (a) runs as plain JavaScript, like the built heed CLI: no TypeScript loader in its wall time. */
async function compileBaseline(outDir: string): Promise<void> {
  await build({
    entry: { 'plain-replay': BASELINE_SOURCE },
    outDir,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    splitting: false,
    clean: false,
    dts: false,
    sourcemap: false,
    silent: true,
    config: false,
  });
}

try {
  await main();
} catch (error) {
  // A bad flag or a failed measurement: say what, without a stack trace for the former.
  const usage = error instanceof UsageProblem;
  console.error(usage ? error.message : error);
  process.exitCode = usage ? 2 : 1;
}
