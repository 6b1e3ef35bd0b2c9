import { EventEmitter } from 'eventemitter3';
import { UsageError } from '../../errors.js';
import { builtinPolicies } from '../../policies/builtin.js';
import { checkPluginsOption } from '../../config/plugins-option.js';
import { evaluationSetup, ProjectionError, type CustomerView } from './customer-view.js';
import { EvaluationCache } from './evaluation-cache.js';
import { FailureHolds } from './failure-holds.js';
import { readGlobal, type GlobalCursor } from './global-order.js';
import { prepareCheckpoints } from './projection-checkpoints.js';
import { noticeChannel, noticePartition } from './event-notices.js';
import { quoteIdent } from './migrations.js';
import { PartitionLeases, partitionOf } from './partition-leases.js';
import { workerSettings } from './projection-worker-options.js';
import { checkRetryIds, requestRetries, writeFailures } from './projection-failures.js';
import type { PostgresEventStore } from './postgres-event-store.js';
import { writeCustomerViews } from './read-models.js';
import { touchedCustomers } from './touched-customers.js';
import { WorkerWakeups, type RestCheck } from './worker-wakeups.js';
import type { BatchReport, ProjectionWorkerEvents, ProjectionWorkerOptions, RunReport } from './projection-worker-types.js';

export type { BatchReport, ProjectionWorkerEvents, ProjectionWorkerOptions, RunReport } from './projection-worker-types.js';

const PROJECTION = 'findings';

/**
 * The async projection: reads the store's events in global order from a checkpoint per partition,
 * re-evaluates each affected customer with the engine's policies, and writes findings, summaries
 * and the next wake time in the same transaction that moves the checkpoint. Customers whose wake
 * time has come (a promise falls due while nobody writes) are re-evaluated too, so what fell due
 * while every worker was down is found on the next pass. A customer evaluated before is continued
 * from the worker's cached evaluation (EvaluationCache): only the events appended since are read
 * and folded, and the rows are the same as from its whole stream.
 *
 * A customer that cannot be evaluated (ProjectionError: its events or the policies, not the
 * database) does not hold its partition back: the batch commits for the others, the customer's
 * rows stay those of its last good evaluation, and its failure is recorded in `projection_failures`
 * until an evaluation of it succeeds again: at its next event, `retryFailedAfterMs` after it failed,
 * after `retryFailed()` on any worker (by the owner of its partition), or on the first passes of a
 * worker that has not seen it fail. The evaluation
 * cache keeps no failed evaluation.
 *
 * Exactly-once effect: a batch either commits (rows and checkpoint together) or leaves nothing; a
 * re-run of it writes identical rows, because a customer's rows are a function of its stream and
 * the clock, set as a whole (writeCustomerViews). A checkpoint that moved under us (another owner) aborts the batch.
 */
export class ProjectionWorker extends EventEmitter<ProjectionWorkerEvents> {
  readonly store: PostgresEventStore;
  readonly partitions: number;
  readonly #evaluations: EvaluationCache;
  readonly #leases: PartitionLeases;
  readonly #batchSize: number;
  readonly #maxPartitions: number | undefined;
  readonly #clock: () => number;
  readonly #pollInterval: number;
  readonly #leaseCheck: RestCheck;
  readonly #beforeCommit: ProjectionWorkerOptions['beforeCommit'];
  readonly #maxFailures: number;
  readonly #retryAfter: number;
  readonly #s: string;
  #loop: Promise<void> | undefined;
  #stopped: Promise<void> = Promise.resolve();
  #stopping = false;
  readonly #wakeups = new WorkerWakeups();
  #prepared = false;
  /** Customers this worker saw fail and holds back from retries for a while. */
  readonly #holds = new FailureHolds();

  constructor(store: PostgresEventStore, options: ProjectionWorkerOptions = {}) {
    super();
    this.store = store;
    const o = workerSettings(options);
    this.partitions = o.partitions;
    this.#batchSize = o.batchSize;
    this.#maxPartitions = o.maxPartitions;
    this.#pollInterval = o.pollInterval;
    this.#clock = o.clock;
    this.#beforeCommit = o.beforeCommit;
    this.#maxFailures = o.maxConsecutiveFailures;
    this.#retryAfter = o.retryFailedAfterMs;
    const limits = { customers: o.cacheSize, events: o.cacheEvents };
    const setup = evaluationSetup(o.policies ?? builtinPolicies, o.config);
    if (o.plugins !== undefined) checkPluginsOption('ProjectionWorker', o.plugins, setup.policies);
    this.#evaluations = new EvaluationCache(store, setup, limits, () => store.upcasters.generation);
    this.#s = quoteIdent(store.schema);
    this.#leases = new PartitionLeases(store.client, `${store.schema}:${PROJECTION}`, this.partitions);
    // A check that fails lost the lock session: reported, and a pass run at once on a new one.
    const run = () => this.#leases.rebalanceTook(this.#maxPartitions).catch((error: unknown) => (this.#wakeups.lost(error), true));
    this.#leaseCheck = { every: o.rebalanceInterval, run };
  }

  /** Partitions this worker owns now. */
  owned(): number[] {
    return this.#leases.owned();
  }

  /** One pass: take a fair share of partitions, then one batch for each owned partition. */
  async runOnce(): Promise<RunReport> {
    await this.#prepare();
    const partitions = await this.#leases.rebalance(this.#maxPartitions);
    const batches: BatchReport[] = [];
    for (const partition of partitions) {
      const done = await this.#batch(partition);
      if (done !== undefined) {
        batches.push(done.report);
        for (const failure of done.failures) this.emit('customerFailed', failure);
        this.emit('batch', done.report);
      }
    }
    return { partitions, batches };
  }

  /**
   * Marks the failures recorded in `projection_failures` (of `customerIds`, or all of them) as due
   * for a retry, without waiting for `retryFailedAfterMs` or a new event: call it once their cause
   * is fixed, on any worker of the store (one that never ran a pass will do). Each is retried on
   * the next pass of the worker that owns its partition, this one or another (a started worker
   * polls: within `pollInterval`, sooner if notified); no worker touches a partition it does not
   * own. This worker, if started and resting, runs that pass at once. One that evaluates has its failure row deleted in
   * its batch; one that fails again is held for another interval. Resolves to the number of
   * failures marked (ids without a failure row are ignored).
   */
  async retryFailed(customerIds?: readonly string[]): Promise<number> {
    checkRetryIds(customerIds);
    await this.#prepare();
    const marked = await requestRetries(this.store.client, this.#s, customerIds);
    // A batch of this worker running now may be about to record a failure of these customers for
    // the first time (no row to mark yet): it will not hold them.
    this.#holds.requested();
    this.#wakeups.nudge();
    return marked;
  }

  /** Passes until a pass finds nothing to do. Returns every batch processed. */
  async runUntilIdle(maxPasses = 10_000): Promise<BatchReport[]> {
    const all: BatchReport[] = [];
    for (let pass = 0; pass < maxPasses; pass++) {
      const { batches } = await this.runOnce();
      if (batches.length === 0) return all;
      all.push(...batches);
    }
    throw new UsageError(`runUntilIdle: still busy after ${maxPasses} passes`, { path: 'maxPasses', rule: 'too-small' });
  }

  /**
   * Run in the background until `stop()`: a pass, then (when idle) `pollInterval` of rest, cut
   * short when a store with `notify` commits an event of a partition this worker owns (its lock
   * connection LISTENs; worker-wakeups.ts), or when the check of its partitions every
   * `rebalanceInterval` of the rest takes one (a worker died). A failed pass is emitted as `error` and retried after
   * `pollInterval` while an `error` listener is attached (up to `maxConsecutiveFailures` in a row);
   * so is the loss of the lock connection, but retried at once (on a new connection, so
   * notifications are heard again). With no listener, the first failure stops the worker:
   * eventemitter3 drops an unlistened `error` silently, and a worker retrying a broken pass forever
   * unseen is worse than one that stops. A worker stopped by a failure gives its partitions back
   * and `stopped` rejects with the error.
   */
  start(): this {
    if (this.#loop !== undefined) return this;
    this.#stopping = false;
    this.#leases.listenFor({
      channel: noticeChannel(this.store.schema),
      onNotice: (payload) => {
        const partition = noticePartition(payload, this.partitions);
        if (partition === undefined || this.#leases.owns(partition)) this.#wakeups.nudge();
      },
      onLost: (error) => this.#wakeups.lost(error),
    });
    const loop = this.#run();
    this.#loop = loop.then(() => undefined, () => undefined);
    this.#stopped = loop.finally(() => {
      if (this.#loop !== undefined && !this.#stopping) this.#loop = undefined;
    });
    return this;
  }

  /**
   * Settles when the worker started by `start()` stops: resolves after `stop()`, rejects with the
   * error that stopped it otherwise. Nobody awaiting it makes that an unhandled rejection, which
   * ends a Node process by default: a dead worker is never silent.
   */
  get stopped(): Promise<void> {
    return this.#stopped;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      this.#wakeups.passBegins();
      let idle = true;
      try {
        const lost = this.#wakeups.takeLost();
        if (lost !== undefined) {
          this.#wakeups.nudge(); // a failure, but the retry runs at once: on a new connection, heard again
          throw lost.error;
        }
        idle = (await this.runOnce()).batches.length === 0;
        failures = 0;
      } catch (error) {
        this.#wakeups.takeLost(); // the lock connection lost during a pass that failed: one failure
        failures++;
        const listened = this.listenerCount('error') > 0;
        this.emit('error', error);
        if (!listened || failures >= this.#maxFailures) {
          this.#leases.listenFor(undefined);
          await this.#leases.release();
          throw error;
        }
      }
      if (idle && !this.#stopping) await this.#wakeups.rest(this.#pollInterval, failures === 0 ? this.#leaseCheck : undefined);
    }
  }

  /** Finish the current batch, give the partitions back (UNLISTEN, the lock connection released), and stop. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#leases.listenFor(undefined);
    this.#wakeups.nudge();
    await this.#loop;
    this.#loop = undefined;
    await this.#leases.release();
  }

  /** Drop the lock session without unlocking, as a crashed process would (for tests of take-over). */
  async crash(): Promise<void> {
    this.#stopping = true;
    this.#leases.listenFor(undefined);
    this.#wakeups.nudge();
    await this.#loop?.catch(() => undefined);
    await this.#leases.abandon();
  }

  async #prepare(): Promise<void> {
    if (this.#prepared) return;
    await this.store.migrate();
    await prepareCheckpoints(this.store, PROJECTION, this.partitions);
    this.#prepared = true;
  }

  async #batch(partition: number): Promise<{ report: BatchReport; failures: ProjectionError[] } | undefined> {
    const { client } = this.store;
    const s = this.#s;
    const now = this.#clock();
    const generation = this.#holds.generation;
    const [row] = await client.query<{ transaction_id: string; global_position: number }>(
      `select transaction_id::text as transaction_id, global_position::float8 as global_position from ${s}.checkpoints where projection = $1 and partition = $2`,
      [PROJECTION, partition],
    );
    const from: GlobalCursor = { transactionId: row?.transaction_id ?? '0', position: Number(row?.global_position ?? 0) };
    const events = await readGlobal(client, s, from, this.#batchSize, `and ${partitionOf('e.customer_id', '$4')} = $5`, [this.partitions, partition]);
    // Customers to look at without a new event (due wake times, failures to retry), and the retry
    // counts of the failures of those with events: touched-customers.ts.
    const eventCustomers = [...new Set(events.map((e) => e.customer_id))];
    const scope = { schema: s, partitions: this.partitions, partition, now, limit: this.#batchSize };
    const touched = await touchedCustomers(client, scope, this.#holds.held(now), eventCustomers);
    const due = touched.filter((t) => t.why === 'wake');
    const toRetry = touched.filter((t) => t.why !== 'known');
    if (events.length === 0 && toRetry.length === 0) return undefined;
    // A customer without a failure row (or one past the query's limit) counts 0: at worst, retried once more.
    const requestsBefore = new Map(touched.filter((t) => t.why !== 'wake').map((t) => [t.customer_id, Number(t.requests)]));

    const customers = [...new Set([...eventCustomers, ...toRetry.map((d) => d.customer_id)])];
    const views: CustomerView[] = [];
    const failures: ProjectionError[] = [];
    for (const customerId of customers) {
      try {
        views.push(await this.#evaluations.evaluate(customerId, now));
      } catch (error) {
        // Only a failure of the customer's own evaluation is isolated; anything else (a read failed,
        // the connection went) fails the batch, to be retried as a whole.
        if (!(error instanceof ProjectionError) || error.customerId !== customerId) throw error;
        failures.push(error);
      }
    }
    const last = events.at(-1);
    const to: GlobalCursor = last === undefined ? from : { transactionId: last.transaction_id, position: Number(last.global_position) };
    const failed = failures.map((f) => f.customerId);
    const report: BatchReport = { partition, from, events: events.length, wakes: due.length, customers, failed, checkpoint: to };

    await client.transaction(async (tx) => {
      // Compare-and-set: if another worker moved this checkpoint (we lost the partition without
      // noticing), nothing of ours is written.
      const moved = await tx.query(
        `update ${s}.checkpoints set transaction_id = $3::xid8, global_position = $4, updated_at = now()
          where projection = $1 and partition = $2 and transaction_id = $5::xid8 and global_position = $6
          returning 1`,
        [PROJECTION, partition, to.transactionId, to.position, from.transactionId, from.position],
      );
      if (moved.length !== 1) throw new UsageError(`partition ${partition} of schema "${this.store.schema}" was advanced by another worker; batch abandoned`);
      await writeCustomerViews(tx, s, views);
      await writeFailures(tx, s, failures);
      await this.#beforeCommit?.(report);
    });
    this.#holds.recovered(views.map((view) => view.customerId));
    this.#holds.hold(failed, now + this.#retryAfter, requestsBefore, generation);
    return { report, failures };
  }
}
