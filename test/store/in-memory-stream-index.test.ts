import { describe, expect, it } from 'vitest';
import { EventIdConflictError, InMemoryEventStore, type NewEvent } from '../../src/index.js';
import { idKey, INDEX_FROM } from '../../src/store/stream-index.js';

// A short stream finds an id by comparing keys, a long one (INDEX_FROM events on) through a Map
// (stream-index.ts): retries, conflicts, assigned ids and readByIds must not tell them apart.
const T0 = Date.parse('2017-11-20T13:30:00Z');
const event = (id: string | undefined, n: number, plan = 'basic', customerId = 'c'): NewEvent => ({
  ...(id === undefined ? {} : { id }),
  customerId,
  type: 'test.Noted', // a type the store does not know: its payload (plan, n) kept as given
  at: new Date(T0 + n * 60_000).toISOString(),
  time: T0 + n * 60_000,
  data: { plan, n },
});

/** A store holding stream `c` of `length` events, ids `e1`, `e2`…, the n-th at minute n. */
async function streamOf(length: number): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore({ now: () => 0 });
  for (let n = 1; n <= length; n++) await store.append('c', [event(`e${n}`, n)], { expectedVersion: n - 1 });
  return store;
}

describe.each([
  ['a short stream (keys)', 5],
  ['a stream just short of the Map', INDEX_FROM - 1],
  ['a stream that has just made its Map', INDEX_FROM],
  ['a long stream (Map)', INDEX_FROM + 7],
])('in-memory store, ids in %s', (_, length) => {
  // The first, a middle and the last event: each found wherever the stream keeps it.
  const picks = [1, Math.ceil(length / 2), length];

  it('skips a one-event retry with the same payload, as a duplicate, writing nothing', async () => {
    const store = await streamOf(length);
    for (const n of picks) {
      const retry = await store.append('c', [event(`e${n}`, n)], { expectedVersion: length });
      expect(retry.appended).toEqual([]);
      expect(retry.duplicates.map((e) => [e.id, e.streamVersion])).toEqual([[`e${n}`, n]]);
    }
    expect(store.size).toBe(length);
  });

  it('refuses the id with another payload, one event or in a batch, writing nothing', async () => {
    const store = await streamOf(length);
    for (const n of picks) {
      await expect(store.append('c', [event(`e${n}`, n, 'gold')])).rejects.toBeInstanceOf(EventIdConflictError);
      await expect(store.append('c', [event('new', 0), event(`e${n}`, n, 'gold')])).rejects.toMatchObject({ customerId: 'c', eventId: `e${n}` });
    }
    expect(store.size).toBe(length);
  });

  it('skips retries in a batch and appends its new events after the stream', async () => {
    const store = await streamOf(length);
    const result = await store.append('c', [event(`e${length}`, length), event('new', 0), event('e1', 1)], { expectedVersion: length });
    expect(result.appended.map((e) => [e.id, e.streamVersion])).toEqual([['new', length + 1]]);
    expect(result.duplicates.map((e) => e.id)).toEqual([`e${length}`, 'e1']);
    expect((await store.append('c', [event('new', 0)])).duplicates.map((e) => e.streamVersion)).toEqual([length + 1]);
  });

  it('moves an assigned id aside when the stream holds it, one event or in a batch', async () => {
    const store = await streamOf(length);
    const next = length + 1;
    // Version `next` is given the id version `next + 1` would be assigned.
    await store.append('c', [event(`c:${next + 1}`, 0)]);
    expect((await store.append('c', [event(undefined, 1)])).appended.map((e) => e.id)).toEqual([`c:${next + 1}~2`]);
    await store.append('c', [event(`c:${next + 4}`, 0), event(`c:${next + 4}~2`, 0)]);
    expect((await store.append('c', [event(undefined, 2), event(undefined, 3)])).appended.map((e) => e.id)).toEqual([`c:${next + 4}~3`, `c:${next + 5}`]);
  });

  it('reads events back by id, each once and in stream order', async () => {
    const store = await streamOf(length);
    const found = await store.readByIds('c', [`e${length}`, 'e1', 'missing', `e${length}`]);
    expect(found.map((e) => [e.id, e.streamVersion])).toEqual([
      ['e1', 1],
      [`e${length}`, length],
    ]);
  });

  it('tells apart two ids with the same key: a new id, not a retry or a conflict', async () => {
    // Same length, same last, second-last and middle characters: the same key, other ids.
    expect(idKey('ax1')).toBe(idKey('bx1'));
    const store = await streamOf(length);
    await store.append('c', [event('ax1', 0)]);
    const other = await store.append('c', [event('bx1', 0, 'gold')]);
    expect(other.appended.map((e) => [e.id, e.streamVersion])).toEqual([['bx1', length + 2]]);
    expect((await store.readByIds('c', ['bx1'])).map((e) => e.data)).toEqual([{ plan: 'gold', n: 0 }]);
    await expect(store.append('c', [event('ax1', 0, 'gold')])).rejects.toBeInstanceOf(EventIdConflictError);
  });
});

describe('in-memory store, a stream growing past INDEX_FROM in one batch', () => {
  it('finds every event of the batch afterwards, by id and by its assigned id', async () => {
    const store = new InMemoryEventStore({ now: () => 0 });
    const batch = Array.from({ length: INDEX_FROM + 3 }, (_, i) => event(i % 2 === 0 ? `b${i}` : undefined, i));
    await store.append('c', batch);
    for (const [i, e] of batch.entries()) {
      const id = e.id ?? `c:${i + 1}`;
      expect((await store.append('c', [{ ...e, id }])).duplicates.map((d) => d.streamVersion)).toEqual([i + 1]);
      await expect(store.append('c', [event(id, i, 'gold')])).rejects.toBeInstanceOf(EventIdConflictError);
    }
    expect(store.size).toBe(INDEX_FROM + 3);
  });
});

describe('idKey', () => {
  it('is a small integer for any id, and tells apart ids that differ at the end or in length', () => {
    for (const id of ['', 'x', 'c01650-1', 'c:12~3', '\u{1F600}'.repeat(100), '\uffff'.repeat(200)]) {
      expect(Number.isInteger(idKey(id)) && idKey(id) >= 0 && idKey(id) < 2 ** 30).toBe(true);
    }
    expect(new Set(['c01650-1', 'c01650-2', 'c01650-12', 'c01650-21', 'c:1', 'c:1~2']).size).toBe(new Set(['c01650-1', 'c01650-2', 'c01650-12', 'c01650-21', 'c:1', 'c:1~2'].map(idKey)).size);
  });
});
