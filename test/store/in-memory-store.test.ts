import { describe, expect, it } from 'vitest';
import { InMemoryEventStore, InvalidInputError, type NewEvent } from '../../src/index.js';
import { VALIDATED, type ValidatedAppendOptions } from '../../src/store/event-input.js';
import { ev, storeContract } from './store-contract.js';

storeContract('in-memory', async () => ({ store: new InMemoryEventStore() }));

describe('in-memory store: appends the engine vouched for', () => {
  it('still checks the envelope (typeof comparisons, no payload walk), one event or a batch', () => {
    const store = new InMemoryEventStore();
    const validated: ValidatedAppendOptions = { [VALIDATED]: true };
    const bad = { ...ev('c', 1), time: '2017-11-20' } as unknown as NewEvent;
    for (const batch of [[bad], [ev('c', 0), bad]]) {
      expect(() => store.appendSync('c', batch, validated)).toThrow(InvalidInputError);
    }
    expect(store.size).toBe(0);
  });
});
