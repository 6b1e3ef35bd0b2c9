import { describe, expect, it } from 'vitest';
import { Engine, InMemoryEventStore, type EventStore } from '../../src/index.js';
import { ledger } from '../fixtures/ledger-policy.js';

/**
 * The engine over a store that fails now and then (a connection lost): what it holds of a stream
 * must not fall out of step with the store, or a later batch is checked against the wrong stream.
 */
const opened = (id: string, at: string) => ({ id, customerId: 'a', type: 'MatterOpened', at, data: { matterId: 'm' } });
const resolved = (id: string, at: string) => ({ id, customerId: 'a', type: 'MatterResolved', at, data: { matterId: 'm' } });
const reopened = (id: string, at: string) => ({ id, customerId: 'a', type: 'MatterReopened', at, data: { matterId: 'm' } });
const promise = (id: string, at: string, dueBy: string) => ({ id, customerId: 'a', type: 'PromiseMade', at, data: { promiseId: 'p', what: 'call back', dueBy } });

/** An in-memory store whose next read of a stream, or whose next append once written, throws. */
function flakyStore(): { store: EventStore; failNextRead: () => void; failNextAppendAfterWriting: () => void } {
  const inner = new InMemoryEventStore();
  let read = false;
  let append = false;
  const store: EventStore = {
    async append(customerId, events, options) {
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
    readByIds: (customerId, ids) => inner.readByIds(customerId, ids),
    streamVersion: (customerId) => inner.streamVersion(customerId),
    close: () => inner.close(),
  };
  return { store, failNextRead: () => void (read = true), failNextAppendAfterWriting: () => void (append = true) };
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
});
