/**
 * `heed/postgres`: the PostgreSQL event store (a server through `pg`, or PGlite in process) and
 * the async projection worker. A separate entry so `pg` and PGlite stay optional peers of `heed`.
 */
export { PostgresEventStore } from './store/postgres/postgres-event-store.js';
export type { PostgresEventStoreOptions } from './store/postgres/store-settings.js';
export { openPGlite, pgClient, pgliteClient } from './store/postgres/sql-client.js';
export type { PGliteLike, PgClientOptions, PgPoolClientLike, PgPoolLike, SqlClient, SqlExecutor, SqlSession } from './store/postgres/sql-client.js';
export { migrate, migrations, schemaVersion } from './store/postgres/migrations.js';
export type { Migration } from './store/postgres/migrations.js';
export { Upcasters } from './store/postgres/upcasters.js';
export type { Upcaster } from './store/postgres/upcasters.js';
export type { ImportOptions, ImportResult } from './store/postgres/bulk-import.js';
export type { GlobalCursor } from './store/postgres/global-order.js';
export { ProjectionWorker } from './store/postgres/projection-worker.js';
export type { BatchReport, ProjectionWorkerEvents, ProjectionWorkerOptions, RunReport } from './store/postgres/projection-worker.js';
export { evaluateCustomer, evaluationSetup, ProjectionError } from './store/postgres/customer-view.js';
export type { CustomerView, EvaluationSetup } from './store/postgres/customer-view.js';
