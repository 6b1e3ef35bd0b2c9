import { describe, expect, it } from 'vitest';
import { EventIdConflictError, InMemoryEventStore, UsageError, VersionConflictError, type NewEvent } from '../../src/index.js';

// A one-event append takes its own fast path; it must follow exactly the rules of a batch.
const event = (id: string | undefined, at = '2017-11-20T10:00:00Z', data: unknown = { plan: 'basic' }, customerId = 'c'): NewEvent => ({
  ...(id === undefined ? {} : { id }),
  customerId,
  type: 'RelationshipStarted',
  at,
  time: Date.parse(at),
  data,
});
const clock = () => 0;

describe('in-memory store: one-event appends', () => {
  it('assigns the same versions, positions and ids as one batch of the same events', async () => {
    const one = new InMemoryEventStore({ now: clock });
    const batch = new InMemoryEventStore({ now: clock });
    const events = [event('a'), event(undefined), event('c:3'), event(undefined), event('b', undefined, undefined, 'd')];
    for (const e of events) await one.append(e.customerId, [e]);
    await batch.append('c', events.slice(0, 4));
    await batch.append('d', events.slice(4));
    expect(await one.readAll()).toEqual(await batch.readAll());
    expect((await one.readStream('c')).map((e) => e.id)).toEqual(['a', 'c:2', 'c:3', 'c:4']);
  });

  it('treats a retry with the same payload as a duplicate and writes nothing', async () => {
    const store = new InMemoryEventStore();
    const first = await store.append('c', [event('a')], { expectedVersion: 0 });
    const retry = await store.append('c', [event('a', '2017-11-20T03:00:00-07:00')], { expectedVersion: 0 });
    expect(retry).toEqual({ streamVersion: 1, appended: [], duplicates: first.appended });
    expect(store.size).toBe(1);
  });

  it('refuses the same id with another payload, a wrong expected version and another customer', async () => {
    const store = new InMemoryEventStore();
    await store.append('c', [event('a')]);
    await expect(store.append('c', [event('a', undefined, { plan: 'gold' })])).rejects.toBeInstanceOf(EventIdConflictError);
    await expect(store.append('c', [event('b')], { expectedVersion: 0 })).rejects.toBeInstanceOf(VersionConflictError);
    await expect(store.append('c', [event('b', undefined, undefined, 'd')])).rejects.toBeInstanceOf(UsageError);
    expect(store.size).toBe(1);
  });

  it('formats recordedAt from the wall clock it was given, per append', async () => {
    let now = Date.parse('2024-01-01T00:00:00Z');
    const store = new InMemoryEventStore({ now: () => now });
    await store.append('c', [event('a')]);
    now += 1;
    await store.append('c', [event('b')]);
    expect((await store.readStream('c')).map((e) => e.recordedAt)).toEqual(['2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.001Z']);
  });
});
