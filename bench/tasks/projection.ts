import type { NewEvent } from '../../src/index.js';
import { PostgresEventStore, ProjectionWorker } from '../../src/postgres.js';
import { median, percentile } from '../measure.js';
import { loadRaw, settle, validateAll, type TaskResult } from './load.js';
import { PG_URL, resetSchema } from './postgres.js';

/**
 * Figure 6: the projection worker keeping the read models current while events arrive one at a
 * time, for customers with long histories (as in a CRM: the customers who write today are the ones
 * with open matters). Untimed: the hot customers' histories are imported and the worker catches up
 * on them (so a worker with a cache has it warm, as a long-running worker would), then each
 * customer's first live event is appended and processed. Timed: every other live event, appended
 * and processed by a pass of the worker (one partition, so a pass is one batch), at a clock that
 * follows the events. Only the worker's passes are timed; the appends are the same on both sides.
 */

export interface ProjectionResult extends TaskResult {
  readonly p50Us: number;
  readonly p99Us: number;
  readonly customers: number;
  /** Mean stream length of the hot customers when the live events start. */
  readonly historyPerCustomer: number;
  /** Sum of the rows the pass wrote, as a check that both sides did the same work. */
  readonly findings: number;
}

export async function projectionLive(args: { file: string; customers: number; live: number; cacheSize: number }): Promise<ProjectionResult> {
  const { history, warmUp, timed, customers } = hotCustomers(args.file, args.customers, args.live);
  const schema = `bench_projection_${args.cacheSize}`;
  await resetSchema(schema);
  const store = await PostgresEventStore.connect(PG_URL, { schema });
  await store.migrate();
  await store.importEvents(history);
  let clock = Math.max(...history.map((e) => e.time));
  const worker = new ProjectionWorker(store, { partitions: 1, cacheSize: args.cacheSize, clock: () => clock });
  await worker.runUntilIdle();
  for (const event of warmUp) {
    clock = Math.max(clock, event.time);
    await store.append(event.customerId, [event]);
    await worker.runOnce();
  }
  settle();
  const latencies: number[] = [];
  for (const event of timed) {
    clock = Math.max(clock, event.time);
    await store.append(event.customerId, [event]);
    const t = performance.now();
    const { batches } = await worker.runOnce();
    latencies.push((performance.now() - t) * 1000);
    if (batches.length !== 1 || batches[0]?.events !== 1) throw new Error(`a pass processed ${JSON.stringify(batches)} instead of the one live event`);
  }
  const [rows] = await store.client.query<{ n: number }>(`select count(*)::int as n from ${schema}.findings`);
  await worker.stop();
  await store.close();
  const ms = latencies.reduce((sum, us) => sum + us, 0) / 1000;
  return {
    events: timed.length,
    ms,
    p50Us: median(latencies),
    p99Us: percentile(latencies, 99),
    customers,
    historyPerCustomer: history.length / customers,
    findings: rows?.n ?? 0,
  };
}

/**
 * The first `count` customers of the data set (in order of first appearance), their events in
 * time order (ties: file order): the last `count × live` are live, the rest history, so the live
 * events come after the history as a live feed's do. A customer's first live event warms up, its
 * others are timed.
 */
function hotCustomers(file: string, count: number, live: number): { history: NewEvent[]; warmUp: NewEvent[]; timed: NewEvent[]; customers: number } {
  const chosen = new Set<string>();
  const hot = loadRaw(file).filter((raw) => {
    if (chosen.has(raw.customerId)) return true;
    if (chosen.size === count) return false;
    chosen.add(raw.customerId);
    return true;
  });
  // Validated, as the store takes them (importEvents and append store events as given: defaults
  // such as a promise's importance are filled in by validation).
  const events: NewEvent[] = validateAll(hot).map(({ id, customerId, type, at, time, data }) => ({ ...(id === undefined ? {} : { id }), customerId, type, at, time, data }));
  events.sort((a, b) => a.time - b.time);
  const cut = Math.max(0, events.length - count * live);
  const history = events.slice(0, cut);
  const warmUp: NewEvent[] = [];
  const timed: NewEvent[] = [];
  const warm = new Set<string>();
  for (const event of events.slice(cut)) {
    if (warm.has(event.customerId)) timed.push(event);
    else {
      warm.add(event.customerId);
      warmUp.push(event);
    }
  }
  return { history, warmUp, timed, customers: chosen.size };
}
