import type { HeedConfig, ResolvedConfig } from '../../config/config.js';
import type { LoadedPlugin } from '../../config/load-plugins.js';
import type { AnyPolicy } from '../../policies/define-policy.js';
import type { ProjectionError } from './customer-view.js';
import type { GlobalCursor } from './global-order.js';

/** The projection worker's options, what it reports, and its events (projection-worker.ts). */

export interface ProjectionWorkerOptions {
  /** Policies to run. Default: the built-in policies. Every worker of a store must run the same. */
  readonly policies?: readonly AnyPolicy[];
  /** Configuration, as for the engine. */
  readonly config?: HeedConfig | ResolvedConfig;
  /**
   * Partitions of the customer space. Default 16, at most 1024. Fixed once a projection has run
   * (see README). Workers beyond this many have nothing to do, and each partition costs whatever
   * the workers: a session advisory lock held in the server's shared lock table (sized about 64
   * per connection by default, shared by every session: one worker with 20,000 partitions fails
   * with "out of shared memory"), a checkpoint row, and three queries in every pass, idle or not
   * (a pass of 1024 idle partitions takes about a second). 1024 is ten times the workers a default
   * server's 100 connections allow, and a small share of its lock table.
   */
  readonly partitions?: number;
  /** Events read per partition per batch. Default 500. */
  readonly batchSize?: number;
  /** Most partitions this worker owns at once. Default: a fair share of the live workers. */
  readonly maxPartitions?: number;
  /** The clock findings are evaluated at (epoch ms). Default `Date.now`: wake-ups fire in real time. */
  readonly clock?: () => number;
  /** Idle wait between polls when nothing was pending, and before retrying a failed pass, in ms. Default 1000, at most 2,147,483,647 (a timer's limit). */
  readonly pollInterval?: number;
  /**
   * While a started worker rests longer than this (a `pollInterval` raised once `notify` wakes it
   * for its own events), it checks its partitions every `rebalanceInterval` ms without running a
   * pass: it takes those a worker that died left (and runs a pass on them at once), and gives back
   * its surplus to a worker that joined. One query while nothing changed. In ms; default 1000, at
   * most 2,147,483,647. Not after a failed pass: that waits `pollInterval`.
   */
  readonly rebalanceInterval?: number;
  /**
   * With `start()` and an `error` listener: failed passes in a row after which the worker gives up
   * (stops, and `stopped` rejects). Default: unlimited (a database outage is waited out). Without
   * an `error` listener the worker always stops at the first failure.
   */
  readonly maxConsecutiveFailures?: number;
  /**
   * Customers whose evaluation the worker keeps (engine, policy states, the events folded), so a
   * customer touched again costs the events appended since rather than its whole stream; least
   * recently used beyond this are dropped. Default 1000; 0 keeps none. The rows written are the
   * same either way. Memory: about 25 KB per customer plus 1 KB per event of its stream with the
   * built-in policies (see README).
   */
  readonly cacheSize?: number;
  /**
   * The most events the cached customers' streams may hold together (least recently used customers
   * are dropped beyond it; a customer with more events alone is not kept), which bounds the cache's
   * memory whatever the streams' length. Default 100,000 (about 100 MB with the built-in policies).
   */
  readonly cacheEvents?: number;
  /**
   * How long a customer this worker saw fail (a ProjectionError, recorded in `projection_failures`)
   * is left alone before the worker evaluates it again, in ms of `clock`; a new event of the
   * customer retries it at once. A retry that fails again waits another interval. So a cause that
   * goes away without a new event (an upcaster registered on the store, a transient failure, a
   * policy that reads reloaded settings) clears without restarting the worker. No query of its
   * own: the failures due come with the due wake times. Default 300,000 (5 minutes); `Infinity`
   * never retries by time.
   */
  readonly retryFailedAfterMs?: number;
  /** Called inside each batch's transaction just before commit; throwing aborts the batch (tests). */
  readonly beforeCommit?: (batch: BatchReport) => void | Promise<void>;
  /**
   * The plugins `loadConfigFileWithPlugins` loaded, so that what it returns can be passed whole
   * (`new ProjectionWorker(store, { ...loaded, partitions })`), as to the Engine. It installs
   * nothing: `policies` must hold every plugin's policies; one missing is a UsageError.
   */
  readonly plugins?: readonly LoadedPlugin[];
}

/** What one batch of one partition did. */
export interface BatchReport {
  readonly partition: number;
  /** Events read from the global order. */
  readonly events: number;
  /** Customers whose wake time fell due. */
  readonly wakes: number;
  /** Customers re-evaluated (events and wake-ups together), failed ones included. */
  readonly customers: readonly string[];
  /**
   * Customers of `customers` that could not be evaluated (ProjectionError): their rows were left as
   * they were, and their failure recorded in `projection_failures`.
   */
  readonly failed: readonly string[];
  /** Checkpoint before the batch. */
  readonly from: GlobalCursor;
  /** Checkpoint after the batch. */
  readonly checkpoint: GlobalCursor;
}

export interface RunReport {
  readonly partitions: readonly number[];
  readonly batches: readonly BatchReport[];
}

export type ProjectionWorkerEvents = {
  batch: (report: BatchReport) => void;
  /**
   * A customer could not be evaluated from its events (its stream breaks the rules, a policy
   * threw): emitted once its batch committed without it, the failure recorded in
   * `projection_failures`. Not a failed pass: the worker goes on.
   */
  customerFailed: (error: ProjectionError) => void;
  /**
   * A pass failed. Started with `start()`, the worker retries while someone listens to this event
   * (up to `maxConsecutiveFailures`); with no listener it stops, and `stopped` rejects.
   */
  error: (error: unknown) => void;
};
