import type { BatchReport, ProjectionWorker, SqlClient, SqlSession } from '../../../src/postgres.js';

/** One turn of the event loop: what a resolved promise set going without I/O has run by then. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The next `batch` the worker reports. */
export const nextBatch = (worker: ProjectionWorker): Promise<BatchReport> => new Promise((resolve) => worker.once('batch', resolve));

/**
 * Counts a worker's passes (its loop calls `runOnce`), and tells when one found nothing to do: the
 * worker then rests (after `turn()`), for `pollInterval` unless something wakes it.
 */
export function passes(worker: ProjectionWorker): { readonly count: number; idle(): Promise<void> } {
  const runOnce = worker.runOnce.bind(worker);
  let count = 0;
  const idle: (() => void)[] = [];
  worker.runOnce = async () => {
    count++;
    const report = await runOnce();
    if (report.batches.length === 0) for (const resolve of idle.splice(0)) resolve();
    return report;
  };
  return {
    get count() {
      return count;
    },
    idle: () => new Promise<void>((resolve) => idle.push(resolve)).then(turn),
  };
}

/**
 * A client whose sessions report what they hear: `heard()` resolves with the next payload, after
 * the listener (the worker) has been given it; `deaf` drops notifications as a dead connection
 * would; `lose(error)` tells the listening session's owner its connection died; `listens` counts
 * LISTENs.
 */
export interface Observed {
  readonly client: SqlClient;
  readonly listens: number;
  deaf: boolean;
  heard(): Promise<string>;
  lose(error: Error): void;
}

export function observed(client: SqlClient): Observed {
  const waiting: ((payload: string) => void)[] = [];
  let lost: ((error: Error) => void) | undefined;
  let listens = 0;
  const state: Observed = {
    client: withSessions(client, (session) => {
      const listen = session.listen?.bind(session);
      const wrapped: SqlSession = {
        ...session,
        ...(listen === undefined
          ? {}
          : {
              listen: async (channel: string, onNotice: (payload: string) => void, onLost: (error: unknown) => void) => {
                listens++;
                lost = onLost;
                await listen(
                  channel,
                  (payload) => {
                    if (state.deaf) return;
                    onNotice(payload);
                    for (const resolve of waiting.splice(0)) resolve(payload);
                  },
                  onLost,
                );
              },
            }),
      };
      return wrapped;
    }),
    get listens() {
      return listens;
    },
    deaf: false,
    heard: () => new Promise((resolve) => waiting.push(resolve)),
    lose: (error) => lost?.(error),
  };
  return state;
}

/** Start a worker and wait until its first pass found nothing to do (it rests, for `pollInterval` unless woken): its pass counter. */
export async function startResting(worker: ProjectionWorker): Promise<ReturnType<typeof passes>> {
  const count = passes(worker);
  const resting = count.idle();
  worker.start();
  await resting;
  return count;
}

/** `client` with each session it opens (the lock and listening connections) passed through `wrap`: a test's view of them. */
export function withSessions(client: SqlClient, wrap: (session: SqlSession) => SqlSession): SqlClient {
  return {
    kind: client.kind,
    copyFrom: client.copyFrom,
    query: (text, params, name) => client.query(text, params, name),
    exec: (script) => client.exec(script),
    transaction: (work) => client.transaction(work),
    close: () => client.close(),
    session: async () => wrap(await client.session()),
  };
}
