import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { builtinPolicies, definePolicy, Engine, InvalidInputError, UsageError, type NewEvent } from '../../../src/index.js';
import { openPGlite, PostgresEventStore, Upcasters, type SqlClient, type Upcaster } from '../../../src/postgres.js';

let db: Promise<SqlClient> | undefined;
let n = 0;
afterAll(async () => (await db)?.close());
const open = async (upcasters: readonly Upcaster[] = [], schema = `up_${++n}`) =>
  new PostgresEventStore(await (db ??= openPGlite()), { schema, upcasters });

const at = '2017-11-20T10:00:00Z';
const old = { customerId: 'c', type: 'PromiseMade', at, time: Date.parse(at) };
// Version 1 kept the due time in `due` and hours in `windowHours`; version 2 renamed it `dueBy`;
// version 3 turned `windowHours` into an ISO `windowStart`.
const v1to2: Upcaster = {
  type: 'PromiseMade',
  fromVersion: 1,
  upcast: (data) => {
    const { due, ...rest } = data as { due: string };
    return { ...rest, dueBy: due };
  },
};
const v2to3: Upcaster = {
  type: 'PromiseMade',
  fromVersion: 2,
  upcast: (data) => {
    const { windowHours, ...rest } = data as { dueBy: string; windowHours?: number };
    return windowHours === undefined ? rest : { ...rest, windowStart: new Date(Date.parse(rest.dueBy) - windowHours * 3_600_000).toISOString() };
  },
};

describe('upcasters', () => {
  // A payload of an older version is written by a store that reads it at that version upcast
  // (a new event is validated in the shape it reads): `before` has the steps of its day.
  it('upgrade a stored event of an older schema version on every read, through each step in order', async () => {
    const before = await open([v1to2, v2to3]);
    await before.append('c', [{ ...old, id: 'p1', schemaVersion: 1, data: { promiseId: 'p1', what: 'tow', due: '2017-11-21T17:00:00Z', windowHours: 4 } }]);
    const after = await open([v2to3, v1to2], before.schema);
    // Validated as a new PromiseMade would be: its default importance is filled in.
    const expected = { promiseId: 'p1', what: 'tow', dueBy: '2017-11-21T17:00:00Z', windowStart: '2017-11-21T13:00:00.000Z', importance: 'normal' };
    expect((await after.readStream('c'))[0]).toMatchObject({ data: expected, schemaVersion: 3 });
    expect((await after.readAll())[0]?.data).toEqual(expected);
    expect((await after.readByIds('c', ['p1']))[0]?.data).toEqual(expected);
    // The row itself is untouched: history stays as written.
    expect((await (await open([], before.schema)).readStream('c'))[0]).toMatchObject({ data: { due: '2017-11-21T17:00:00Z' }, schemaVersion: 1 });
  });

  it('stamp new events with the current version, validated and normalised as the engine would record them; other types are not upcast', async () => {
    const store = await open([v1to2, v2to3]);
    const { appended } = await store.append('c', [
      { ...old, data: { promiseId: 'p2', what: 'call', dueBy: '2017-11-22T17:00:00Z' } },
      { ...old, type: 'MatterOpened', data: { matterId: 'm' } },
    ]);
    expect(appended.map((e) => [e.schemaVersion, e.data])).toEqual([
      [3, { promiseId: 'p2', what: 'call', dueBy: '2017-11-22T17:00:00Z', importance: 'normal' }],
      [1, { matterId: 'm', severity: 'normal' }],
    ]);
  });

  it('validate a new event given at an older schema version in the shape every read hands it out (upcast), and store it as given', async () => {
    const store = await open([v1to2, v2to3]);
    const given = { promiseId: 'p1', what: 'tow', due: '2017-11-21T17:00:00Z', windowHours: 4 };
    await store.append('c', [{ ...old, id: 'p1', schemaVersion: 1, data: given }]);
    // Read upcast and normalised; the row keeps the payload as given, at version 1.
    expect((await store.readStream('c'))[0]).toMatchObject({ schemaVersion: 3, data: { promiseId: 'p1', what: 'tow', dueBy: '2017-11-21T17:00:00Z', windowStart: '2017-11-21T13:00:00.000Z', importance: 'normal' } });
    expect((await (await open([], store.schema)).readStream('c'))[0]).toMatchObject({ schemaVersion: 1, data: given });
    // A payload no read could hand out (its upcast has no due time) is refused, naming the field as it reads.
    for (const write of [(events: NewEvent[]) => store.append('c', events), (events: NewEvent[]) => store.importEvents(events)]) {
      const error = await write([{ ...old, id: 'p2', schemaVersion: 2, data: { promiseId: 'p2', what: 'tow', due: '2017-11-21T17:00:00Z' } }]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).errors.map((e) => e.problem())).toEqual([
        { customerId: 'c', eventId: 'p2', eventType: 'PromiseMade', index: 0, path: 'data.dueBy', rule: 'required', message: 'required field is missing (expected string) (in the payload as it reads upcast from schema version 2 to 3)' },
        { customerId: 'c', eventId: 'p2', eventType: 'PromiseMade', index: 0, path: 'data.due', rule: 'unknown-field', message: 'unknown field (not part of PromiseMade; free-form context belongs in meta). Did you mean "dueBy"? (in the payload as it reads upcast from schema version 2 to 3)' },
      ]);
    }
    // A step missing (no read could upcast it) fails the append as a read would, writing nothing.
    const gap = await open([v2to3], store.schema);
    await expect(gap.append('c', [{ ...old, id: 'p4', schemaVersion: 1, data: given }])).rejects.toThrow(/no upcaster for PromiseMade from schema version 1 \(current is 3\)/);
    // At the current version or beyond (no step applies: read as given), validated as given.
    const beyond = await store.append('c', [{ ...old, id: 'p3', schemaVersion: 4, data: { promiseId: 'p3', what: 'call', dueBy: '2017-11-22T17:00:00Z' } }]);
    expect(beyond.appended[0]).toMatchObject({ schemaVersion: 4, data: { importance: 'normal' } });
    expect(await store.streamVersion('c')).toBe(2);
  });

  it('treat a retry of an old-version event as the same payload once both are upgraded', async () => {
    const before = await open([v1to2]);
    const original = { ...old, id: 'p1', schemaVersion: 1, data: { promiseId: 'p1', what: 'tow', due: '2017-11-21T17:00:00Z' } };
    await before.append('c', [original]);
    const after = await open([v1to2], before.schema);
    const retry = await after.append('c', [original]);
    expect([retry.appended.length, retry.duplicates.length]).toEqual([0, 1]);
  });

  it('refuse to hand out a half-upgraded payload when a step is missing, naming event, customer and versions', async () => {
    const before = await open([v1to2]);
    await before.append('c', [{ ...old, id: 'p1', schemaVersion: 1, data: { promiseId: 'p1', what: 'tow', due: '2017-11-21T17:00:00Z' } }]);
    const gap = await open([{ ...v2to3, fromVersion: 2 }, { type: 'PromiseMade', fromVersion: 3, upcast: (d) => d }], before.schema);
    await expect(gap.readStream('c')).rejects.toThrow(/event "p1" of customer "c": no upcaster for PromiseMade from schema version 1 \(current is 4\)/);
  });

  it('name a new event without an id whose upcast fails by its place in the batch, its type and its customer', async () => {
    const given = { promiseId: 'p1', what: 'tow', due: '2017-11-21T17:00:00Z' };
    const fine = { ...old, id: 'p0', schemaVersion: 3, data: { promiseId: 'p0', what: 'call', dueBy: '2017-11-22T17:00:00Z' } };
    const gap = await open([v2to3]);
    for (const write of [(events: NewEvent[]) => gap.append('c', events), (events: NewEvent[]) => gap.importEvents(events)]) {
      const error = await write([fine, { ...old, schemaVersion: 1, data: given }]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe('event #2 (PromiseMade of customer "c"): no upcaster for PromiseMade from schema version 1 (current is 3)');
    }
    const throwing = await open([{ type: 'PromiseMade', fromVersion: 1, upcast: () => { throw new Error('no due time'); } }]);
    const error = await throwing.append('c', [{ ...old, schemaVersion: 1, data: given }]).catch((e: unknown) => e);
    expect((error as Error).message).toBe('event #1 (PromiseMade of customer "c"): the upcaster of PromiseMade from schema version 1 threw: no due time');
    // With an id, as before.
    const named = await throwing.append('c', [{ ...old, id: 'p9', schemaVersion: 1, data: given }]).catch((e: unknown) => e);
    expect((named as Error).message).toBe('event "p9" of customer "c": the upcaster of PromiseMade from schema version 1 threw: no due time');
  });

  it('refuse an upcast payload that is not a valid event of its type, naming the event, the versions and the field', async () => {
    const before = await open([v1to2]);
    await before.append('c', [{ ...old, id: 'p1', schemaVersion: 1, data: { promiseId: 'p1', what: 'tow', due: '2017-11-21T17:00:00Z' } }]);
    const typo: Upcaster = { type: 'PromiseMade', fromVersion: 1, upcast: (data) => ({ ...(data as object), dueby: (data as { due: string }).due }) };
    const after = await open([typo], before.schema);
    const error = await after.readStream('c').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      'event "p1" of customer "c": the upcasters of PromiseMade from schema version 1 to 2 made a payload that is not a valid PromiseMade: data.dueBy: required field is missing (expected string); data.due: unknown field; data.dueby: unknown field',
    );
  });

  it("validate an upcast payload of a plugin's type once an engine on the store gave its schemas", async () => {
    const Notice = z.strictObject({ channel: z.string(), wording: z.string() });
    const notices = definePolicy({ name: 'notices', kinds: ['notices.seen'], events: { Notice }, initialState: () => ({}), evolve() {} });
    const before = await open();
    await before.append('c', [{ customerId: 'c', type: 'Notice', at, time: Date.parse(at), id: 'n1', data: { channel: 'web', text: 'You will not receive a reply.' } }]);
    // Version 2 renamed `text` to `wording`; this step misspells it and keeps the old field.
    const typo: Upcaster = { type: 'Notice', fromVersion: 1, upcast: (data) => ({ ...(data as object), wordng: (data as { text: string }).text }) };
    const after = await open([typo], before.schema);
    // The store alone does not know the type's schema: the payload is handed out as the step made it.
    expect((await after.readStream('c'))[0]?.data).toEqual({ channel: 'web', text: 'You will not receive a reply.', wordng: 'You will not receive a reply.' });

    const generation = after.upcasters.generation;
    new Engine({ policies: [...builtinPolicies, notices], store: after });
    expect(after.upcasters.generation).toBeGreaterThan(generation); // a projection's cache reads such streams again
    const error = await after.readStream('c').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      'event "n1" of customer "c": the upcasters of Notice from schema version 1 to 2 made a payload that is not a valid Notice: data.wording: required field is missing (expected string); data.text: unknown field; data.wordng: unknown field',
    );

    const fixed = await open([{ type: 'Notice', fromVersion: 1, upcast: (data) => { const { text, ...rest } = data as { text: string }; return { ...rest, wording: text }; } }], before.schema);
    new Engine({ policies: [...builtinPolicies, notices], store: fixed });
    expect((await fixed.readStream('c'))[0]).toMatchObject({ data: { channel: 'web', wording: 'You will not receive a reply.' }, schemaVersion: 2 });
  });

  it('reject a step registered twice or from a version below 1', () => {
    expect(() => new Upcasters([v1to2, v1to2])).toThrow(UsageError);
    expect(() => new Upcasters([{ ...v1to2, fromVersion: 0 }])).toThrow(/fromVersion must be an integer >= 1/);
  });

  it('name the step at fault in fields: path (upcasters[i].fromVersion, or fromVersion for register) and rule', () => {
    const type = v1to2.type;
    expect(() => new Upcasters([v1to2, { ...v1to2, fromVersion: 0 }])).toThrow(
      new UsageError(`upcaster for "${type}": fromVersion must be an integer >= 1, got 0`, { path: 'upcasters[1].fromVersion', rule: 'too-small' }),
    );
    expect(() => new Upcasters([{ ...v1to2, fromVersion: 1.5 }])).toThrow(
      new UsageError(`upcaster for "${type}": fromVersion must be an integer >= 1, got 1.5`, { path: 'upcasters[0].fromVersion', rule: 'invalid-type' }),
    );
    expect(() => new Upcasters([v1to2, v1to2])).toThrow(
      new UsageError(`upcaster for "${type}" from version 1 is registered twice`, { path: 'upcasters[1].fromVersion', rule: 'duplicate' }),
    );
    expect(() => new Upcasters([v1to2]).register(v1to2)).toThrow(
      new UsageError(`upcaster for "${type}" from version 1 is registered twice`, { path: 'fromVersion', rule: 'duplicate' }),
    );
    expect(() => new Upcasters().register({ ...v1to2, fromVersion: '2' as never })).toThrow(
      new UsageError(`upcaster for "${type}": fromVersion must be an integer >= 1, got 2`, { path: 'fromVersion', rule: 'invalid-type' }),
    );
  });
});
