import { UsageError } from '../../errors.js';
import { quoteIdent } from './migrations.js';
import type { PostgresEventStore } from './postgres-event-store.js';

/**
 * A projection's checkpoint rows, one per partition, created on a worker's first pass; a worker
 * with another partition count than the projection was built with is refused (customers would
 * change partitions under the checkpoints).
 */
export async function prepareCheckpoints(store: PostgresEventStore, projection: string, partitions: number): Promise<void> {
  const s = quoteIdent(store.schema);
  const built = await store.client.query<{ partitions: number }>(`select distinct partitions from ${s}.checkpoints where projection = $1 order by 1`, [projection]);
  if (built.some((r) => Number(r.partitions) !== partitions)) {
    throw new UsageError(
      `ProjectionWorker: option "partitions": this projection was built with ${built.map((r) => r.partitions).join(', ')} partitions in schema "${store.schema}", not ${partitions}; ` +
        `use the same number, or rebuild (delete its rows from ${store.schema}.checkpoints, findings, summaries, wake_times and projection_failures)`,
      { path: 'partitions', rule: 'invalid-value' },
    );
  }
  await store.client.query(
    `insert into ${s}.checkpoints (projection, partition, partitions)
     select $1, p, $2 from generate_series(0, $2 - 1) p on conflict (projection, partition) do nothing`,
    [projection, partitions],
  );
}
