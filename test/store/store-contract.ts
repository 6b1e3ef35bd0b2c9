import fc from 'fast-check';
import * as z from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definePolicy, Engine, EventIdConflictError, InvalidInputError, iterateAll, UsageError, VersionConflictError } from '../../src/index.js';
import type { AppendResult, EventInput, EventStore, NewEvent, StoredEvent } from '../../src/index.js';

/**
 * The store contract: every EventStore (in-memory, PostgreSQL through PGlite, PostgreSQL server)
 * registers this same suite, so the engine can treat them alike. `open` gives a fresh, empty store.
 */
export interface StoreUnderTest {
  readonly store: EventStore;
  /** Drop whatever the store created (a schema, a database); called after `store.close()`. */
  readonly cleanup?: () => Promise<void>;
}

const T0 = Date.parse('2017-11-20T13:30:00Z');
/** `ev`'s type. */
export const TYPE = 'test.Noted';
const HOUR = 3_600_000;

/**
 * A valid-looking event; `n` spaces events an hour apart. Of a type no store knows (`TYPE`, as a
 * plugin's no engine handed over): its payload is kept as given, checked only to be JSON data, so
 * a test can put anything JSON in it (its `n` tells payloads apart). A core type's payload is
 * validated by its schema (`CONTACT` is one ContactMade takes).
 */
export function ev(customerId: string, n: number, extra: Partial<NewEvent> = {}): NewEvent {
  return {
    customerId,
    type: TYPE,
    at: new Date(T0 + n * HOUR).toISOString(),
    time: T0 + n * HOUR,
    data: { direction: 'outbound', channel: 'phone', purpose: 'update', n },
    ...extra,
  };
}

/**
 * One event of a random sequence: no id, an id of the form the store assigns (`<customerId>:<k>`,
 * possibly `~n`), or an id of its own; `payload` picks one of three payloads, so a repeated id is
 * sometimes an identical retry and sometimes a conflict.
 */
export const idStep = fc.record({
  id: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 6 }).map((k) => `:${k}`) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 3 })).map(([k, n]) => `:${k}~${n}`) },
    { weight: 1, arbitrary: fc.constantFrom('own-a', 'own-b') },
  ),
  payload: fc.integer({ min: 0, max: 2 }),
});

/** The event of a step in stream `customerId` (an id of the assigned form is that stream's). */
export function stepEvent(customerId: string, step: { readonly id: string | undefined; readonly payload: number }): NewEvent {
  const id = step.id === undefined ? undefined : step.id.startsWith(':') ? `${customerId}${step.id}` : step.id;
  return ev(customerId, step.payload, id === undefined ? {} : { id });
}

/**
 * What the engine's `record` says of a customer id in an event (its ValidationError's field, rule
 * and words): every store must name a bad customer id by the same rule, in the same words.
 */
export async function engineCustomerIdProblem(customerId: unknown): Promise<{ readonly path: string; readonly rule: string; readonly detail: string }> {
  const event = { customerId, type: 'RelationshipStarted', at: '2017-11-20T13:30:00Z', data: {} } as EventInput; // any value, as untyped callers give
  const error = await new Engine().record([event]).catch((e: unknown) => e);
  const [problem, ...more] = (error as InvalidInputError).errors;
  if (problem === undefined || more.length > 0) throw new Error(`expected one problem with customer id ${String(customerId)}, got ${String(error)}`);
  return { path: problem.path, rule: problem.rule, detail: problem.detail };
}

/** Customer ids no entry point accepts: empty, over 200 characters, not a string. */
export const BAD_CUSTOMER_IDS: readonly (readonly [string, unknown])[] = [
  ['empty', ''],
  ['over 200 characters', 'x'.repeat(201)],
  ['a number', 42],
  ['null', null],
  ['absent', undefined],
];

/** A ContactMade payload the engine accepts, as it normalises it (`purpose` filled in). */
const CONTACT = { direction: 'outbound', channel: 'phone', purpose: 'update' };

/**
 * Fields of an event both the engine and every store refuse: a store must refuse them by the
 * engine's rule and in its words (the same ValidationError for the same event).
 */
const ENGINE_WORDED: readonly (readonly [string, Record<string, unknown>])[] = [
  ['data null', { data: null }],
  ['data an array', { data: [1, 2] }],
  ['data a string', { data: 'x' }],
  ['data a number', { data: 5 }],
  ['meta null', { meta: null }],
  ['meta an array', { meta: ['crm'] }],
  ['meta a string', { meta: 'crm' }],
  ['meta a boolean', { meta: true }],
  ['type not a string', { type: 42 }],
  ['type empty', { type: '' }],
  ['at absent', { at: undefined }],
  ['at not a string', { at: 20171120 }],
  ['at no instant', { at: 'next tuesday' }],
  ['at a date-time without a zone', { at: '2017-11-20T13:30:00' }],
  ['at not a real date', { at: '2017-02-29' }],
  ['id not a string', { id: 7 }],
  ['id empty', { id: '' }],
  ['id over 200 characters', { id: 'i'.repeat(201) }],
];

/** A plugin type with a whole number from 1 that PostgreSQL's integer holds, as a store's schemaVersion must be. */
const VERSIONED = definePolicy({
  name: 'versioned',
  kinds: ['versioned.never'],
  events: { 'versioned.Noted': z.strictObject({ version: z.number().int().min(1).max(2_147_483_647) }) },
  initialState: () => ({}),
  evolve() {},
});

const BAD_SCHEMA_VERSIONS: readonly (readonly [string, unknown])[] = [
  ['a fraction', 1.5],
  ['a string', '2'],
  ['null', null],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['0', 0],
  ['negative', -3],
  ['beyond an integer column', 2 ** 31],
];

export function storeContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: EventStore;
    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(async () => {
      await store.close();
      await subject.cleanup?.();
    });

    describe('append and read a stream', () => {
      it('numbers a new stream from 1, assigns "<customerId>:<version>" ids and returns what it wrote', async () => {
        const result = await store.append('c-1', [ev('c-1', 0), ev('c-1', 1, { id: 'own-id' }), ev('c-1', 2)]);
        expect(result.streamVersion).toBe(3);
        expect(result.duplicates).toEqual([]);
        expect(result.appended.map((e) => [e.id, e.streamVersion])).toEqual([
          ['c-1:1', 1],
          ['own-id', 2],
          ['c-1:3', 3],
        ]);
        expect(await store.readStream('c-1')).toEqual(result.appended);
      });

      it('round-trips every field: at as written, time, nested data, meta, schema version, recordedAt', async () => {
        const at = '2017-11-20T06:30:00-07:00';
        const data = { matterId: 'claim', severity: 'normal' as const, title: 'Deer "hit" — ünïcode', nested: { list: [1, 2.5, null, true], empty: {} } };
        const meta = { source: 'crm', correlationId: 'corr-1' };
        const { appended } = await store.append('c-1', [
          { customerId: 'c-1', type: TYPE, at, time: Date.parse(at), data, meta, schemaVersion: 3 },
          // A date: its start in the engine's calendar (America/Denver here), which the store does not know.
          { customerId: 'c-1', type: 'ContactMade', at: '2017-11-21', time: Date.UTC(2017, 10, 21, 7), data: { direction: 'inbound', channel: 'email', purpose: 'question' } },
        ]);
        const [first, second] = await store.readStream('c-1');
        expect(first).toMatchObject({ id: 'c-1:1', customerId: 'c-1', type: TYPE, at, time: Date.parse(at), data, meta, schemaVersion: 3, streamVersion: 1 });
        expect(second).toMatchObject({ at: '2017-11-21', time: Date.UTC(2017, 10, 21, 7), schemaVersion: 1 });
        expect(second && 'meta' in second).toBe(false);
        expect(Number.isNaN(Date.parse(first?.recordedAt ?? ''))).toBe(false);
        expect(first?.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(appended[0]?.globalPosition).toBe(first?.globalPosition);
      });

      it('keeps streams apart and reports each version; an unknown stream is empty at version 0', async () => {
        await store.append('a', [ev('a', 0), ev('a', 1)]);
        await store.append('b', [ev('b', 0)]);
        await store.append('a', [ev('a', 2)]);
        expect([await store.streamVersion('a'), await store.streamVersion('b'), await store.streamVersion('nobody')]).toEqual([3, 1, 0]);
        expect((await store.readStream('a')).map((e) => e.id)).toEqual(['a:1', 'a:2', 'a:3']);
        expect(await store.readStream('nobody')).toEqual([]);
      });

      it('reads a stream from a version, with a limit', async () => {
        await store.append('c', [0, 1, 2, 3, 4].map((n) => ev('c', n)));
        expect((await store.readStream('c', { fromVersion: 2, limit: 2 })).map((e) => e.streamVersion)).toEqual([2, 3]);
        expect((await store.readStream('c', { fromVersion: 4 })).map((e) => e.streamVersion)).toEqual([4, 5]);
        expect(await store.readStream('c', { fromVersion: 9 })).toEqual([]);
      });

      it.each([
        ['readStream', 'limit', -1, 'too-small'],
        ['readStream', 'limit', 1.5, 'invalid-type'],
        ['readStream', 'fromVersion', 2.5, 'invalid-type'],
        ['readStream', 'fromVersion', Number.NaN, 'invalid-type'],
        ['readStream', 'fromVersion', 2 ** 60, 'too-big'],
        ['readAll', 'limit', -1, 'too-small'],
        ['readAll', 'after', 2.5, 'invalid-type'],
        ['readAll', 'after', -(2 ** 60), 'too-small'],
        ['readAll', 'limit', '10', 'invalid-type'],
      ] as const)('refuses %s with option %s = %s as a UsageError naming the option, not a driver error or a silent slice', async (method, option, value, rule) => {
        await store.append('c', [0, 1, 2].map((n) => ev('c', n)));
        const read = method === 'readStream' ? store.readStream('c', { [option]: value as never }) : store.readAll({ [option]: value as never });
        const error = await read.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UsageError);
        expect((error as Error).message).toContain(`${method}: option "${option}"`);
        // The structured fields a program branches on (errors.ts): the option, and the rule a schema would give the value.
        expect(error).toMatchObject({ code: 'HEED_USAGE', path: option, rule });
      });

      it.each([
        // Then the closest known name, by the rule of an unknown event type's suggestion (none for `from`).
        ['append', (s: EventStore) => s.append('c', [ev('c', 9)], { expectedversion: 0 } as never), '"expectedVersion"). Did you mean "expectedVersion"?'],
        ['readStream', (s: EventStore) => s.readStream('c', { fromversion: 2 } as never), '"fromVersion", "limit"). Did you mean "fromVersion"?'],
        ['readAll', (s: EventStore) => s.readAll({ from: 2 } as never), '"after", "limit")'],
      ] as const)('refuses an option of %s it does not know (a misspelt one did nothing), naming it and the known ones; nothing is written', async (method, call, known) => {
        await store.append('c', [0, 1, 2].map((n) => ev('c', n)));
        const error = await call(store).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UsageError);
        const name = method === 'append' ? 'expectedversion' : method === 'readStream' ? 'fromversion' : 'from';
        expect((error as Error).message).toBe(`${method}: unknown option "${name}" (the options are ${known}`);
        expect(error).toMatchObject({ code: 'HEED_USAGE', path: name, rule: 'unknown-field' });
        expect(await store.streamVersion('c')).toBe(3);
      });

      it.each([
        ['null', null, 'null'],
        ['a number', 7, '7'],
        ['an array', [], 'an array'],
      ] as const)('refuses append options that are %s as a UsageError saying so (not a TypeError from reading them); nothing is written', async (_what, options, shown) => {
        const error = await store.append('c', [ev('c', 0)], options as never).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UsageError);
        expect((error as Error).message).toBe(`append: options must be an object, got ${shown}`);
        expect(await store.streamVersion('c')).toBe(0);
      });

      it('leaves a symbol key of the options alone: it is no option name', async () => {
        const result = await store.append('c', [ev('c', 0)], { expectedVersion: 0, [Symbol('mark')]: true } as never);
        expect(result.streamVersion).toBe(1);
        expect(await store.readStream('c', { limit: 1, [Symbol('mark')]: 1 } as never)).toHaveLength(1);
      });

      it('accepts customer ids with quotes, spaces and non-ASCII letters', async () => {
        const id = `O'Brien "Ltd" — Zürich`;
        await store.append(id, [ev(id, 0)]);
        expect((await store.readStream(id)).map((e) => e.id)).toEqual([`${id}:1`]);
      });

      it('appends nothing for an empty batch', async () => {
        const result = await store.append('c', []);
        expect([result.streamVersion, result.appended.length, await store.streamVersion('c')]).toEqual([0, 0, 0]);
      });

      it('refuses an event of another customer and writes nothing', async () => {
        await expect(store.append('a', [ev('a', 0), ev('b', 1)])).rejects.toBeInstanceOf(UsageError);
        expect(await store.streamVersion('a')).toBe(0);
      });

      it('keeps assigned ids unique when a writer already used "<customerId>:<version>" as its own id', async () => {
        await store.append('c', [ev('c', 0, { id: 'c:2' })]);
        const { appended } = await store.append('c', [ev('c', 1)]);
        expect(appended[0]?.id).toBe('c:2~2');
        expect((await store.readByIds('c', ['c:2', 'c:2~2'])).map((e) => e.streamVersion)).toEqual([1, 2]);
      });

      it('reads events by id each once, in stream order, whatever the order and repeats of the ids asked for', async () => {
        await store.append('r', [ev('r', 0), ev('r', 1), ev('r', 2)]);
        const found = await store.readByIds('r', ['r:3', 'r:1', 'r:3', 'nope', 'r:1']);
        expect(found.map((e) => e.id)).toEqual(['r:1', 'r:3']);
      });
    });

    describe('what no store accepts (as the engine refuses it)', () => {
      it.each([
        ['empty', '', 'must not be empty (rule too-small)'],
        ['over 200 characters', 'x'.repeat(201), 'must be at most 200 characters (rule too-big)'],
      ])('refuses a customer id %s as a UsageError naming the stream and the rule, writing nothing', async (_what, customerId, rule) => {
        for (const batch of [[ev(customerId, 0)], [ev(customerId, 0), ev(customerId, 1)], []]) {
          const error = await store.append(customerId, batch).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(UsageError);
          expect((error as Error).message).toContain(`append to stream "${customerId.slice(0, 60)}`);
          expect((error as Error).message).toContain(rule);
        }
        expect(await store.readAll()).toEqual([]);
        expect(await store.streamVersion(customerId)).toBe(0);
      });

      it.each(BAD_CUSTOMER_IDS)('refuses a customer id %s given as the stream (the caller\'s argument: a UsageError) by the rule and in the words the engine refuses it in an event', async (_what, customerId) => {
        const { path, rule, detail } = await engineCustomerIdProblem(customerId);
        expect(path).toBe('customerId');
        for (const batch of [[ev(customerId as string, 0)], []]) {
          const error = await store.append(customerId as string, batch).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(UsageError);
          expect((error as Error).message).toContain(`: ${detail} (rule ${rule})`);
          // The same as structured fields (errors.ts): the argument, the rule, and the stream when it is a string at all.
          expect(error).toMatchObject({ code: 'HEED_USAGE', path: 'customerId', rule });
          expect((error as UsageError).customerId).toBe(typeof customerId === 'string' ? customerId : undefined);
        }
        expect(await store.readAll()).toEqual([]);
      });

      it('accepts a customer id of 200 characters counted as code points (emoji are two UTF-16 units)', async () => {
        const customerId = '😀'.repeat(200);
        await store.append(customerId, [ev(customerId, 0)]);
        expect((await store.readStream(customerId)).map((e) => e.customerId)).toEqual([customerId]);
      });

      const cycle: Record<string, unknown> = { name: 'loop' };
      cycle['self'] = cycle;
      it.each([
        ['a BigInt', { data: { n: 1n } }, 'data.n', 'is a BigInt, which is not JSON data'],
        ['an undefined array item', { data: { items: [1, 2, undefined] } }, 'data.items[2]', 'is undefined, which JSON would write as null'],
        ['NaN', { data: { amounts: { wait: Number.NaN } } }, 'data.amounts.wait', 'is NaN, which JSON cannot hold'],
        ['Infinity', { data: { x: Number.POSITIVE_INFINITY } }, 'data.x', 'is Infinity, which JSON cannot hold'],
        ['a Date', { data: { when: new Date(0) } }, 'data.when', 'is a Date'],
        ['a class instance', { data: { seen: new Set(['a']) } }, 'data.seen', 'is an instance of Set'],
        ['a function in meta', { meta: { source: 'crm', retry: () => 1 } }, 'meta.retry', 'is a function'],
        ['a symbol in meta', { meta: { tag: Symbol('t') } }, 'meta.tag', 'is a symbol'],
        ['a cycle', { data: { graph: cycle } }, 'data.graph.self.self', 'nested more than 64 levels deep (a cycle?)'],
      ] as const)('refuses data or meta holding %s, naming the stream, the position in the batch, the id and the field, writing nothing', async (_what, extra, path, message) => {
        for (const batch of [[ev('c', 0, { id: 'fine' }), ev('c', 1, { id: 'bad', ...extra })], [ev('c', 1, { id: 'bad', ...extra })]]) {
          const error = await store.append('c', batch).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(InvalidInputError);
          const [problem, ...more] = (error as InvalidInputError).errors;
          expect(more).toEqual([]);
          expect(problem).toMatchObject({ customerId: 'c', eventId: 'bad', index: batch.length - 1, rule: 'not-json' });
          expect(problem?.path.startsWith(path)).toBe(true);
          expect(problem?.detail).toContain(message);
          expect((error as Error).message).toContain(`event #${batch.length} (${TYPE} "bad" of customer "c"): ${path}`);
        }
        expect(await store.streamVersion('c')).toBe(0);
        expect(await store.readAll()).toEqual([]);
      });

      it('lists every event of the batch whose payload is not JSON data, and keeps undefined properties out as JSON does', async () => {
        const error = await store.append('c', [ev('c', 0, { data: { a: 1n } }), ev('c', 1), ev('c', 2, { meta: { b: [undefined] } })]).catch((e: unknown) => e);
        expect((error as InvalidInputError).errors.map((e) => [e.index, e.path])).toEqual([
          [0, 'data.a'],
          [2, 'meta.b[0]'],
        ]);
        await store.append('c', [ev('c', 0, { data: { kept: 1, left: undefined } })]);
        expect((await store.readStream('c'))[0]?.data).toEqual({ kept: 1 });
      });

      it.each(ENGINE_WORDED)('refuses an event with %s by the rule and in the words of the engine\'s validation of the same event (the whole ValidationError alike), writing nothing', async (_what, extra) => {
        const bad = { ...ev('c', 1, { id: 'bad', type: 'ContactMade', data: CONTACT }), ...extra } as unknown as NewEvent;
        for (const batch of [[ev('c', 0, { id: 'fine', type: 'ContactMade', data: CONTACT }), bad], [bad]]) {
          const engine = await new Engine().record(batch.map(({ time: _time, ...input }) => input) as never).catch((e: unknown) => e);
          const error = await store.append('c', batch).catch((e: unknown) => e);
          expect(engine).toBeInstanceOf(InvalidInputError);
          expect(error).toBeInstanceOf(InvalidInputError);
          const expected = (engine as InvalidInputError).errors.map((e) => e.problem());
          expect(expected).toHaveLength(1);
          expect((error as InvalidInputError).errors.map((e) => e.problem())).toEqual(expected);
          expect((error as InvalidInputError).errors.map((e) => e.message)).toEqual((engine as InvalidInputError).errors.map((e) => e.message));
        }
        expect(await store.readAll()).toEqual([]);
      });

      it("validates a core type's payload as the engine does: refused by the engine's rules and words (the whole ValidationError alike), kept normalised as it would record it", async () => {
        const at = '2017-11-20T13:30:00Z';
        const input = [
          { id: 'fine', customerId: 'c', type: 'MatterOpened', at, data: { matterId: 'm' } },
          { id: 'bad', customerId: 'c', type: 'PromiseMade', at, data: { promiseId: 'p', what: '', dueBy: '2017-11-21', importance: 'urgent' } },
        ];
        const engine = await new Engine().record(input as never).catch((e: unknown) => e);
        const error = await store.append('c', input.map((e) => ({ ...e, time: T0 }))).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidInputError);
        const expected = (engine as InvalidInputError).errors.map((e) => e.problem());
        expect(expected.map((e) => e.path)).toEqual(['data.what', 'data.dueBy', 'data.importance']);
        expect((error as InvalidInputError).errors.map((e) => e.problem())).toEqual(expected);
        expect(await store.readAll()).toEqual([]);
        await store.append('c', [{ ...(input[0] as NewEvent), time: T0 }, { id: 'contact', customerId: 'c', type: 'ContactMade', at, time: T0, data: { direction: 'inbound', channel: 'web' } }]);
        expect((await store.readStream('c')).map((e) => e.data)).toEqual([
          { matterId: 'm', severity: 'normal' },
          { direction: 'inbound', channel: 'web', purpose: 'question' },
        ]);
      });

      it('refuses an event without data as a required field, in the words the engine uses for a missing field (the engine itself reads an absent payload as {})', async () => {
        const error = await store.append('c', [{ ...ev('c', 0), data: undefined } as unknown as NewEvent]).catch((e: unknown) => e);
        const engine = await new Engine().record([{ customerId: 'c', type: 'ContactMade' }] as never).catch((e: unknown) => e);
        const missingAt = (engine as InvalidInputError).errors.find((e) => e.path === 'at');
        expect(missingAt?.detail).toBe('required field is missing (expected string)');
        expect((error as InvalidInputError).errors.map((e) => [e.path, e.rule, e.detail])).toEqual([['data', missingAt?.rule, 'required field is missing (expected object)']]);
        expect(await store.readAll()).toEqual([]);
      });

      it.each(BAD_SCHEMA_VERSIONS)('refuses schemaVersion %s by the rule and in the words the engine\'s validation gives a whole number from 1 that PostgreSQL\'s integer holds (the engine has no schemaVersion: it is the stores\' own field)', async (_what, version) => {
        const engine = await new Engine({ policies: [VERSIONED] }).record([{ customerId: 'c', type: 'versioned.Noted', at: '2017-11-20T13:30:00Z', data: { version } }]).catch((e: unknown) => e);
        const [expected, ...more] = (engine as InvalidInputError).errors;
        expect(more).toEqual([]);
        expect(expected?.path).toBe('data.version');
        const error = await store.append('c', [{ ...ev('c', 0), schemaVersion: version } as unknown as NewEvent]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).errors.map((e) => [e.path, e.rule, e.detail])).toEqual([['schemaVersion', expected?.rule, expected?.detail]]);
        expect(await store.readAll()).toEqual([]);
      });

      it.each([
        ['empty', '', 'too-small', 'must not be empty'],
        ['over 200 characters', 'x'.repeat(201), 'too-big', 'must be at most 200 characters'],
      ])('refuses an event id %s per event, with its position in the batch, writing nothing', async (_what, id, rule, message) => {
        const error = await store.append('c', [ev('c', 0, { id: 'fine' }), ev('c', 1), ev('c', 2, { id })]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).errors.map((e) => [e.index, e.path, e.rule, e.detail])).toEqual([[2, 'id', rule, message]]);
        expect((error as Error).message).toContain(`event #3 (${TYPE}`);
        expect(await store.readAll()).toEqual([]);
      });

      it('accepts an event id of 200 characters counted as code points, and an id given as undefined as no id', async () => {
        const id = '😀'.repeat(200);
        await store.append('c', [ev('c', 0, { id }), { ...ev('c', 1), id: undefined }]);
        expect((await store.readStream('c')).map((e) => e.id)).toEqual([id, 'c:2']);
      });

      it('keeps an event whose time is the instant its at denotes: a date-time with Z or an offset exactly, a date as the start of that day in some time zone', async () => {
        const accepted: readonly (readonly [string, number])[] = [
          ['2017-11-20T06:30:00-07:00', T0],
          ['2017-11-20T14:30:00+0100', T0],
          ['2017-11-20T13:30Z', T0],
          ['2017-11-20T13:30:00.000999Z', T0], // heed's resolution is the millisecond: finer digits are dropped
          ['2017-11-20', Date.UTC(2017, 10, 20)], // UTC
          ['2017-11-20', Date.UTC(2017, 10, 20, 7)], // America/Denver
          ['2017-11-20', Date.UTC(2017, 10, 19, 10)], // Pacific/Kiritimati, UTC+14
          ['2017-11-20', Date.UTC(2017, 10, 20, 12)], // Etc/GMT+12
        ];
        await store.append('c', accepted.map(([at, time], n) => ({ ...ev('c', n), at, time })));
        expect((await store.readStream('c')).map((e) => [e.at, e.time])).toEqual(accepted);
      });

      it('refuses a batch holding an event of another customer as a UsageError, whatever else is wrong in it', async () => {
        const error = await store.append('c', [ev('c', 0, { data: { n: 1n } }), ev('d', 1)]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UsageError);
        expect((error as Error).message).toBe('append to stream "c" was given an event of customer "d"');
        expect(error).toMatchObject({ path: 'events[1].customerId', rule: 'invalid-value', customerId: 'c' });
        expect(await store.readAll()).toEqual([]);
      });

      it.each([
        ['time absent (at not resolved)', { time: undefined }, 'time', 'invalid-instant'],
        ['time a string', { time: '2017-11-20T13:30:00Z' }, 'time', 'invalid-instant'],
        ['time NaN', { time: Number.NaN }, 'time', 'invalid-instant'],
        ['time beyond a Date', { time: 9e15 }, 'time', 'invalid-instant'],
        ['time not the instant at denotes', { at: '2024-01-01T00:00:00Z', time: 0 }, 'time', 'invalid-instant'],
        ['time a millisecond off at', { at: '2017-11-20T13:30:00.001Z', time: T0 }, 'time', 'invalid-instant'],
        ['time not at with its offset', { at: '2017-11-20T13:30:00+01:00', time: T0 }, 'time', 'invalid-instant'],
        ['at a date and time a day after its start anywhere', { at: '2017-11-20', time: Date.UTC(2017, 10, 21) }, 'time', 'invalid-instant'],
      ] as const)('refuses an event with %s, naming it and the field, writing nothing', async (_what, extra, path, rule) => {
        for (const batch of [[ev('c', 0), { ...ev('c', 1), ...extra } as unknown as NewEvent], [{ ...ev('c', 1), ...extra } as unknown as NewEvent]]) {
          const error = await store.append('c', batch).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(InvalidInputError);
          expect((error as InvalidInputError).errors.map((e) => [e.index, e.path, e.rule])).toEqual([[batch.length - 1, path, rule]]);
        }
        expect(await store.readAll()).toEqual([]);
      });
    });

    describe('optimistic concurrency', () => {
      it('appends when the stream is at the expected version', async () => {
        await store.append('c', [ev('c', 0)], { expectedVersion: 0 });
        await store.append('c', [ev('c', 1)], { expectedVersion: 1 });
        await store.append('c', [ev('c', 2)], { expectedVersion: 'stream-exists' });
        await store.append('d', [ev('d', 0)], { expectedVersion: 'no-stream' });
        await store.append('d', [ev('d', 1)], { expectedVersion: 'any' });
        expect([await store.streamVersion('c'), await store.streamVersion('d')]).toEqual([3, 2]);
      });

      it.each([
        ['a stale number', 1, 2],
        ['a future number', 5, 2],
        ['0 on an existing stream', 0, 2],
        ["'no-stream' on an existing stream", 'no-stream', 2],
      ] as const)('refuses %s with VersionConflictError carrying the actual version, writing nothing', async (_what, expected, actual) => {
        await store.append('c', [ev('c', 0), ev('c', 1)]);
        const error = await store.append('c', [ev('c', 2), ev('c', 3)], { expectedVersion: expected }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(VersionConflictError);
        expect(error).toMatchObject({ code: 'HEED_VERSION_CONFLICT', customerId: 'c', expected, actual });
        expect(await store.streamVersion('c')).toBe(2);
        expect(await store.readAll()).toHaveLength(2);
      });

      it.each([
        ['a negative number', -1],
        ['a fraction', 1.5],
        ['NaN', Number.NaN],
        ['a numeric string (a header passed through)', '2'],
        ['an unknown word', 'latest'],
      ] as const)('refuses %s as expected version with a UsageError naming the option (not a version conflict to retry), writing nothing', async (_what, expected) => {
        await store.append('c', [ev('c', 0), ev('c', 1)]);
        const error = await store.append('c', [ev('c', 2)], { expectedVersion: expected as never }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UsageError);
        expect((error as Error).message).toContain('expectedVersion');
        // The structured fields a program branches on (errors.ts): the option, the rule (a value fitting none of the forms), the stream.
        expect(error).toMatchObject({ code: 'HEED_USAGE', path: 'expectedVersion', rule: 'invalid-union', customerId: 'c' });
        expect(await store.streamVersion('c')).toBe(2);
      });

      it('refuses a version beyond any stream as a conflict carrying the actual version', async () => {
        await store.append('c', [ev('c', 0)]);
        const error = await store.append('c', [ev('c', 1)], { expectedVersion: 2 ** 40 }).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'HEED_VERSION_CONFLICT', customerId: 'c', expected: 2 ** 40, actual: 1 });
      });

      it("refuses 'stream-exists' on a missing stream (actual 0)", async () => {
        const error = await store.append('new', [ev('new', 0)], { expectedVersion: 'stream-exists' }).catch((e: unknown) => e);
        expect(error).toMatchObject({ customerId: 'new', expected: 'stream-exists', actual: 0 });
        expect(await store.streamVersion('new')).toBe(0);
      });
    });

    describe('idempotent appends by event id', () => {
      it('skips a retry with the same payload, returns the stored event, and ignores a stale expected version', async () => {
        const first = await store.append('c', [ev('c', 0, { id: 'e1' }), ev('c', 1, { id: 'e2' })]);
        const retry = await store.append('c', [ev('c', 0, { id: 'e1' }), ev('c', 1, { id: 'e2' })], { expectedVersion: 0 });
        expect(retry.appended).toEqual([]);
        expect(retry.duplicates).toEqual(first.appended);
        expect(retry.streamVersion).toBe(2);
        expect(await store.readAll()).toHaveLength(2);
      });

      it('treats the same instant spelled differently, a different meta and re-ordered keys as the same payload', async () => {
        const at = '2017-11-20T06:30:00-07:00';
        await store.append('c', [{ id: 'e1', customerId: 'c', type: 'MatterOpened', at, time: Date.parse(at), data: { matterId: 'm', title: 't', severity: 'normal' }, meta: { try: 1 } }]);
        const retry = await store.append('c', [
          { id: 'e1', customerId: 'c', type: 'MatterOpened', at: '2017-11-20T13:30:00Z', time: Date.parse(at), data: { severity: 'normal', title: 't', matterId: 'm' }, meta: { try: 2 } },
        ]);
        expect([retry.appended.length, retry.duplicates.length]).toEqual([0, 1]);
      });

      it('treats -0 and 0 in data as the same payload, as JSON writes both as 0: a retry of an event holding -0 is skipped, not a conflict', async () => {
        await store.append('c', [ev('c', 0, { id: 'e1', data: { n: -0, list: [-0] } })]);
        const retry = await store.append('c', [ev('c', 0, { id: 'e1', data: { n: -0, list: [-0] } })]);
        expect([retry.appended.length, retry.duplicates.map((e) => e.id)]).toEqual([0, ['e1']]);
        const other = await store.append('c', [ev('c', 0, { id: 'e1', data: { n: 0, list: [0] } })]);
        expect([other.appended.length, other.duplicates.map((e) => e.id)]).toEqual([0, ['e1']]);
      });

      it('appends only the new events of a partly retried batch, checking the version against them', async () => {
        await store.append('c', [ev('c', 0, { id: 'e1' })]);
        const mixed = await store.append('c', [ev('c', 0, { id: 'e1' }), ev('c', 1, { id: 'e2' })], { expectedVersion: 1 });
        expect([mixed.appended.map((e) => e.id), mixed.duplicates.map((e) => e.id), mixed.streamVersion]).toEqual([['e2'], ['e1'], 2]);
        await expect(store.append('c', [ev('c', 1, { id: 'e2' }), ev('c', 2, { id: 'e3' })], { expectedVersion: 1 })).rejects.toMatchObject({ actual: 2 });
      });

      it('collapses a repeated id inside one batch and refuses a repeated id with another payload', async () => {
        const once = await store.append('c', [ev('c', 0, { id: 'x' }), ev('c', 0, { id: 'x' })]);
        expect(once.appended.map((e) => e.id)).toEqual(['x']);
        await expect(store.append('d', [ev('d', 0, { id: 'y' }), ev('d', 1, { id: 'y' })])).rejects.toBeInstanceOf(EventIdConflictError);
        expect(await store.streamVersion('d')).toBe(0);
      });

      it('finds the stored event, not the one given, by an id a new stream got twice in its first batch', async () => {
        await store.append('k', [ev('k', 0, { id: 'x' }), ev('k', 0, { id: 'x' }), ev('k', 1, { id: 'y' }), ev('k', 2)]);
        const found = await store.readByIds('k', ['x', 'y', 'k:3']);
        expect(found.map((e) => [e.id, e.streamVersion, e.globalPosition > 0, typeof e.recordedAt])).toEqual([
          ['x', 1, true, 'string'],
          ['y', 2, true, 'string'],
          ['k:3', 3, true, 'string'],
        ]);
        const retry = await store.append('k', [ev('k', 0, { id: 'x' })]);
        expect(retry.duplicates.map((e) => [e.id, e.streamVersion])).toEqual([['x', 1]]);
      });

      it('writes nothing when a repeated id conflicts late in a batch on an existing stream', async () => {
        await store.append('e', [ev('e', 0, { id: 'first' })]);
        const before = (await store.readAll()).length;
        const batch = [ev('e', 1, { id: 'n1' }), ev('e', 2, { id: 'n2' }), ev('e', 3, { id: 'n1' })];
        await expect(store.append('e', batch)).rejects.toBeInstanceOf(EventIdConflictError);
        expect(await store.streamVersion('e')).toBe(1);
        expect((await store.readAll()).length).toBe(before);
        expect(await store.readByIds('e', ['n1', 'n2'])).toEqual([]);
        const retry = await store.append('e', batch.slice(0, 2), { expectedVersion: 1 });
        expect(retry.appended.map((e) => [e.id, e.streamVersion])).toEqual([['n1', 2], ['n2', 3]]);
      });

      it('reports a repeated id with another payload inside a batch before a stale expected version', async () => {
        await store.append('h', [ev('h', 0)]);
        const batch = [ev('h', 1, { id: 'r' }), ev('h', 2, { id: 'r' })];
        await expect(store.append('h', batch, { expectedVersion: 0 })).rejects.toBeInstanceOf(EventIdConflictError);
        expect(await store.streamVersion('h')).toBe(1);
      });

      it('settles an id a later event of the batch brings as its own as one at a time: a retry of the event assigned it, skipped', async () => {
        // One at a time: "g1:1" is assigned, then brought again with the same payload (a retry).
        await store.append('g1', [ev('g1', 0)]);
        const retry = await store.append('g1', [ev('g1', 0, { id: 'g1:1' })]);
        expect([retry.appended, retry.duplicates.map((e) => e.id)]).toEqual([[], ['g1:1']]);
        await store.append('g1', [ev('g1', 1)]);
        // In one batch: the same ids, the retry skipped (a repeat inside a batch is not listed in `duplicates`).
        const batch = await store.append('g2', [ev('g2', 0), ev('g2', 0, { id: 'g2:1' }), ev('g2', 1)]);
        expect(batch.appended.map((e) => [e.id, e.streamVersion])).toEqual([
          ['g2:1', 1],
          ['g2:2', 2],
        ]);
        expect(batch.streamVersion).toBe(2);
        expect((await store.readStream('g1')).map((e) => e.id.replace('g1', 'g'))).toEqual((await store.readStream('g2')).map((e) => e.id.replace('g2', 'g')));
      });

      it('refuses, as one at a time, a later event of the batch bringing an id assigned earlier in it with another payload, writing nothing', async () => {
        await store.append('h1', [ev('h1', 0)]);
        await expect(store.append('h1', [ev('h1', 1, { id: 'h1:1' })])).rejects.toBeInstanceOf(EventIdConflictError);
        await store.append('h2', [ev('h2', 0, { id: 'first' })]);
        const error = await store.append('h2', [ev('h2', 1), ev('h2', 2), ev('h2', 3, { id: 'h2:3' })]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EventIdConflictError);
        expect(error).toMatchObject({ code: 'HEED_EVENT_ID_CONFLICT', customerId: 'h2', eventId: 'h2:3' });
        expect((error as Error).message).toMatch(/was assigned to an earlier event of the batch/);
        expect(await store.streamVersion('h2')).toBe(1);
        expect(await store.readByIds('h2', ['h2:2', 'h2:3'])).toEqual([]);
      });

      it('moves an assigned id aside only for ids stored or given earlier in the batch', async () => {
        const { appended } = await store.append('k', [ev('k', 0, { id: 'k:2' }), ev('k', 1), ev('k', 2, { id: 'k:4' }), ev('k', 3)]);
        expect(appended.map((e) => e.id)).toEqual(['k:2', 'k:2~2', 'k:4', 'k:4~2']);
        await store.append('m', [ev('m', 0, { id: 'm:3' }), ev('m', 1, { id: 'm:3~2' })]);
        const next = await store.append('m', [ev('m', 2), ev('m', 3)]);
        expect(next.appended.map((e) => e.id)).toEqual(['m:3~3', 'm:4']);
      });

      it('gives the same ids and the same id conflicts in one batch as one event at a time (random ids of the assigned form)', async () => {
        let run = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(idStep, { maxLength: 3 }), fc.array(idStep, { minLength: 1, maxLength: 7 }), async (before, steps) => {
            run++;
            const [single, batched] = [`p${run}`, `q${run}`];
            for (const step of before) {
              await store.append(single, [stepEvent(single, step)]).catch(() => undefined);
              await store.append(batched, [stepEvent(batched, step)]).catch(() => undefined);
            }
            const stored = await store.streamVersion(batched);
            const ids: string[] = [];
            let conflict = false;
            for (const step of steps) {
              try {
                ids.push(...(await store.append(single, [stepEvent(single, step)])).appended.map((e) => e.id.replace(single, '*')));
              } catch (error) {
                if (!(error instanceof EventIdConflictError)) throw error;
                conflict = true;
              }
            }
            const result = await store.append(batched, steps.map((step) => stepEvent(batched, step))).catch((e: unknown) => e);
            if (conflict) {
              expect(result).toBeInstanceOf(EventIdConflictError);
              expect(await store.streamVersion(batched)).toBe(stored);
            } else {
              expect(result).not.toBeInstanceOf(Error);
              expect((result as AppendResult).appended.map((e) => e.id.replace(batched, '*'))).toEqual(ids);
              const strip = (cid: string, list: readonly StoredEvent[]) => list.map((e) => [e.id.replace(cid, '*'), e.streamVersion, e.data]);
              expect(strip(batched, await store.readStream(batched))).toEqual(strip(single, await store.readStream(single)));
            }
          }),
          { numRuns: 60 },
        );
      });

      it('refuses an existing id with a different payload, naming stream and id, and writes nothing of the batch', async () => {
        await store.append('c', [ev('c', 0, { id: 'e1' })]);
        const error = await store.append('c', [ev('c', 5, { id: 'e9' }), ev('c', 1, { id: 'e1' })]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EventIdConflictError);
        expect(error).toMatchObject({ code: 'HEED_EVENT_ID_CONFLICT', customerId: 'c', eventId: 'e1' });
        expect(await store.streamVersion('c')).toBe(1);
      });

      it('scopes ids to their stream: the same id in two streams is two events', async () => {
        await store.append('a', [ev('a', 0, { id: 'same' })]);
        await store.append('b', [ev('b', 0, { id: 'same' })]);
        expect((await store.readAll()).map((e) => e.customerId)).toEqual(['a', 'b']);
      });
    });

    describe('global order', () => {
      it('reads all streams in append order with increasing positions, after a position, with a limit', async () => {
        await store.append('a', [ev('a', 0), ev('a', 1)]);
        await store.append('b', [ev('b', 0)]);
        await store.append('a', [ev('a', 2)]);
        const all = await store.readAll();
        expect(all.map((e) => e.id)).toEqual(['a:1', 'a:2', 'b:1', 'a:3']);
        const positions = all.map((e) => e.globalPosition);
        expect(positions.every((p, i) => i === 0 || p > (positions[i - 1] ?? 0))).toBe(true);
        const second = all[1]?.globalPosition ?? 0;
        expect((await store.readAll({ after: second })).map((e) => e.id)).toEqual(['b:1', 'a:3']);
        expect((await store.readAll({ after: second, limit: 1 })).map((e) => e.id)).toEqual(['b:1']);
        expect(await store.readAll({ after: all.at(-1)?.globalPosition ?? 0 })).toEqual([]);
      });

      it('pages through the whole store with iterateAll', async () => {
        for (let c = 0; c < 5; c++) await store.append(`c${c}`, [ev(`c${c}`, 0), ev(`c${c}`, 1), ev(`c${c}`, 2)]);
        const seen: string[] = [];
        for await (const event of iterateAll(store, 4)) seen.push(event.id);
        expect(seen).toEqual((await store.readAll()).map((e) => e.id));
        expect(seen).toHaveLength(15);
      });

      it('finds events of one stream by id, ignoring unknown ids and other streams', async () => {
        await store.append('a', [ev('a', 0, { id: 'x' }), ev('a', 1, { id: 'y' })]);
        await store.append('b', [ev('b', 0, { id: 'z' })]);
        expect((await store.readByIds('a', ['y', 'z', 'nope', 'x'])).map((e) => e.id).sort()).toEqual(['x', 'y']);
        expect(await store.readByIds('nobody', ['x'])).toEqual([]);
      });
    });
  });
}
