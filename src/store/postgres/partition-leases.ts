import { HeedError } from '../../errors.js';
import type { SqlClient, SqlSession } from './sql-client.js';

/** What the lock session listens for (a started worker's wake-ups): see `listenFor`. */
export interface LeaseNotices {
  readonly channel: string;
  onNotice(payload: string): void;
  /** The session died while held: its locks and its LISTEN are gone; the next rebalance opens a new one. */
  onLost(error: unknown): void;
}

/** Fresh member ids tried before joining fails (each collision is ~1 in 2^31: more means something is wrong). */
const JOIN_ATTEMPTS = 8;

/**
 * Which partitions of the customer space this worker owns. Ownership is a session-level advisory
 * lock per partition on a connection the worker keeps: PostgreSQL grants each lock to one session
 * at a time and drops it when that session ends, so a worker that dies (process killed, connection
 * lost) frees its partitions for the others without any timeout or heartbeat table.
 *
 * Workers also hold one "member" lock each, so every worker can count the live workers in
 * `pg_locks` and aim for a fair share: ceil(partitions / workers). A worker above its share gives
 * partitions back between batches; one below takes free ones.
 *
 * Nothing here waits on a lock: every lock is tried (`pg_try_advisory_lock`), so a busy lock never
 * blocks a worker or its `stop()`. A member id already held by another session (two ids drawn
 * alike) is replaced by a fresh one rather than waited for.
 *
 * PGlite has one session per database: locks taken there never exclude each other, so run one
 * worker per PGlite database.
 */
export class PartitionLeases {
  readonly partitions: number;
  readonly #client: SqlClient;
  readonly #namespace: string;
  readonly #ownerKey: number;
  readonly #memberKey: number;
  #memberId: number;
  #session: SqlSession | undefined;
  readonly #owned = new Set<number>();
  #notices: LeaseNotices | undefined;
  /** The session that listens for `#notices`, if any. */
  #listening: SqlSession | undefined;

  constructor(client: SqlClient, namespace: string, partitions: number) {
    this.#client = client;
    this.#namespace = namespace;
    this.partitions = partitions;
    this.#ownerKey = positiveHash(`heed.partition:${namespace}`);
    this.#memberKey = positiveHash(`heed.member:${namespace}`);
    this.#memberId = freshMemberId();
  }

  /** Partitions owned now, ascending. */
  owned(): number[] {
    return [...this.#owned].sort((a, b) => a - b);
  }

  owns(partition: number): boolean {
    return this.#owned.has(partition);
  }

  /**
   * LISTEN for `notices` on the lock session from the next rebalance on, or (undefined) no more
   * once the session is released. The session is reused rather than a connection of its own
   * held: it runs a few short queries per pass and no transaction, so a notification is never
   * held back behind one, and it dies with the locks, which a worker must notice anyway.
   */
  listenFor(notices: LeaseNotices | undefined): void {
    this.#notices = notices;
  }

  /** Join (first call), then move toward a fair share. Returns the partitions owned. */
  async rebalance(maxOwned?: number): Promise<number[]> {
    const session = await this.#open();
    try {
      await this.#listen(session);
      // PGlite: one session for the whole process, so counting lock holders means nothing; the
      // worker there is alone by definition and takes every partition. On a server, one query
      // counts the workers and lists the partitions some session holds, so that a worker checking
      // its share while it rests (rebalanceInterval) costs that query alone unless a partition is free.
      const [row] = this.#client.kind === 'pglite' ? [{ n: 1, held: [] }] : await session.query<{ n: number; held: number[] }>(
        `with locks as (select classid, objid from pg_locks
                         where locktype = 'advisory' and granted and objsubid = 2
                           and database = (select oid from pg_database where datname = current_database()))
         select (select count(distinct objid) from locks where classid = $1::int8::oid)::int as n,
                array(select objid::int8::int4 from locks where classid = $2::int8::oid) as held`,
        [this.#memberKey, this.#ownerKey],
      );
      const members = Math.max(1, Number(row?.n ?? 1));
      const held = new Set((row?.held ?? []).map(Number));
      const share = Math.min(maxOwned ?? this.partitions, Math.ceil(this.partitions / members));
      for (const partition of this.owned().reverse()) {
        if (this.#owned.size <= share) break;
        await session.query('select pg_advisory_unlock($1::int4, $2::int4)', [this.#ownerKey, partition]);
        this.#owned.delete(partition);
      }
      // Start at a member-specific offset so workers joining together do not all try partition 0
      // first. A partition held elsewhere is not tried (the lock would be refused): one freed since
      // the query is taken at the next rebalance.
      for (let i = 0; i < this.partitions && this.#owned.size < share; i++) {
        const partition = (this.#memberId + i) % this.partitions;
        if (this.#owned.has(partition) || held.has(partition)) continue;
        const [lock] = await session.query<{ ok: boolean }>('select pg_try_advisory_lock($1::int4, $2::int4) as ok', [this.#ownerKey, partition]);
        if (lock?.ok === true) this.#owned.add(partition);
      }
      return this.owned();
    } catch (error) {
      await this.#drop(error);
      throw error;
    }
  }

  /**
   * Rebalance, and say whether a partition was taken that was not owned before (freed by a worker
   * that died or left): the resting worker's check (rebalanceInterval), which then runs a pass.
   */
  async rebalanceTook(maxOwned?: number): Promise<boolean> {
    const before = new Set(this.#owned);
    return (await this.rebalance(maxOwned)).some((partition) => !before.has(partition));
  }

  /** Give every partition back and leave (a clean stop). */
  async release(): Promise<void> {
    const session = this.#session;
    if (session === undefined) return;
    try {
      await session.query('select pg_advisory_unlock_all()');
      await session.release();
    } catch (error) {
      await session.release(error).catch(() => undefined);
    }
    this.#session = undefined;
    this.#listening = undefined;
    this.#owned.clear();
  }

  /** Forget the session without unlocking: what a crash looks like to the others (for tests). */
  async abandon(): Promise<void> {
    await this.#drop(new Error('abandoned'));
  }

  async #open(): Promise<SqlSession> {
    if (this.#session !== undefined) return this.#session;
    const session = await this.#client.session();
    try {
      for (let attempt = 1; ; attempt++) {
        const [lock] = await session.query<{ ok: boolean }>('select pg_try_advisory_lock($1::int4, $2::int4) as ok', [this.#memberKey, this.#memberId]);
        if (lock?.ok === true) break;
        if (attempt === JOIN_ATTEMPTS) {
          throw new HeedError('HEED_WORKER_JOIN', `could not join the workers of "${this.#namespace}": ${JOIN_ATTEMPTS} member ids in a row were already held by other sessions`);
        }
        this.#memberId = freshMemberId();
      }
    } catch (error) {
      await session.release(error).catch(() => undefined);
      throw error;
    }
    this.#session = session;
    return session;
  }

  async #listen(session: SqlSession): Promise<void> {
    const notices = this.#notices;
    if (notices === undefined || this.#listening === session || session.listen === undefined) return;
    await session.listen(notices.channel, (payload) => notices.onNotice(payload), (error) => {
      if (this.#session !== session) return; // released, or replaced after a failed query
      void this.#drop(error);
      notices.onLost(error);
    });
    this.#listening = session;
  }

  /** The session failed: its locks are gone with it (or will be when the server notices). */
  async #drop(error: unknown): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    this.#listening = undefined;
    this.#owned.clear();
    await session?.release(error).catch(() => undefined);
  }
}

/** A random member id: a 31-bit key from a v4 UUID (crypto-random, unlike Math.random). */
function freshMemberId(): number {
  return positiveHash(globalThis.crypto.randomUUID());
}

/** A non-negative 31-bit key from a string (FNV-1a), stable across processes and platforms. */
export function positiveHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) & 0x7fffffff;
}

/** SQL expression for a customer's partition; the same function decides ownership everywhere. */
export function partitionOf(column: string, partitionsParam: string): string {
  return `((hashtext(${column}) & 2147483647) % ${partitionsParam})`;
}
