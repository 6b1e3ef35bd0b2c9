import { describe, expect, it } from 'vitest';
import { Engine, InMemoryEventStore, VersionConflictError, type EventStore } from '../../src/index.js';
import { ledger } from '../fixtures/ledger-policy.js';

/**
 * The engine over a store that fails now and then (a connection lost): what it holds of a stream
 * must not fall out of step with the store, or a later batch is checked against the wrong stream.
 */
const opened = (id: string, at: string) => ({ id, customerId: 'a', type: 'MatterOpened', at, data: { matterId: 'm' } });
const resolved = (id: string, at: string) => ({ id, customerId: 'a', type: 'MatterResolved', at, data: { matterId: 'm' } });
const reopened = (id: string, at: string) => ({ id, customerId: 'a', type: 'MatterReopened', at, data: { matterId: 'm' } });
const call = (id: string, at: string) => ({ id, customerId: 'a', type: 'ContactMade', at, data: { direction: 'inbound', channel: 'phone' } });
const promise = (id: string, at: string, dueBy: string) => ({ id, customerId: 'a', type: 'PromiseMade', at, data: { promiseId: 'p', what: 'call back', dueBy } });

/** An in-memory store whose next read of a stream, next append (once written, or before), next `streamVersion` or next `readByIds` throws. */
function flakyStore(): {
  store: EventStore;
  failNextRead: () => void;
  failNextAppendAfterWriting: () => void;
  failNextAppendBeforeWriting: () => void;
  failNextStreamVersion: () => void;
  failNextReadByIds: () => void;
} {
  const inner = new InMemoryEventStore();
  let read = false;
  let append = false;
  let appendBefore = false;
  let version = false;
  let byIds = false;
  const store: EventStore = {
    async append(customerId, events, options) {
      if (appendBefore) {
        appendBefore = false;
        throw new Error('connection lost');
      }
      const result = await inner.append(customerId, events, options);
      if (append) {
        append = false;
        throw new Error('connection lost before the commit was acknowledged');
      }
      return result;
    },
    async readStream(customerId, options) {
      if (read) {
        read = false;
        throw new Error('connection lost');
      }
      return inner.readStream(customerId, options);
    },
    readAll: (options) => inner.readAll(options),
    async readByIds(customerId, ids) {
      if (byIds) {
        byIds = false;
        throw new Error('connection lost');
      }
      return inner.readByIds(customerId, ids);
    },
    async streamVersion(customerId) {
      if (version) {
        version = false;
        throw new Error('connection lost');
      }
      return inner.streamVersion(customerId);
    },
    close: () => inner.close(),
  };
  return {
    store,
    failNextRead: () => void (read = true),
    failNextAppendAfterWriting: () => void (append = true),
    failNextAppendBeforeWriting: () => void (appendBefore = true),
    failNextStreamVersion: () => void (version = true),
    failNextReadByIds: () => void (byIds = true),
  };
}

describe('engine over a store that fails', () => {
  it('a stream whose re-evaluation could not read the store still knows where its stored events end: a later event dated between is checked against the whole stream', async () => {
    const { store, failNextRead } = flakyStore();
    const e = new Engine({ policies: [ledger], store });
    await e.record(opened('a1', '2017-11-20T09:00:00Z'));
    await e.record(promise('a2', '2017-11-20T10:00:00Z', '2017-11-20T12:00:00Z'));
    await e.advanceTo('2017-11-21T00:00:00Z'); // the promise's wake-up at 12:00 is processed
    // An event at the wake-up's instant re-evaluates the stream (events come before wake-ups), whose read fails.
    failNextRead();
    await expect(e.record(resolved('a3', '2017-11-20T12:00:00Z'))).rejects.toThrow('connection lost');
    expect((await store.readStream('a')).map((event) => event.id)).toEqual(['a1', 'a2', 'a3']);
    // At 11:00 the matter was still open: reopening it then is refused, as by an engine fresh over the store.
    const fresh = new Engine({ policies: [ledger], store });
    await fresh.hydrate();
    await expect(fresh.record(reopened('a4', '2017-11-20T11:00:00Z'))).rejects.toMatchObject({ errors: [{ eventId: 'a4', rule: 'matter-not-resolved' }] });
    await expect(e.record(reopened('a4', '2017-11-20T11:00:00Z'))).rejects.toMatchObject({ errors: [{ eventId: 'a4', rule: 'matter-not-resolved' }] });
    expect((await store.readStream('a')).map((event) => event.id)).toEqual(['a1', 'a2', 'a3']);
  });

  /** The engine and a fresh one hydrated from its store, at the same clock: what each knows of customer "a". */
  async function bothViews(e: Engine, store: EventStore, clock: string): Promise<[unknown, unknown]> {
    const fresh = new Engine({ policies: [ledger], store });
    await fresh.hydrate();
    await e.advanceTo(clock);
    await fresh.advanceTo(clock);
    const view = (engine: Engine) => ({ summary: engine.summary('a'), findings: engine.findings(), nextWake: engine.nextWakeAt('a'), customers: engine.customers() });
    return [view(e), view(fresh)];
  }

  it('an append that was written though the store failed to say so: retrying it identically folds the event the engine never saw', async () => {
    const { store, failNextAppendAfterWriting } = flakyStore();
    const e = new Engine({ policies: [ledger], store });
    await e.record(opened('a1', '2017-11-20T09:00:00Z'));
    failNextAppendAfterWriting();
    const made = promise('a2', '2017-11-20T10:00:00Z', '2017-11-21T09:00:00Z');
    await expect(e.record(made)).rejects.toThrow('acknowledged');
    await expect(e.record(made)).resolves.toMatchObject({ appended: 0, duplicates: 1 });
    expect(e.summary('a')).toEqual({ fx: { promises: 1, matters: 1 } });
    expect(e.now).toBe(Date.parse('2017-11-20T10:00:00Z'));
    const [mine, fresh] = await bothViews(e, store, '2017-11-22T00:00:00Z');
    expect(mine).toEqual(fresh);
  });

  it("the same for a customer's first batch: the retry makes the customer known", async () => {
    const { store, failNextAppendAfterWriting } = flakyStore();
    const e = new Engine({ policies: [ledger], store });
    failNextAppendAfterWriting();
    await expect(e.record(opened('a1', '2017-11-20T09:00:00Z'))).rejects.toThrow('acknowledged');
    await expect(e.record(opened('a1', '2017-11-20T09:00:00Z'))).resolves.toMatchObject({ appended: 0, duplicates: 1 });
    expect(e.customers()).toEqual(['a']);
    const [mine, fresh] = await bothViews(e, store, '2017-11-22T00:00:00Z');
    expect(mine).toEqual(fresh);
  });

  it('after an append written though the store failed, the next event is recorded, not refused with a VersionConflictError no other writer caused', async () => {
    for (const first of [true, false]) {
      const { store, failNextAppendAfterWriting } = flakyStore();
      const e = new Engine({ policies: [ledger], store });
      if (!first) await e.record(promise('a0', '2017-11-20T08:00:00Z', '2017-11-21T09:00:00Z'));
      failNextAppendAfterWriting();
      await expect(e.record(opened('a1', '2017-11-20T09:00:00Z'))).rejects.toThrow('acknowledged');
      // Valid whether or not the matter was opened: planned on what the engine holds, it is appended at its version.
      await expect(e.record(call('a2', '2017-11-20T11:00:00Z'))).resolves.toMatchObject({ appended: 1 });
      const [mine, fresh] = await bothViews(e, store, '2017-11-22T00:00:00Z');
      expect(mine).toEqual(fresh);
    }
  });

  it("a new customer's first append failing, and the store then failing to say its version: the next event is recorded, not refused with a VersionConflictError no other writer caused", async () => {
    for (const written of [true, false]) {
      const { store, failNextAppendAfterWriting, failNextAppendBeforeWriting, failNextStreamVersion } = flakyStore();
      const e = new Engine({ policies: [ledger], store });
      if (written) failNextAppendAfterWriting();
      else failNextAppendBeforeWriting();
      failNextStreamVersion();
      await expect(e.record(opened('a1', '2017-11-20T09:00:00Z'))).rejects.toThrow('connection lost');
      // Not listed on a guess: the store may not hold it.
      expect(e.customers()).toEqual([]);
      await expect(e.record(call('a2', '2017-11-20T11:00:00Z'))).resolves.toMatchObject({ appended: 1 });
      expect((await store.readStream('a')).map((event) => event.id)).toEqual(written ? ['a1', 'a2'] : ['a2']);
      const [mine, fresh] = await bothViews(e, store, '2017-11-22T00:00:00Z');
      expect(mine).toEqual(fresh);
    }
  });

  it('a stream to reload whose read fails: the record rejects with the store\'s error, writing nothing, not with a VersionConflictError no other writer caused; the next one reloads it', async () => {
    const { store, failNextRead, failNextAppendAfterWriting } = flakyStore();
    const e = new Engine({ policies: [ledger], store });
    await e.record(opened('a1', '2017-11-20T09:00:00Z'));
    failNextAppendAfterWriting();
    await expect(e.record(promise('a2', '2017-11-20T10:00:00Z', '2017-11-21T09:00:00Z'))).rejects.toThrow('acknowledged');
    failNextRead();
    const error = await e.record(call('a3', '2017-11-20T11:00:00Z')).catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(VersionConflictError);
    expect((error as Error).message).toBe('connection lost');
    expect((await store.readStream('a')).map((event) => event.id)).toEqual(['a1', 'a2']);
    await expect(e.record(call('a3', '2017-11-20T11:00:00Z'))).resolves.toMatchObject({ appended: 1 });
    const [mine, fresh] = await bothViews(e, store, '2017-11-22T00:00:00Z');
    expect(mine).toEqual(fresh);
  });

  it("a new customer's failed append the store could not say was written, and the store failing to say again at its next record: that record rejects with the store's error, not a VersionConflictError", async () => {
    const { store, failNextAppendAfterWriting, failNextStreamVersion } = flakyStore();
    const e = new Engine({ policies: [ledger], store });
    failNextAppendAfterWriting();
    failNextStreamVersion();
    await expect(e.record(opened('a1', '2017-11-20T09:00:00Z'))).rejects.toThrow('acknowledged');
    failNextStreamVersion();
    const error = await e.record(call('a2', '2017-11-20T11:00:00Z')).catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(VersionConflictError);
    expect((error as Error).message).toBe('connection lost');
    expect(e.customers()).toEqual([]);
    await expect(e.record(call('a2', '2017-11-20T11:00:00Z'))).resolves.toMatchObject({ appended: 1 });
    const [mine, fresh] = await bothViews(e, store, '2017-11-22T00:00:00Z');
    expect(mine).toEqual(fresh);
  });

  it('the store failing after a reload, as the batch is planned: the record rejects with its error, and the clock and the customer state have what the reload folded', async () => {
    const { store, failNextAppendAfterWriting, failNextReadByIds } = flakyStore();
    const e = new Engine({ policies: [ledger], store });
    await e.record(opened('a1', '2017-11-20T09:00:00Z'));
    failNextAppendAfterWriting();
    await expect(e.record(promise('a2', '2017-11-20T10:00:00Z', '2017-11-21T09:00:00Z'))).rejects.toThrow('acknowledged');
    expect(e.now).toBe(Date.parse('2017-11-20T09:00:00Z'));
    failNextReadByIds();
    await expect(e.record(call('a3', '2017-11-20T11:00:00Z'))).rejects.toThrow('connection lost');
    const fresh = new Engine({ policies: [ledger], store });
    await fresh.hydrate();
    expect(e.now).toBe(fresh.now);
    expect(e.summary('a')).toEqual(fresh.summary('a'));
  });

  it('an event another engine over the store recorded, brought again here as a retry, is folded here too', async () => {
    const store = new InMemoryEventStore();
    const e = new Engine({ policies: [ledger], store });
    await e.record(opened('a1', '2017-11-20T09:00:00Z'));
    const made = promise('a2', '2017-11-20T10:00:00Z', '2017-11-21T09:00:00Z');
    const other = new Engine({ policies: [ledger], store });
    await other.hydrate();
    await other.record(made);
    await expect(e.record(made)).resolves.toMatchObject({ appended: 0, duplicates: 1 });
    expect(e.summary('a')).toEqual({ fx: { promises: 1, matters: 1 } });
    const [mine, fresh] = await bothViews(e, store, '2017-11-22T00:00:00Z');
    expect(mine).toEqual(fresh);
  });

  it('a batch refused on the stream reloaded from the store still moves the clock to the events that reload folded', async () => {
    const { store, failNextAppendAfterWriting } = flakyStore();
    const e = new Engine({ policies: [ledger], store });
    await e.record(opened('a1', '2017-11-20T09:00:00Z'));
    failNextAppendAfterWriting();
    await expect(e.record(resolved('a2', '2017-11-22T09:00:00Z'))).rejects.toThrow('acknowledged');
    // Resolving the matter again: refused on the store's stream, which the engine reloads to plan it.
    await expect(e.record(resolved('a3', '2017-11-23T09:00:00Z'))).rejects.toMatchObject({ errors: [{ eventId: 'a3', rule: 'matter-resolved' }] });
    const fresh = new Engine({ policies: [ledger], store });
    await fresh.hydrate();
    expect(e.now).toBe(fresh.now);
    expect(e.findings()).toEqual(fresh.findings());
  });
});
