import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, paired, ROOT, runProcess, runTask } from './measure.js';
import { fmt, machine, side, type FigureResult, type Row } from './report.js';
import type { TaskResult } from './tasks/load.js';
import type { StoreResult } from './tasks/store.js';
import type { WakeResult } from './tasks/wake.js';

export interface FigureOptions {
  readonly reps: number;
  /** Data files by size name (`10k`, `100k`, `1m`). */
  readonly data: (size: string) => string;
  /** Size for figures 1 and 2 (default 1m). */
  readonly size: string;
  /** The compiled baseline program (bench/plain-replay.ts as JavaScript). */
  readonly plainReplay: string;
}

const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** Data sets: name → events (the generator emits exactly that many). */
export const SIZES: Readonly<Record<string, number>> = { '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };

export async function figure1(o: FigureOptions): Promise<FigureResult> {
  const title = '`heed replay` end to end vs baseline (a)';
  const env = machine();
  if (!existsSync(CLI)) return { figure: 1, title, rows: [], unavailable: `the CLI is not built (${CLI} is missing: the heed CLI has not landed on this branch)`, machine: env };
  const file = o.data(o.size);
  const events = SIZES[o.size] ?? Number.NaN;
  const { a: base, b: heed } = await paired(
    o.reps,
    () => runProcess(process.execPath, [o.plainReplay, file]),
    () => runProcess(process.execPath, [CLI, 'replay', file, '--format', 'json']),
    { a: (x) => x.wallMs, b: (x) => x.wallMs },
  );
  // The CLI evaluates large inputs in worker threads, one per core (up to 4): the same in one thread, for comparison.
  const { a: base1, b: single } = await paired(
    o.reps,
    () => runProcess(process.execPath, [o.plainReplay, file]),
    () => runProcess(process.execPath, [CLI, 'replay', file, '--format', 'json'], { env: { HEED_REPLAY_WORKERS: '1' } }),
    { a: (x) => x.wallMs, b: (x) => x.wallMs },
  );
  const workers = Math.min(availableParallelism(), 4);
  const rows: Row[] = [
    {
      figure: '1a',
      measure: `wall time, ${o.size} events, all built-in policies, JSON to /dev/null (${workers} worker threads on ${availableParallelism()} cores; the baseline uses one)`,
      heed: side(heed.wallMs, events, heed.peakRssMb),
      baseline: side(base.wallMs, events, base.peakRssMb),
      ratio: `${fmt.ratio(heed.wallMs / base.wallMs)} the time`,
      target: '≤ 2×',
      met: heed.wallMs <= 2 * base.wallMs,
    },
    {
      figure: '1b',
      measure: `peak RSS, same runs`,
      heed: fmt.mb(heed.peakRssMb),
      baseline: fmt.mb(base.peakRssMb),
      ratio: `${fmt.ratio(heed.peakRssMb / base.peakRssMb)} the memory`,
      target: '≤ 1×',
      met: heed.peakRssMb <= base.peakRssMb,
    },
    {
      figure: '1c',
      measure: `as 1a, in one thread (HEED_REPLAY_WORKERS=1)`,
      heed: side(single.wallMs, events, single.peakRssMb),
      baseline: side(base1.wallMs, events, base1.peakRssMb),
      ratio: `${fmt.ratio(single.wallMs / base1.wallMs)} the time`,
      target: '(informational)',
    },
  ];
  return { figure: 1, title, rows, machine: env };
}

export async function figure2(o: FigureOptions): Promise<FigureResult> {
  const env = machine();
  const file = o.data(o.size);
  const pair = (task: string) =>
    paired(o.reps, () => runTask<TaskResult>('plain-memory', { file }), () => runTask<TaskResult>(task, { file }), {
      a: (x) => x.result.ms,
      b: (x) => x.result.ms,
    });
  const full = await pair('engine-memory');
  const validated = await pair('engine-validated');
  const row = (figure: string, measure: string, p: typeof full, target: string, limit?: number): Row => ({
    figure,
    measure,
    heed: side(p.b.result.ms, p.b.result.events, p.b.peakRssMb),
    baseline: side(p.a.result.ms, p.a.result.events, p.a.peakRssMb),
    ratio: `${fmt.ratio(p.b.result.ms / p.a.result.ms)} the time`,
    target,
    ...(limit === undefined ? {} : { met: p.b.result.ms <= limit * p.a.result.ms }),
  });
  return {
    figure: 2,
    title: 'engine API record + fold vs plain fold',
    rows: [
      row('2a', `engine.record(${o.size} parsed events) + findings(), bench policy`, full, '≤ 4×', 4),
      row('2b', `engine.recordValidated (events validated beforehand) + findings()`, validated, '(informational)'),
    ],
    machine: env,
  };
}

export async function figure3(o: FigureOptions): Promise<FigureResult> {
  const env = machine();
  const file = o.data('100k');
  const { a: emmett, b: heed } = await paired(
    o.reps,
    () => runTask<StoreResult>('emmett-store', { file }),
    () => runTask<StoreResult>('heed-store', { file }),
    { a: (x) => x.result.appendMs, b: (x) => x.result.appendMs },
  );
  const { a: floor, b: heedAgain } = await paired(
    o.reps,
    () => runTask<StoreResult>('floor-store', { file }),
    () => runTask<StoreResult>('heed-store', { file }),
    { a: (x) => x.result.appendMs, b: (x) => x.result.appendMs },
  );
  const n = heed.result.events;
  const cell = (ms: number, rss?: number) => `${fmt.ms(ms)} · ${fmt.rate(n, ms)}${rss === undefined ? '' : ` · peak ${fmt.mb(rss)}`}`;
  return {
    figure: 3,
    title: 'in-memory store vs Emmett',
    rows: [
      {
        figure: '3a',
        measure: `append, 100k events one at a time with expected version, ${heed.result.customers} streams`,
        heed: cell(heed.result.appendMs, heed.peakRssMb),
        baseline: cell(emmett.result.appendMs, emmett.peakRssMb),
        ratio: `${fmt.ratio(emmett.result.appendMs / heed.result.appendMs)} the throughput`,
        target: '≥ 100×',
        met: emmett.result.appendMs >= 100 * heed.result.appendMs,
      },
      {
        figure: '3b',
        measure: 'read every stream back and fold it',
        heed: cell(heed.result.readMs),
        baseline: cell(emmett.result.readMs),
        ratio: `${fmt.ratio(emmett.result.readMs / heed.result.readMs)} the throughput`,
        target: '(informational)',
      },
      {
        figure: '3c',
        measure: `append as in 3a, vs the floor: the same loop keeping each event as a new record in per-stream arrays, no id index or checks (Emmett's time ÷ the floor's: ${fmt.ratio(emmett.result.appendMs / floor.result.appendMs)}, the most any store reaches here)`,
        heed: cell(heedAgain.result.appendMs, heedAgain.peakRssMb),
        baseline: cell(floor.result.appendMs, floor.peakRssMb),
        ratio: `${fmt.ratio(heedAgain.result.appendMs / floor.result.appendMs)} the time`,
        target: '(informational)',
      },
    ],
    machine: env,
  };
}

export async function figure4(o: FigureOptions): Promise<FigureResult> {
  const env = machine();
  const cell = (r: WakeResult, rss: number) =>
    `${fmt.us(r.perDueUs)} per due promise (${Math.round(r.dueTotal / 5)} due a day, ${r.customers} customers) · peak ${fmt.mb(rss)}`;
  const rows: Row[] = [];
  for (const [figure, policy, label] of [
    ['4a', 'bench', 'bench policy (one wake-up per promise)'],
    ['4b', 'promises', 'built-in promises policy (at-risk, then broken)'],
  ] as const) {
    const { a: small, b: large } = await paired(
      o.reps,
      () => runTask<WakeResult>('wake', { pending: 10_000, policy }),
      () => runTask<WakeResult>('wake', { pending: 1_000_000, policy }),
      { a: (x) => x.result.perDueUs, b: (x) => x.result.perDueUs },
    );
    const ratio = large.result.perDueUs / small.result.perDueUs;
    rows.push({
      figure,
      measure: `advance the clock one day (median of 5 days), ${label}: 1M pending promises (heed column) vs 10k (baseline column)`,
      heed: cell(large.result, large.peakRssMb),
      baseline: cell(small.result, small.peakRssMb),
      ratio: `${fmt.ratio(ratio)} the cost per due promise`,
      target: 'flat (≤ 2×)',
      met: ratio <= 2,
    });
  }
  return { figure: 4, title: 'wake-time scaling', rows, machine: env };
}

export const BASELINE_SOURCE = join(BENCH_DIR, 'plain-replay.ts');
