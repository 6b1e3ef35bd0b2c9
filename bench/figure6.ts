import type { FigureOptions } from './figures.js';
import { paired, runTask } from './measure.js';
import { fmt, machine, type FigureResult } from './report.js';
import { postgresUnavailable } from './tasks/postgres.js';
import type { ProjectionResult } from './tasks/projection.js';

/** Hot customers and the live events of each (the first warms up, the others are timed). */
const CUSTOMERS = 100;
const LIVE = 11;

/**
 * Figure 6: the projection worker on live events for customers with long histories, with its
 * evaluation cache (the default) vs without (`cacheSize: 0`, every touched customer re-read and
 * re-folded from its whole stream). Informational: the issue sets no target for it.
 */
export async function figure6(o: FigureOptions): Promise<FigureResult> {
  const title = 'projection worker on live events: evaluation cache vs whole stream';
  const env = machine();
  const why = await postgresUnavailable();
  if (why !== undefined) return { figure: 6, title, rows: [], unavailable: why, machine: env };
  const file = o.data('1m');
  const { a: whole, b: cached } = await paired(
    o.reps,
    () => runTask<ProjectionResult>('projection-live', { file, customers: CUSTOMERS, live: LIVE, cacheSize: 0 }),
    () => runTask<ProjectionResult>('projection-live', { file, customers: CUSTOMERS, live: LIVE, cacheSize: 1000 }),
    { a: (x) => x.result.ms, b: (x) => x.result.ms },
  );
  if (whole.result.findings !== cached.result.findings) {
    throw new Error(`figure 6: the two workers wrote ${whole.result.findings} and ${cached.result.findings} finding rows; the cache must not change them`);
  }
  const r = cached.result;
  const cell = (x: ProjectionResult) => `p50 ${fmt.us(x.p50Us)} · p99 ${fmt.us(x.p99Us)} · ${fmt.rate(x.events, x.ms)}`;
  return {
    figure: 6,
    title,
    rows: [
      {
        figure: '6a',
        measure: `a worker pass per live event (append not timed), ${r.events} events for ${r.customers} customers with ~${Math.round(r.historyPerCustomer)} events of history each; heed: cacheSize 1000 (default), baseline: cacheSize 0 (whole stream per touch)`,
        heed: cell(cached.result),
        baseline: cell(whole.result),
        ratio: `${fmt.ratio(whole.result.p50Us / cached.result.p50Us)} faster at the p50`,
        target: '(informational)',
      },
    ],
    machine: env,
  };
}
