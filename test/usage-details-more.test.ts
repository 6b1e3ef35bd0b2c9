import { describe, expect, it } from 'vitest';
import { definePolicy, durationOption, Engine, PolicyError, renderReport, UsageError } from '../src/index.js';
import { openPGlite, pgClient, PostgresEventStore, ProjectionWorker, type PgPoolLike } from '../src/postgres.js';
import { OneShotStore } from '../src/cli/one-shot-store.js';
import { importPluginPolicies } from '../src/config/load-plugins.js';
import { parseDuration } from '../src/time/duration.js';
import { journeys, policies } from './store/postgres/projection-fixtures.js';
import { caught, rejected, details } from './usage-error-helpers.js';

/**
 * More of usage-details.test.ts: the UsageErrors that were text only (the report's events, the
 * CLI's one-shot store, a value returned by evolve or tick, duration options, a worker thread's
 * plugin import, the ProjectionWorker's runUntilIdle and partitions, copyFrom's executor) carry
 * `path` and `rule` (and `customerId` where a stream is named), the message unchanged.
 */
describe('renderReport: an event with no time', () => {
  const engine = new Engine();
  const snapshot = engine.snapshot();
  const stored = { id: 'e1', customerId: 'c', type: 'MatterOpened', at: '2024-01-02T09:00:00Z', time: Date.parse('2024-01-02T09:00:00Z'), data: { matterId: 'm' } };
  const render = (events: unknown[]) => () => renderReport({ snapshot, events: events as never, calendar: engine.calendar });

  it('an input event (no time): path events[i].time, rule required', () => {
    const { time: _, ...input } = stored;
    const e = caught(render([stored, input]));
    expect(e.message).toMatch(/^renderReport: events\[1\] \(id "e1"\) has no time \(epoch ms\): pass the stored events/);
    expect(details(e)).toEqual({ path: 'events[1].time', rule: 'required', customerId: undefined });
  });

  it.each([['2024-01-02T09:00:00Z'], [Number.NaN]])('a time that is no finite number (%j): rule invalid-type', (time) => {
    expect(details(caught(render([{ ...stored, time }])))).toEqual({ path: 'events[0].time', rule: 'invalid-type', customerId: undefined });
  });

  it('an entry that is no event: path events[i], rule invalid-type', () => {
    const e = caught(render([null]));
    expect(e.message).toMatch(/^renderReport: events\[0\] has no time/);
    expect(details(e)).toEqual({ path: 'events[0]', rule: 'invalid-type', customerId: undefined });
  });
});

describe("the CLI's one-shot replay store", () => {
  const event = { customerId: 'a', type: 'Note', at: '2024-01-01T00:00:00Z', time: Date.parse('2024-01-01T00:00:00Z'), data: { text: 'x' } };
  it('a stream appended to twice: path customerId, rule duplicate, the stream', async () => {
    const store = new OneShotStore();
    await store.append('a', [event]);
    const e = await rejected(() => store.append('a', [event]));
    expect(e.message).toBe('customer "a": a one-shot replay takes each stream in one batch and keeps no events, so it cannot be appended to twice');
    expect(details(e)).toEqual({ path: 'customerId', rule: 'duplicate', customerId: 'a' });
  });

  it('a stream read back: path customerId and the stream (no rule names a store that keeps nothing)', async () => {
    const store = new OneShotStore();
    await store.append('a', [event]);
    expect(details(await rejected(() => store.readStream('a')))).toEqual({ path: 'customerId', rule: undefined, customerId: 'a' });
    expect(details(await rejected(() => store.readByIds('a', ['a:1'])))).toEqual({ path: 'customerId', rule: undefined, customerId: 'a' });
  });
});

describe('a value returned by evolve or tick', () => {
  it("the PolicyError's cause is a UsageError: path evolve or tick, rule invalid-type, the customer", async () => {
    const returning = definePolicy({
      name: 'returning',
      kinds: ['returning.x'],
      initialState: () => ({ count: 0 }),
      // @ts-expect-error evolve returns nothing (here it is the run time)
      evolve(state) {
        return { count: state.count + 1 };
      },
    });
    const ticking = definePolicy({
      name: 'ticking',
      kinds: ['ticking.x'],
      initialState: () => ({}),
      evolve(_state, _event, ctx) {
        ctx.wakeAt(ctx.now + 1000);
      },
      // @ts-expect-error tick returns nothing (here it is the run time)
      tick: (state) => state,
    });
    const event = { customerId: 'c', type: 'MatterOpened', at: '2024-01-01T09:00:00Z', data: { matterId: 'm' } };
    const evolved = await new Engine({ policies: [returning] }).record(event).catch((e: unknown) => e);
    expect(evolved).toBeInstanceOf(PolicyError);
    const cause = (evolved as PolicyError).cause as UsageError;
    expect(cause).toBeInstanceOf(UsageError);
    expect(cause.message).toMatch(/^evolve returned a value; change the draft instead/);
    expect(details(cause)).toEqual({ path: 'evolve', rule: 'invalid-type', customerId: 'c' });

    const engine = new Engine({ policies: [ticking] });
    await engine.record(event);
    const ticked = await engine.advanceTo('2024-01-02').catch((e: unknown) => e);
    expect(details((ticked as PolicyError).cause as UsageError)).toEqual({ path: 'tick', rule: 'invalid-type', customerId: 'c' });
  });
});

describe('durations', () => {
  it('durationOption with a default that is no duration: path defaultText; invalid-format, duration for a misplaced fraction, invalid-type for no string', () => {
    const e = caught(() => durationOption('2 days'));
    expect(e.message).toBe('durationOption: default "2 days" is not an ISO-8601 duration');
    expect(details(e)).toEqual({ path: 'defaultText', rule: 'invalid-format', customerId: undefined });
    expect(details(caught(() => durationOption('PT1.5H30M')))).toEqual({ path: 'defaultText', rule: 'duration', customerId: undefined });
    expect(details(caught(() => durationOption(7 as never)))).toEqual({ path: 'defaultText', rule: 'invalid-type', customerId: undefined });
  });
});

describe("a worker thread's plugin import (importPluginPolicies)", () => {
  const moduleOf = (source: string) => `data:text/javascript,${encodeURIComponent(source)}`;
  it('a module that now exports no policy: path url, rule plugin-no-policies; something else: plugin-not-a-policy', async () => {
    const none = await rejected(() => importPluginPolicies(moduleOf('export const x = 1;')));
    expect(none.message).toMatch(/exports no policies/);
    expect(details(none)).toEqual({ path: 'url', rule: 'plugin-no-policies', customerId: undefined });
    const plain = await rejected(() => importPluginPolicies(moduleOf('export default { name: "p" };')));
    expect(plain.message).toMatch(/is not a policy made with definePolicy/);
    expect(details(plain)).toEqual({ path: 'url', rule: 'plugin-not-a-policy', customerId: undefined });
  });
});

describe('the ProjectionWorker', () => {
  it('runUntilIdle still busy after maxPasses: path maxPasses, rule too-small', async () => {
    const client = await openPGlite();
    try {
      const store = new PostgresEventStore(client, { schema: 'details_busy' });
      await new Engine({ policies, store }).record(journeys(4));
      const worker = new ProjectionWorker(store, { policies, partitions: 1, batchSize: 2 });
      const e = await rejected(() => worker.runUntilIdle(1));
      expect(e.message).toBe('runUntilIdle: still busy after 1 passes');
      expect(details(e)).toEqual({ path: 'maxPasses', rule: 'too-small', customerId: undefined });
      await worker.stop();

      // Another partition count than the projection was built with: path partitions, rule invalid-value.
      const other = new ProjectionWorker(store, { policies, partitions: 3 });
      const built = await rejected(() => other.runOnce());
      expect(built.message).toMatch(/^ProjectionWorker: option "partitions": this projection was built with 1 partitions/);
      expect(details(built)).toEqual({ path: 'partitions', rule: 'invalid-value', customerId: undefined });
      await other.stop();
    } finally {
      await client.close();
    }
  });
});

describe("a pg client's copyFrom", () => {
  it('an executor not given by transaction: path tx, rule invalid-value', async () => {
    const pool = { query: async () => ({ rows: [] }), connect: async () => { throw new Error('no server'); }, end: async () => {} };
    const client = await pgClient(pool as unknown as PgPoolLike);
    const e = await rejected(() => client.copyFrom!({ query: async () => [], exec: async () => {} }, 'copy t from stdin', []));
    expect(e.message).toBe('copyFrom needs the transaction executor given by SqlClient#transaction');
    expect(details(e)).toEqual({ path: 'tx', rule: 'invalid-value', customerId: undefined });
  });
});
