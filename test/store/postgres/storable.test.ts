import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, InvalidInputError } from '../../../src/index.js';
import { openPGlite, PostgresEventStore, type SqlClient } from '../../../src/postgres.js';

let client: SqlClient;
let n = 0;
beforeAll(async () => {
  client = await openPGlite();
});
afterAll(async () => client.close());

const store = () => new PostgresEventStore(client, { schema: `storable_${++n}` });
const opened = (customerId: string, id: string) => ({ id, customerId, type: 'MatterOpened', at: '2017-11-20T09:00:00Z', time: Date.parse('2017-11-20T09:00:00Z'), data: { matterId: 'm' } });

async function rejection(promise: Promise<unknown>): Promise<InvalidInputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

describe('PostgreSQL store: the NUL character, which PostgreSQL cannot store', () => {
  it('refuses an append holding it anywhere, naming the event and the field, and writes nothing', async () => {
    const s = store();
    const bad = [
      { ...opened('c', 'e1'), data: { matterId: 'm', title: 'a\u0000b' } },
      { ...opened('c', 'e2'), meta: { tags: ['x', 'y\u0000'] } },
      { ...opened('c', 'e3'), meta: { ['k\u0000']: 1 } },
    ];
    const error = await rejection(s.append('c', bad));
    expect(error.errors.map((e) => [e.index, e.eventId, e.path, e.rule])).toEqual([
      [0, 'e1', 'data.title', 'nul-character'],
      [1, 'e2', 'meta.tags[1]', 'nul-character'],
      [2, 'e3', 'meta."k\\u0000"', 'nul-character'],
    ]);
    expect(error.errors[0]?.detail).toBe('contains the NUL character (\\u0000), which PostgreSQL cannot store in text or jsonb');
    const nulCustomer = await rejection(s.append('c\u0000', [opened('c\u0000', 'e4')]));
    expect(nulCustomer.errors.map((e) => e.path)).toEqual(['customerId']);
    expect(await s.readAll()).toEqual([]);
  });

  it('through the engine: record rejects with the InvalidInputError, and bulk import refuses the chunk', async () => {
    const s = store();
    const engine = new Engine({ store: s });
    const error = await rejection(engine.record({ customerId: 'c', type: 'PromiseMade', at: '2017-11-20T09:00:00Z', data: { promiseId: 'p', what: 'call', dueBy: '2017-11-21T09:00:00Z', party: 'a\u0000b' } }));
    expect(error.errors.map((e) => [e.path, e.rule])).toEqual([['data.party', 'nul-character']]);
    const imported = await rejection(s.importEvents([opened('d', 'd1'), { ...opened('d', 'd2'), data: { matterId: 'm\u0000' } }]));
    expect(imported.message).toMatch(/^1 problem in this chunk of the import; nothing was recorded/);
    expect(await s.readAll()).toEqual([]);
  });
});

describe('PostgreSQL store: events that are not NewEvents (no instant resolved, a field of the wrong type)', () => {
  it('bulk import refuses raw events without `time`, naming each event and the field, and writes nothing of the chunk', async () => {
    const s = store();
    // What a CRM developer hands over first: the export's JSON objects, `at` not yet resolved to `time`.
    const raw = { id: 'r1', customerId: 'c', type: 'MatterOpened', at: '2017-11-20T09:00:00Z', data: { matterId: 'm' } };
    const error = await rejection(s.importEvents([opened('c', 'e1'), raw as never, { ...opened('c', 'e3'), time: Number.NaN }]));
    expect(error.errors.map((e) => [e.index, e.eventId, e.path, e.rule])).toEqual([
      [1, 'r1', 'time', 'invalid-instant'],
      [2, 'e3', 'time', 'invalid-instant'],
    ]);
    expect(error.errors[0]?.detail).toMatch(/readLines/);
    expect(await s.readAll()).toEqual([]);
  });

  it('refuses a customer id, type or `at` that is not a string (missing: `required`, as the engine says), by name, in an import and in an append', async () => {
    const s = store();
    const imported = await rejection(s.importEvents([{ ...opened('c', 'e1'), customerId: 42 as never }, { ...opened('c', 'e2'), type: undefined } as never]));
    expect(imported.errors.map((e) => [e.index, e.path, e.rule])).toEqual([
      [0, 'customerId', 'invalid-type'],
      [1, 'type', 'required'],
    ]);
    const appended = await rejection(s.append('c', [{ ...opened('c', 'e1'), at: undefined as never }]));
    expect(appended.errors.map((e) => [e.index, e.path, e.rule])).toEqual([[0, 'at', 'required']]);
    expect(await s.readAll()).toEqual([]);
  });
});

describe('PostgreSQL store: a refused event of a chunked import is located in the whole import', () => {
  it('names the event by its position in the import, not in its chunk, and says the earlier chunks were imported', async () => {
    const s = store();
    // Without ids, so only the position can say which event it is.
    const event = (i: number, matterId = 'm') => ({ customerId: `c${i}`, type: 'MatterOpened', at: '2017-11-20T09:00:00Z', time: Date.parse('2017-11-20T09:00:00Z'), data: { matterId } });
    const error = await rejection(s.importEvents([event(0), event(1), event(2), event(3, 'm\u0000'), event(4)], { batchSize: 2 }));
    expect(error.errors.map((e) => [e.index, e.customerId, e.path])).toEqual([[3, 'c3', 'data.matterId']]);
    expect(error.message).toMatch(/^1 problem in events 3 to 4 of the import \(the 2 before them were imported\); nothing was recorded:\n {2}event #4 /);
    expect((await s.readAll()).map((e) => e.customerId)).toEqual(['c0', 'c1']);
  });
});

describe('PostgreSQL store: what its columns cannot hold, refused by name instead of failing in the driver or changing', () => {
  it('an unpaired surrogate: refused in data (jsonb failed naming no event) and in an id or type (text kept U+FFFD, so the id read back was another)', async () => {
    const s = store();
    const bad = [
      { ...opened('c', 'e1'), data: { matterId: 'm', title: 'a\uD800' } },
      opened('c', 'x\uDC00'),
      { ...opened('c', 'e3'), type: 'T\uD800' },
      { ...opened('c', 'e4'), data: { matterId: 'm', title: '😀 paired is fine' } },
    ];
    for (const attempt of [() => s.append('c', bad), () => s.importEvents(bad)]) {
      const error = await rejection(attempt());
      expect(error.errors.map((e) => [e.index, e.path, e.rule])).toEqual([
        [0, 'data.title', 'unpaired-surrogate'],
        [1, 'id', 'unpaired-surrogate'],
        [2, 'type', 'unpaired-surrogate'],
      ]);
      expect(error.errors[0]?.detail).toBe('contains an unpaired UTF-16 surrogate, which is no Unicode character: PostgreSQL cannot store it in text or jsonb');
    }
    expect(await s.readAll()).toEqual([]);
  });

  it('an instant before the year 1 (timestamptz has no year 0): refused naming the event, in an append and an import, instead of a driver error', async () => {
    const s = store();
    const at = '0000-06-01T00:00:00Z';
    const early = { ...opened('c', 'e1'), at, time: Date.parse(at) };
    for (const attempt of [() => s.append('c', [opened('c', 'e0'), early]), () => s.importEvents([opened('c', 'e0'), early])]) {
      const error = await rejection(attempt());
      expect(error.errors.map((e) => [e.index, e.eventId, e.path, e.rule, e.detail])).toEqual([
        [1, 'e1', 'at', 'invalid-instant', 'is before 0001-01-01T00:00:00Z (0000-06-01T00:00:00Z), which PostgreSQL cannot store (its timestamps have no year 0)'],
      ]);
    }
    const first = '0001-01-01T00:00:00Z';
    await s.append('c', [{ ...opened('c', 'e2'), at: first, time: Date.parse(first) }]);
    expect((await s.readAll()).map((e) => [e.at, e.time])).toEqual([[first, Date.parse(first)]]);
  });
});
