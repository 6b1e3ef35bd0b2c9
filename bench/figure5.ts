import type { FigureOptions } from './figures.js';
import { paired, runTask } from './measure.js';
import { fmt, machine, side, type FigureResult } from './report.js';
import type { TaskResult } from './tasks/load.js';
import { postgresUnavailable, type LatencyResult } from './tasks/postgres.js';

const SINGLE = 2_000;
const BULK = 100_000;

/** Figure 5: heed's PostgreSQL store vs raw `pg` INSERT and COPY of the same rows (a server, not PGlite). */
export async function figure5(o: FigureOptions): Promise<FigureResult> {
  const title = 'PostgreSQL store vs raw pg';
  const env = machine();
  const why = await postgresUnavailable();
  if (why !== undefined) return { figure: 5, title, rows: [], unavailable: why, machine: env };
  const file = o.data('100k');

  const single = await paired(
    o.reps,
    () => runTask<LatencyResult>('pg-raw-single', { file, count: SINGLE }),
    () => runTask<LatencyResult>('pg-heed-single', { file, count: SINGLE }),
    { a: (x) => x.result.p50Us, b: (x) => x.result.p50Us },
  );
  const bulk = await paired(
    o.reps,
    () => runTask<TaskResult>('pg-raw-copy', { file, count: BULK }),
    () => runTask<TaskResult>('pg-heed-bulk', { file, count: BULK }),
    { a: (x) => x.result.ms, b: (x) => x.result.ms },
  );
  const insert = await runTask<TaskResult>('pg-raw-insert', { file, count: BULK });
  const latency = (r: LatencyResult) => `p50 ${fmt.us(r.p50Us)} · p99 ${fmt.us(r.p99Us)}`;
  const share = bulk.a.result.ms / bulk.b.result.ms;
  return {
    figure: 5,
    title,
    rows: [
      {
        figure: '5a',
        measure: `single-event append, ${SINGLE} sequential calls with expected version (raw: one INSERT each)`,
        heed: latency(single.b.result),
        baseline: latency(single.a.result),
        ratio: `${fmt.ratio(single.b.result.p50Us / single.a.result.p50Us)} the p50`,
        target: '≤ 1.5×',
        met: single.b.result.p50Us <= 1.5 * single.a.result.p50Us,
      },
      {
        figure: '5b',
        measure: `bulk import of ${BULK / 1000}k events (heed importEvents vs raw COPY FROM STDIN)`,
        heed: side(bulk.b.result.ms, BULK, bulk.b.peakRssMb),
        baseline: side(bulk.a.result.ms, BULK, bulk.a.peakRssMb),
        ratio: `${Math.round(share * 100)}% of COPY's throughput`,
        target: '≥ 70%',
        met: share >= 0.7,
      },
      {
        figure: '5c',
        measure: 'the same import vs raw multi-row INSERT (1000 rows a statement)',
        heed: side(bulk.b.result.ms, BULK, bulk.b.peakRssMb),
        baseline: side(insert.result.ms, BULK, insert.peakRssMb),
        ratio: `${Math.round((insert.result.ms / bulk.b.result.ms) * 100)}% of INSERT's throughput`,
        target: '(informational)',
      },
    ],
    machine: env,
  };
}
