import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { InMemoryEventStore } from '../../src/store/in-memory-store.js';
import { PostgresEventStore } from '../../src/store/postgres/postgres-event-store.js';
import { ProjectionWorker } from '../../src/store/postgres/projection-worker.js';
import type { SqlClient } from '../../src/store/postgres/sql-client.js';

// A wrong option value is shown as describeValue shows it everywhere else: an object or an array
// by its kind (String() printed "[object Object]" and nothing), a BigInt as 7n (not 7, a number).
describe('a wrong option value, as the stores and the worker show it', () => {
  const store = new InMemoryEventStore();
  const event = { customerId: 'c', type: 'X', at: '2024-01-01T00:00:00Z', time: Date.parse('2024-01-01T00:00:00Z'), data: {} };

  it('readStream and readAll', async () => {
    await expect(store.readStream('c', { limit: {} as never })).rejects.toThrow(new UsageError('readStream: option "limit" must be a non-negative integer, got an object', { path: 'limit', rule: 'invalid-type', customerId: 'c' }));
    await expect(store.readAll({ after: 5n as never })).rejects.toThrow(new UsageError('readAll: option "after" must be an integer, got 5n', { path: 'after', rule: 'invalid-type' }));
    await expect(store.readAll({ limit: '5' as never })).rejects.toThrow(new UsageError('readAll: option "limit" must be a non-negative integer, got "5"', { path: 'limit', rule: 'invalid-type' }));
  });

  it('append expectedVersion', async () => {
    await expect(store.append('c', [event], { expectedVersion: [] as never })).rejects.toThrow(
      new UsageError('append to stream "c": option "expectedVersion" must be a stream version (an integer from 0), "any", "no-stream" or "stream-exists", got an array', {
        path: 'expectedVersion',
        rule: 'invalid-union',
        customerId: 'c',
      }),
    );
  });

  it('importEvents batchSize', async () => {
    const pg = new PostgresEventStore({} as SqlClient);
    await expect(pg.importEvents([], { batchSize: {} as never })).rejects.toThrow(new UsageError('importEvents: option "batchSize" must be a positive integer, got an object', { path: 'batchSize', rule: 'invalid-type' }));
  });

  it('importEvents batchSize out of range: the rule a schema would give it', async () => {
    const pg = new PostgresEventStore({} as SqlClient);
    await expect(pg.importEvents([], { batchSize: 0 })).rejects.toThrow(new UsageError('importEvents: option "batchSize" must be a positive integer, got 0', { path: 'batchSize', rule: 'too-small' }));
    await expect(pg.importEvents([], { batchSize: 2.5 })).rejects.toThrow(new UsageError('importEvents: option "batchSize" must be a positive integer, got 2.5', { path: 'batchSize', rule: 'invalid-type' }));
  });

  it('the ProjectionWorker', () => {
    const pg = new PostgresEventStore({} as SqlClient);
    expect(() => new ProjectionWorker(pg, { batchSize: { n: 5 } as never })).toThrow(new UsageError('ProjectionWorker: option "batchSize" must be a positive integer, got an object', { path: 'batchSize', rule: 'invalid-type' }));
    expect(() => new ProjectionWorker(pg, [] as never)).toThrow(new UsageError('ProjectionWorker: options must be an object, got an array', { rule: 'invalid-type' }));
  });

  it('the ProjectionWorker: path and rule of the first problem, as a schema names it', () => {
    const pg = new PostgresEventStore({} as SqlClient);
    const thrown = (options: object): unknown => {
      try {
        new ProjectionWorker(pg, options);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const fields = (options: object) => {
      const error = thrown(options) as UsageError;
      expect(error).toBeInstanceOf(UsageError);
      return { path: error.path, rule: error.rule };
    };
    expect(fields({ batchSize: 0 })).toEqual({ path: 'batchSize', rule: 'too-small' });
    expect(fields({ batchSize: 2.5 })).toEqual({ path: 'batchSize', rule: 'invalid-type' });
    expect(fields({ partitions: 1025 })).toEqual({ path: 'partitions', rule: 'too-big' });
    expect(fields({ pollInterval: 2 ** 31 })).toEqual({ path: 'pollInterval', rule: 'too-big' });
    expect(fields({ pollInterval: -1 })).toEqual({ path: 'pollInterval', rule: 'too-small' });
    expect(fields({ rebalanceInterval: 0 })).toEqual({ path: 'rebalanceInterval', rule: 'too-small' });
    expect(fields({ rebalanceInterval: 2 ** 31 })).toEqual({ path: 'rebalanceInterval', rule: 'too-big' });
    expect(fields({ clock: 5 })).toEqual({ path: 'clock', rule: 'invalid-type' });
    expect(fields({ retryFailedAfterMs: Number.NEGATIVE_INFINITY })).toEqual({ path: 'retryFailedAfterMs', rule: 'invalid-type' });
    expect(fields({ batchsize: 10, pollIntervall: 5 })).toEqual({ path: 'batchsize', rule: 'unknown-field' });
    // Several problems: the message names each, the fields the first.
    const both = thrown({ batchSize: 0, cacheSize: 'x' }) as UsageError;
    expect(both.message).toBe('ProjectionWorker: option "batchSize" must be a positive integer, got 0; ProjectionWorker: option "cacheSize" must be a non-negative integer, got "x"');
    expect({ path: both.path, rule: both.rule }).toEqual({ path: 'batchSize', rule: 'too-small' });
  });
});

describe('a wrong event field, as every store shows it', () => {
  it('the value as describeValue shows it, with an article for a symbol', async () => {
    const store = new InMemoryEventStore();
    const event = { customerId: 'c', type: 'X', at: '2024-01-01T00:00:00Z', time: Symbol('t'), data: {} };
    await expect(store.append('c', [event as never])).rejects.toThrow(/time: must be the event's instant in epoch milliseconds \(its `at` resolved\), got a symbol;/);
    await expect(store.append('c', [{ ...event, time: '2024-01-01' } as never])).rejects.toThrow(/got "2024-01-01";/);
  });
});

describe('ProjectionWorker.retryFailed', () => {
  it('refuses customer ids that are not an array of strings, before it touches the database: a string was spread into one-letter ids', async () => {
    const worker = new ProjectionWorker(new PostgresEventStore({} as SqlClient));
    await expect(worker.retryFailed('cust-1' as never)).rejects.toThrow(
      new UsageError('ProjectionWorker.retryFailed: customerIds must be an array of customer ids when given, got "cust-1"', { path: 'customerIds', rule: 'invalid-type' }),
    );
    await expect(worker.retryFailed(['a', 7] as never)).rejects.toThrow(
      new UsageError('ProjectionWorker.retryFailed: customerIds[1] must be a customer id (a string), got 7', { path: 'customerIds[1]', rule: 'invalid-type' }),
    );
  });
});
