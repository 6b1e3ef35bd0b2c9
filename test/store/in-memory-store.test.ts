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

  // `{ expectedVersion }` alone takes a shortcut (append-options.ts): whatever else is there is refused as before.
  it('refuses an unknown name beside expectedVersion, and options that are no object; ignores inherited names', () => {
    const store = new InMemoryEventStore({ now: () => 0 });
    const event = { customerId: 'c', type: 'X', at: '2024-01-01T00:00:00Z', time: Date.parse('2024-01-01T00:00:00Z'), data: {} };
    expect(() => store.appendSync('c', [event], { expectedVersion: 0, expectedversion: 0 } as never)).toThrow(
      new UsageError('append: unknown option "expectedversion" (the options are "expectedVersion")', { path: 'expectedversion', rule: 'unknown-field' }),
    );
    expect(() => store.appendSync('c', [event], { expectedversion: 0, expectedVersion: 0 } as never)).toThrow(
      new UsageError('append: unknown option "expectedversion" (the options are "expectedVersion")', { path: 'expectedversion', rule: 'unknown-field' }),
    );
    expect(() => store.appendSync('c', [event], [] as never)).toThrow(new UsageError('append: options must be an object, got an array', { rule: 'invalid-type' }));
    expect(store.size).toBe(0);
    // Names are own names: an inherited one (a class's prototype, say) is no option, as before.
    expect(store.appendSync('c', [event], Object.create({ expected: 1 }) as never).streamVersion).toBe(1);
    expect(store.appendSync('c', [event], { expectedVersion: 1 }).duplicates).toEqual([]);
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
