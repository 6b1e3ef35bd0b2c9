import { describe, expect, it } from 'vitest';
import { Engine, InMemoryEventStore, UsageError, iterateAll, replay, type EventStore, type Finding } from '../../src/index.js';
import { PostgresEventStore } from '../../src/postgres.js';

const events = [{ id: 'o', customerId: 'c', type: 'MatterOpened', at: '2017-11-20T09:00:00Z', data: { matterId: 'm' } }];

describe('replay asOf', () => {
  it.each([['next tuesday'], [Number.NaN], [new Date('nope')], ['']])('a bad asOf (%s) rejects with a UsageError naming it, instead of replaying as of the end', async (asOf) => {
    const error = await replay(events, { asOf }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/^asOf: expected an ISO-8601 date-time/);
  });

  it('takes the same forms as engine.asOf: an ISO date-time, a date in the calendar zone, epoch ms, a Date', async () => {
    const config = { calendar: { timeZone: 'America/Denver' } };
    const forms = ['2017-11-21T07:00:00Z', '2017-11-21', Date.parse('2017-11-21T07:00:00Z'), new Date('2017-11-21T07:00:00Z')];
    for (const asOf of forms) expect((await replay(events, { config, asOf })).snapshot.asOf).toBe('2017-11-21T07:00:00.000Z');
  });
});

describe('replay onto a store that already holds some of a customer\'s events', () => {
  // Stored before the replay (an earlier import): the customer's stream is at version 1.
  const storedBefore = [{ customerId: 'a', type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm', title: 'Refund' } }];
  const input = [
    // Without id and after asOf, but first in the input: left out, it still takes version 2.
    { customerId: 'a', type: 'ContactMade', at: '2024-03-10T09:00:00Z', data: { channel: 'email', direction: 'outbound' } },
    { customerId: 'a', type: 'PromiseMade', at: '2024-03-01T10:00:00Z', data: { promiseId: 'p', what: 'call back', dueBy: '2024-03-02T10:00:00Z' } },
  ];
  const asOf = '2024-03-04T12:00:00Z';
  const storeWithStream = async (): Promise<InMemoryEventStore> => {
    const store = new InMemoryEventStore();
    await new Engine({ store }).record(storedBefore);
    return store;
  };
  const evidence = (findings: readonly Finding[], until: number) =>
    findings.filter((f) => Date.parse(f.detectedAt) <= until).map((f) => `${f.kind} ${f.detectedAt} ${f.evidence.join(',')}`);

  it('appends after the stored events, and asOf leaves the evidence ids of earlier findings as in the replay without it', async () => {
    const whole = await replay(input, { store: await storeWithStream() });
    const part = await replay(input, { store: await storeWithStream(), asOf });
    // The stored event keeps a:1; the input's events take a:2 and a:3 in input order.
    expect((await whole.engine.store.readStream('a')).map((e) => `${e.id} ${e.type}`)).toEqual(['a:1 MatterOpened', 'a:2 ContactMade', 'a:3 PromiseMade']);
    expect((await part.engine.store.readStream('a')).map((e) => `${e.id} ${e.type}`)).toEqual(['a:1 MatterOpened', 'a:3 PromiseMade']);
    const before = evidence(part.snapshot.findings, Date.parse(asOf));
    expect(before).toContain('promise.broken 2024-03-02T10:00:00.000Z a:3');
    expect(before).toEqual(evidence(whole.snapshot.findings, Date.parse(asOf)));
  });
});

describe('replay as of an instant onto a store that holds a customer\'s later events', () => {
  const asOf = '2024-03-04T12:00:00Z';
  const opened = { customerId: 'a', type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm', title: 'Refund' } };
  const contact = (at: string) => ({ customerId: 'a', type: 'ContactMade', at, data: { channel: 'email', direction: 'outbound' } });
  // Customer b comes first in the input: refused up front, it is not appended either.
  const input = [
    { customerId: 'b', type: 'MatterOpened', at: '2024-03-02T09:00:00Z', data: { matterId: 'n', title: 'Invoice' } },
    { customerId: 'a', type: 'PromiseMade', at: '2024-03-01T10:00:00Z', data: { promiseId: 'p', what: 'call back', dueBy: '2024-03-08T10:00:00Z' } },
  ];
  const stores: [string, () => Promise<EventStore & { close?: () => Promise<void> }>][] = [
    ['in memory', async () => new InMemoryEventStore()],
    ['PostgreSQL (PGlite)', () => PostgresEventStore.pglite()],
  ];
  const ids = async (store: EventStore) => {
    const out: string[] = [];
    for await (const event of iterateAll(store)) out.push(`${event.id} ${event.at}`);
    return out;
  };

  it.each(stores)('%s: refused before anything is appended, naming the customer, the stored event\'s time and asOf, rather than evaluated with a later event', async (_, make) => {
    const store = await make();
    try {
      // Stored earlier: the matter opened on 03-01 and a contact on 03-20, after asOf. Evaluated,
      // that contact closed a gap of inattention "detected" on 03-05, in a snapshot as of 03-04.
      await new Engine({ store }).record([opened, contact('2024-03-20T09:00:00Z')]);
      const before = await ids(store);
      const error = await replay(input, { store, asOf }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).message).toBe(
        'replay: asOf 2024-03-04T12:00:00.000Z is earlier than a stored event of customer "a" ("a:2" at 2024-03-20T09:00:00.000Z): the store\'s events of a customer in the input are evaluated with it, and a replay cannot yet leave the later ones out; replay without asOf, or ask engine.asOf() of an engine over the store',
      );
      expect(await ids(store)).toEqual(before);
    } finally {
      await store.close?.();
    }
  });

  it('a stored event at asOf itself is taken', async () => {
    const store = new InMemoryEventStore();
    await new Engine({ store }).record([opened, contact(asOf)]);
    const { snapshot } = await replay(input, { store, asOf });
    expect(snapshot.asOf).toBe('2024-03-04T12:00:00.000Z');
    expect((await store.readStream('a')).map((e) => e.id)).toEqual(['a:1', 'a:2', 'a:3']);
  });

  it('a customer with no input event by asOf is not recorded, so its later stored events are not evaluated and not refused', async () => {
    const store = new InMemoryEventStore();
    await new Engine({ store }).record([opened, contact('2024-03-20T09:00:00Z')]);
    const { snapshot } = await replay([contact('2024-03-25T09:00:00Z'), input[0]!], { store, asOf });
    expect([snapshot.customers, snapshot.events]).toEqual([1, 1]);
    expect((await store.readStream('a')).map((e) => e.id)).toEqual(['a:1', 'a:2']);
  });
});
