import { describe, expect, it } from 'vitest';
import { InMemoryEventStore, InvalidInputError, UsageError, type NewEvent } from '../../src/index.js';
import { VALIDATED, type ValidatedAppendOptions } from '../../src/store/event-input.js';
import { ev, storeContract } from './store-contract.js';

storeContract('in-memory', async () => ({ store: new InMemoryEventStore() }));

describe('InMemoryEventStore options', () => {
  it('refuses an option it does not know (a misspelt one did nothing), naming it and the known ones', () => {
    expect(() => new InMemoryEventStore({ clock: () => 0 } as never)).toThrow(new UsageError('InMemoryEventStore: unknown option "clock" (the options are "now")', { path: 'clock', rule: 'unknown-field' }));
    expect(() => new InMemoryEventStore(7 as never)).toThrow(new UsageError('InMemoryEventStore: options must be an object, got 7', { rule: 'invalid-type' }));
  });

  it('refuses an unknown option of appendSync too, before anything is written', () => {
    const store = new InMemoryEventStore({ now: () => 0 });
    const event = { customerId: 'c', type: 'X', at: '2024-01-01T00:00:00Z', time: 0, data: {} };
    expect(() => store.appendSync('c', [event], { expected: 0 } as never)).toThrow(new UsageError('append: unknown option "expected" (the options are "expectedVersion")', { path: 'expected', rule: 'unknown-field' }));
    expect(store.size).toBe(0);
  });
});

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
