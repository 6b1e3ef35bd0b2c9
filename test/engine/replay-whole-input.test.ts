import { describe, expect, it } from 'vitest';
import { InMemoryEventStore, InvalidInputError, replay } from '../../src/index.js';

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
