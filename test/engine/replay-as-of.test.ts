import { describe, expect, it } from 'vitest';
import { Engine, InMemoryEventStore, UsageError, replay, type Finding } from '../../src/index.js';

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
