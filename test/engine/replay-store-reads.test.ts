import { describe, expect, it } from 'vitest';
import { Engine, InMemoryEventStore, iterateAll, replay, type EventInput, type EventStore } from '../../src/index.js';
import { countingStore } from '../fixtures/counting-store.js';

/**
 * replay(events, { store }) plans every customer on what the store holds of it before appending
 * any (the pre-pass), then records them: a customer's stored stream is read from the store once,
 * by the pre-pass, and the record goes on from that read rather than reading it again; its part
 * is planned once too, by the pre-pass, on that read (its ids looked for among the stored events,
 * not looked up again with readByIds), and recorded as planned. The findings are those of
 * replaying the stored events and the input together.
 */
const stored = [
  { id: 'b1', customerId: 'b', type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm', title: 'Refund' } },
  { id: 'b2', customerId: 'b', type: 'PromiseMade', at: '2024-03-01T10:00:00Z', data: { promiseId: 'p', what: 'call back', dueBy: '2024-03-03T10:00:00Z' } },
  { id: 'b3', customerId: 'b', type: 'ContactMade', at: '2024-03-01T11:00:00Z', data: { channel: 'email', direction: 'outbound' } },
];
const later = [
  // Recorded first, a moves the clock; b's stored stream is evaluated up to it when b is recorded.
  { id: 'a1', customerId: 'a', type: 'MatterOpened', at: '2024-03-04T09:00:00Z', data: { matterId: 'm' } },
  { customerId: 'b', type: 'ContactMade', at: '2024-03-05T09:00:00Z', data: { channel: 'phone', direction: 'inbound' } },
  { id: 'b5', customerId: 'b', type: 'PromiseKept', at: '2024-03-06T09:00:00Z', data: { promiseId: 'p' } },
  { id: 'b6', customerId: 'b', type: 'MatterResolved', at: '2024-03-07T09:00:00Z', data: { matterId: 'm' } },
];
// Earlier than b's last stored event: b's stream is evaluated again once it is appended.
const backdated = [...later, { customerId: 'b', type: 'ContactMade', at: '2024-03-01T10:30:00Z', data: { channel: 'phone', direction: 'outbound' } }];

async function storeHolding(events: readonly EventInput[]): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  await new Engine({ store }).record(events);
  return store;
}

async function ids(store: EventStore): Promise<string[]> {
  const out: string[] = [];
  for await (const event of iterateAll(store)) out.push(`${event.customerId} ${event.id}`);
  return out;
}

/** The snapshot and the store's events of replaying `input` onto a store holding `before`, and the reads of b's stream and look-ups of its ids. */
async function replayOnto(before: readonly EventInput[], input: readonly EventInput[], meddle?: (inner: InMemoryEventStore) => Promise<void>) {
  const inner = await storeHolding(before);
  const { store, reads, readsBeforeAppend, lookups } = countingStore(inner);
  let meddled = false;
  const wrapped: EventStore = {
    ...store,
    async append(customerId, events, options) {
      // Another writer appends to b after the pre-pass read it, just before the replay appends to it.
      if (meddle !== undefined && customerId === 'b' && !meddled) {
        meddled = true;
        await meddle(inner);
      }
      return store.append(customerId, events, options);
    },
  };
  const { snapshot } = await replay(input, { store: wrapped });
  return { snapshot: JSON.stringify(snapshot), ids: await ids(inner), reads: reads('b'), readsBeforeAppend: readsBeforeAppend('b'), lookups: lookups('b') };
}

/** The same journeys replayed whole onto an empty store. */
async function replayWhole(events: readonly EventInput[]) {
  const store = new InMemoryEventStore();
  const { snapshot } = await replay(events, { store });
  return { snapshot: JSON.stringify(snapshot), ids: await ids(store) };
}

describe('replay onto a store holding a customer: its stored stream is read, and its part planned, once', () => {
  it('in order: read by the pre-pass only, and the findings are those of the whole journey replayed', async () => {
    const onto = await replayOnto(stored, later);
    expect(onto.readsBeforeAppend).toBe(1);
    expect(onto.reads).toBe(1);
    expect(onto.lookups).toBe(0);
    const whole = await replayWhole([...stored, ...later]);
    expect(onto.snapshot).toBe(whole.snapshot);
    // b's event without id is numbered on from the stored stream's version.
    expect(onto.ids).toEqual(['b b1', 'b b2', 'b b3', 'a a1', 'b b:4', 'b b5', 'b b6']);
  });

  it('backdated: read by the pre-pass, and again only by the re-evaluation after the append (which reads what was appended)', async () => {
    const onto = await replayOnto(stored, backdated);
    expect(onto.readsBeforeAppend).toBe(1);
    expect(onto.reads).toBe(2);
    expect(onto.lookups).toBe(0);
    const whole = await replayWhole([...stored, ...backdated]);
    expect(onto.snapshot).toBe(whole.snapshot);
    expect(onto.ids).toEqual(['b b1', 'b b2', 'b b3', 'a a1', 'b b:4', 'b b5', 'b b6', 'b b:7']);
  });

  it('another writer appending between the pre-pass and the record: the stream is read again and the part planned again on it', async () => {
    const other = { id: 'x1', customerId: 'b', type: 'ContactMade', at: '2024-03-02T09:00:00Z', data: { channel: 'email', direction: 'outbound' } };
    for (const input of [later, backdated]) {
      const onto = await replayOnto(stored, input, async (inner) => {
        const writer = new Engine({ store: inner });
        await writer.hydrate();
        await writer.record(other);
      });
      // Read once by the pre-pass, then again once the append at that read's version is refused.
      expect(onto.readsBeforeAppend).toBe(1);
      expect(onto.reads).toBeGreaterThan(1);
      // Planned by the pre-pass on its read, then again on the stream the other writer left (one look-up).
      expect(onto.lookups).toBe(1);
      const whole = await replayWhole([...stored, other, ...input]);
      expect(onto.snapshot).toBe(whole.snapshot);
      // b's event without id is numbered after the other writer's.
      expect(onto.ids).toEqual(['b b1', 'b b2', 'b b3', 'a a1', 'b x1', 'b b:5', 'b b5', 'b b6', ...(input === backdated ? ['b b:8'] : [])]);
    }
  });
});

describe('replay as of an instant onto a store holding a customer: its ids are looked for in the one read of its stream', () => {
  it('even when the part as of the instant is numbered as in the whole input (a later line without id comes first)', async () => {
    const inner = await storeHolding(stored.slice(0, 1));
    const { store, lookups } = countingStore(inner);
    // The line after asOf comes first in the input: the part's line without id is numbered b:3, as
    // in the replay without asOf, which takes the stored ids (replay-part.ts), read with the stream.
    const input = [
      { customerId: 'b', type: 'ContactMade', at: '2024-03-09T09:00:00Z', data: { channel: 'phone', direction: 'inbound' } },
      { customerId: 'b', type: 'ContactMade', at: '2024-03-02T09:00:00Z', data: { channel: 'phone', direction: 'inbound' } },
    ];
    await replay(input, { store, asOf: '2024-03-05T00:00:00Z' });
    expect(await ids(inner)).toEqual(['b b1', 'b b:3']);
    expect(lookups('b')).toBe(0);
  });
});

describe('replay with a store: each customer\'s stored events are read once, whether the store holds the customer or not', () => {
  it('a customer the store does not hold, whose events have ids: one read of its (empty) stream, no look-up of its ids', async () => {
    const inner = await storeHolding(stored);
    const { store, reads, lookups } = countingStore(inner);
    const input = [
      { id: 'c1', customerId: 'c', type: 'MatterOpened', at: '2024-03-04T09:00:00Z', data: { matterId: 'm' } },
      { id: 'c2', customerId: 'c', type: 'ContactMade', at: '2024-03-04T10:00:00Z', data: { channel: 'email', direction: 'outbound' } },
      { id: 'c2', customerId: 'c', type: 'ContactMade', at: '2024-03-04T10:00:00Z', data: { channel: 'email', direction: 'outbound' } },
      { customerId: 'c', type: 'ContactMade', at: '2024-03-05T10:00:00Z', data: { channel: 'phone', direction: 'inbound' } },
    ];
    const { snapshot } = await replay(input, { store });
    expect(reads('c')).toBe(1);
    expect(lookups('c')).toBe(0);
    // b, not in the input, is not evaluated: the findings and ids are those of c replayed alone.
    const alone = await replayWhole(input);
    expect(JSON.stringify(snapshot)).toBe(alone.snapshot);
    expect(await ids(inner)).toEqual(['b b1', 'b b2', 'b b3', ...alone.ids]);
    expect(alone.ids).toEqual(['c c1', 'c c2', 'c c:3']);
  });

  it('as of an instant, renumbering past stored ids that take the plain and suffixed candidates: one read, no look-up per candidate', async () => {
    // The store holds b:3 and b:3~2 (ids given by hand), at versions 1 and 2: the line after asOf,
    // at version 3, is numbered b:3~3, past both.
    const held = [
      { id: 'b:3', customerId: 'b', type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm' } },
      { id: 'b:3~2', customerId: 'b', type: 'ContactMade', at: '2024-03-01T10:00:00Z', data: { channel: 'email', direction: 'outbound' } },
    ];
    const inner = await storeHolding(held);
    const { store, reads, lookups } = countingStore(inner);
    // The line after asOf comes first: the kept line is numbered as in the whole input, after it.
    const input = [
      { customerId: 'b', type: 'ContactMade', at: '2024-03-09T09:00:00Z', data: { channel: 'phone', direction: 'inbound' } },
      { customerId: 'b', type: 'ContactMade', at: '2024-03-02T09:00:00Z', data: { channel: 'phone', direction: 'inbound' } },
      { customerId: 'b', type: 'ContactMade', at: '2024-03-02T10:00:00Z', data: { channel: 'phone', direction: 'outbound' } },
    ];
    const asOf = '2024-03-05T00:00:00Z';
    const { snapshot } = await replay(input, { store, asOf });
    expect(await ids(inner)).toEqual(['b b:3', 'b b:3~2', 'b b:4', 'b b:5']);
    expect(reads('b')).toBe(1);
    expect(lookups('b')).toBe(0);
    // The same snapshot as replaying the stored events and the kept lines, with the ids they got.
    const reference = await replay(
      [...held, { ...input[1]!, id: 'b:4' }, { ...input[2]!, id: 'b:5' }],
      { store: new InMemoryEventStore(), asOf },
    );
    expect(JSON.stringify(snapshot)).toBe(JSON.stringify(reference.snapshot));
  });
});
