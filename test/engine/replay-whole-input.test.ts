import { describe, expect, it } from 'vitest';
import { Engine, InMemoryEventStore, InvalidInputError, iterateAll, replay, type EventStore } from '../../src/index.js';
import { PostgresEventStore } from '../../src/postgres.js';

const opened = (id: string, customerId: string, at: string) => ({ id, customerId, type: 'MatterOpened', at, data: { matterId: 'm', title: 'Refund' } });

/**
 * replay() records one customer at a time. Before it appends any, it plans every customer's part
 * as record does: an input breaking a lifecycle rule is refused whole, so a store the caller gave
 * is left as it was, and every customer's problems are listed at their places in the input.
 */
describe('replay: an input that breaks a lifecycle rule writes nothing', () => {
  const input = [
    opened('a1', 'a', '2024-03-01T09:00:00Z'), // a is fine, and first: appended before b was refused
    opened('b1', 'b', '2024-03-01T09:00:00Z'),
    opened('b2', 'b', '2024-03-02T09:00:00Z'), // input #2: opened twice
    opened('c1', 'c', '2024-03-01T09:00:00Z'),
    opened('c2', 'c', '2024-03-03T09:00:00Z'), // input #4: opened twice
  ];

  it('leaves the store given empty and names every problem by its position in the input', async () => {
    const store = new InMemoryEventStore();
    const error = await replay(input, { store }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(store.size).toBe(0);
    const problems = (error as InvalidInputError).errors;
    expect(problems.map((p) => [p.customerId, p.eventId, p.index, p.rule])).toEqual([
      ['b', 'b2', 2, 'matter-already-opened'],
      ['c', 'c2', 4, 'matter-already-opened'],
    ]);
    expect((error as Error).message).toMatch(/^2 problems in the replay input; nothing was recorded:/);
  });

  it('with asOf, judges only the part it records: a break after asOf is left out with its event', async () => {
    const { snapshot } = await replay(input, { asOf: '2024-03-01T12:00:00Z' });
    expect(snapshot.customers).toBe(3);
  });
});

/**
 * The same with a store that already holds a customer's events: that customer's part is planned on
 * them before anything is appended, so a break against its stored events refuses the whole input
 * too, rather than being found when it is recorded, after the customers before it were appended.
 */
describe('replay onto a store that holds a customer\'s events: a break against them writes nothing', () => {
  const resolved = (id: string, customerId: string, at: string) => ({ id, customerId, type: 'MatterResolved', at, data: { matterId: 'm' } });
  const stores: [string, () => Promise<EventStore & { close?: () => Promise<void> }>][] = [
    ['in memory', async () => new InMemoryEventStore()],
    ['PostgreSQL (PGlite)', () => PostgresEventStore.pglite()],
  ];
  const all = async (store: EventStore): Promise<string[]> => {
    const out: string[] = [];
    for await (const event of iterateAll(store)) out.push(`${event.customerId} ${event.id}`);
    return out;
  };
  // b's matter "m" is opened and resolved in the store (an earlier import).
  const withB = async (make: () => Promise<EventStore & { close?: () => Promise<void> }>) => {
    const store = await make();
    await new Engine({ store }).record([opened('b1', 'b', '2024-03-01T09:00:00Z'), resolved('b2', 'b', '2024-03-02T09:00:00Z')]);
    return store;
  };

  it.each(stores)('%s: a customer resolving again a matter the store holds resolved refuses the input, and the customer before it is not appended', async (_, make) => {
    const store = await withB(make);
    try {
      const input = [
        opened('a1', 'a', '2024-03-05T09:00:00Z'), // valid, and first
        { customerId: 'b', type: 'ContactMade', at: '2024-03-05T09:00:00Z', data: { channel: 'email', direction: 'outbound' } },
        resolved('b3', 'b', '2024-03-06T09:00:00Z'), // input #2: m is resolved in the store
      ];
      const error = await replay(input, { store }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).errors.map((p) => [p.customerId, p.eventId, p.index, p.rule])).toEqual([['b', 'b3', 2, 'matter-resolved']]);
      expect((error as Error).message).toMatch(/^1 problem in the replay input; nothing was recorded:/);
      expect(await all(store)).toEqual(['b b1', 'b b2']);
    } finally {
      await store.close?.();
    }
  });

  it.each(stores)('%s: a break against the stored events and one within the input are both listed, in input order', async (_, make) => {
    const store = await withB(make);
    try {
      const input = [
        opened('c1', 'c', '2024-03-05T09:00:00Z'),
        opened('b3', 'b', '2024-03-05T10:00:00Z'), // input #1: m was opened (and resolved) in the store
        opened('a1', 'a', '2024-03-05T09:00:00Z'),
        opened('a2', 'a', '2024-03-06T09:00:00Z'), // input #3: opened twice within the input
      ];
      const error = await replay(input, { store }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).errors.map((p) => [p.customerId, p.eventId, p.index, p.rule])).toEqual([
        ['b', 'b3', 1, 'matter-already-opened'],
        ['a', 'a2', 3, 'matter-already-opened'],
      ]);
      expect(await all(store)).toEqual(['b b1', 'b b2']);
    } finally {
      await store.close?.();
    }
  });

  it.each(stores)('%s: with asOf, the stored events are planned on too, and a valid input is appended after them', async (_, make) => {
    const store = await withB(make);
    try {
      const asOf = '2024-03-07T00:00:00Z';
      const refused = await replay([opened('a1', 'a', '2024-03-05T09:00:00Z'), resolved('b3', 'b', '2024-03-06T09:00:00Z')], { store, asOf }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(InvalidInputError);
      expect((refused as InvalidInputError).errors.map((p) => [p.customerId, p.eventId, p.index, p.rule])).toEqual([['b', 'b3', 1, 'matter-resolved']]);
      expect(await all(store)).toEqual(['b b1', 'b b2']);
      const input = [
        opened('a1', 'a', '2024-03-05T09:00:00Z'),
        opened('b4', 'b', '2024-03-09T09:00:00Z'), // after asOf: left out, so not refused (m is open again by then)
        { customerId: 'b', type: 'MatterReopened', at: '2024-03-05T09:00:00Z', data: { matterId: 'm' } },
      ];
      const { snapshot } = await replay(input, { store, asOf });
      expect(snapshot.customers).toBe(2);
      // b4, left out, still takes version 3 of b's stream (replay-part.ts): the reopening is b:4.
      expect(await all(store)).toEqual(['b b1', 'b b2', 'a a1', 'b b:4']);
    } finally {
      await store.close?.();
    }
  });
});
