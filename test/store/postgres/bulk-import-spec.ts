import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventIdConflictError, InvalidInputError } from '../../../src/index.js';
import type { NewEvent, StoredEvent } from '../../../src/index.js';
import type { PostgresEventStore } from '../../../src/postgres.js';
import { BAD_CUSTOMER_IDS, engineCustomerIdProblem, ev, idStep, stepEvent, TYPE } from '../store-contract.js';

/** A full garbage collection, without starting node with --expose-gc. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Bulk import, run against PGlite (multi-row inserts) and the server (COPY). */
export function bulkImportSpec(name: string, open: () => Promise<{ store: PostgresEventStore; cleanup: () => Promise<void> }>): void {
  describe(`bulk import: ${name}`, () => {
    let store: PostgresEventStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ store, cleanup } = await open()));
    afterEach(async () => cleanup());

    const exportOf = (customers: number, each: number): NewEvent[] =>
      Array.from({ length: customers * each }, (_, i) => {
        const c = `imp-${i % customers}`;
        return ev(c, Math.floor(i / customers), { id: `${c}-e${Math.floor(i / customers)}`, meta: { source: 'export', tab: 'a\tb\\c\nd' } });
      });

    it('loads many streams in chunks, numbering each stream in input order, keeping every field', async () => {
      const events = exportOf(7, 30);
      const result = await store.importEvents(events, { batchSize: 50 });
      expect(result).toEqual({ imported: 210, duplicates: 0 });
      for (let c = 0; c < 7; c++) {
        const stream = await store.readStream(`imp-${c}`);
        expect(stream.map((e) => e.streamVersion)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        expect(stream.map((e) => e.id)).toEqual(Array.from({ length: 30 }, (_, i) => `imp-${c}-e${i}`));
        expect(await store.streamVersion(`imp-${c}`)).toBe(30);
      }
      const one = (await store.readByIds('imp-3', ['imp-3-e4']))[0];
      const source = events.find((e) => e.id === 'imp-3-e4');
      expect(one).toMatchObject({ at: source?.at, time: source?.time, data: source?.data, meta: { source: 'export', tab: 'a\tb\\c\nd' }, schemaVersion: 1 });
      expect(await store.readAll()).toHaveLength(210);
    });

    it('appends after what a stream already has, assigns missing ids, and ordinary appends continue the version', async () => {
      await store.append('imp-0', [ev('imp-0', 0, { id: 'first' })]);
      await store.importEvents([ev('imp-0', 1), ev('imp-0', 2, { id: 'x' }), ev('imp-9', 0)]);
      await store.append('imp-0', [ev('imp-0', 3)], { expectedVersion: 3 });
      expect((await store.readStream('imp-0')).map((e) => e.id)).toEqual(['first', 'imp-0:2', 'x', 'imp-0:4']);
      expect((await store.readStream('imp-9')).map((e) => e.id)).toEqual(['imp-9:1']);
    });

    it('keeps assigned ids unique when the stream or the import already uses "<customerId>:<version>" as an id, as append does', async () => {
      await store.append('c', [ev('c', 0, { id: 'c:3' }), ev('c', 1, { id: 'c:3~2' })]);
      // Versions 3 to 6: "c:3" and "c:3~2" are stored, "c:5" is given explicitly in this import.
      const result = await store.importEvents([ev('c', 2), ev('c', 3, { id: 'c:5' }), ev('c', 4), ev('c', 5)]);
      expect(result).toEqual({ imported: 4, duplicates: 0 });
      const stream = await store.readStream('c');
      expect(stream.map((e) => [e.streamVersion, e.id])).toEqual([
        [1, 'c:3'],
        [2, 'c:3~2'],
        [3, 'c:3~3'],
        [4, 'c:5'],
        [5, 'c:5~2'],
        [6, 'c:6'],
      ]);
      expect(stream.map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5]);
      await store.append('c', [ev('c', 6)], { expectedVersion: 6 });
      expect((await store.readStream('c', { fromVersion: 7 })).map((e) => e.id)).toEqual(['c:7']);
    });

    it('settles an id assigned earlier in the import, as appends one at a time would: a later identical event is a retry, another payload a conflict', async () => {
      const result = await store.importEvents([ev('r', 0), ev('r', 1), ev('r', 1, { id: 'r:2' }), ev('r', 2)]);
      expect(result).toEqual({ imported: 3, duplicates: 1 });
      expect((await store.readStream('r')).map((e) => [e.streamVersion, e.id])).toEqual([
        [1, 'r:1'],
        [2, 'r:2'],
        [3, 'r:3'],
      ]);
      // Also across chunks (an earlier chunk is stored) and with a stored stream before the import.
      expect(await store.importEvents([ev('r', 3), ev('r', 4), ev('r', 3, { id: 'r:4' })], { batchSize: 1 })).toEqual({ imported: 2, duplicates: 1 });
      const error = await store.importEvents([ev('s', 0, { id: 'first' }), ev('s', 1), ev('s', 2, { id: 's:2' })]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EventIdConflictError);
      expect(error).toMatchObject({ customerId: 's', eventId: 's:2' });
      expect((error as Error).message).toMatch(/was assigned to an earlier event of the batch/);
      expect(await store.streamVersion('s')).toBe(0);
    });

    it('imports the same ids as appending the events one at a time, and refuses a chunk where that meets an id conflict (random ids of the assigned form)', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(idStep, { maxLength: 3 }), fc.array(idStep, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 8 }), async (before, steps, batchSize) => {
          run++;
          const [single, imported] = [`p${run}`, `q${run}`];
          for (const step of before) {
            await store.append(single, [stepEvent(single, step)]).catch(() => undefined);
            await store.append(imported, [stepEvent(imported, step)]).catch(() => undefined);
          }
          const stored = await store.streamVersion(imported);
          let duplicates = 0;
          let conflict = false;
          for (const step of steps) {
            try {
              duplicates += (await store.append(single, [stepEvent(single, step)])).duplicates.length;
            } catch (error) {
              if (!(error instanceof EventIdConflictError)) throw error;
              conflict = true;
            }
          }
          const result = await store.importEvents(steps.map((step) => stepEvent(imported, step)), { batchSize: conflict ? steps.length : batchSize }).catch((e: unknown) => e);
          const strip = (cid: string, list: readonly StoredEvent[]) => list.map((e) => [e.id.replace(cid, '*'), e.streamVersion, e.data]);
          if (conflict) {
            // One chunk: all or nothing.
            expect(result).toBeInstanceOf(EventIdConflictError);
            expect(await store.streamVersion(imported)).toBe(stored);
          } else {
            expect(result).toEqual({ imported: steps.length - duplicates, duplicates });
            expect(strip(imported, await store.readStream(imported))).toEqual(strip(single, await store.readStream(single)));
          }
        }),
        { numRuns: 40 },
      );
    });

    it('skips retries of stored or repeated events and refuses an id with another payload, writing nothing of that chunk', async () => {
      const events = exportOf(3, 4);
      await store.importEvents(events);
      const again = await store.importEvents([...events, events[0] as NewEvent, ev('imp-1', 9, { id: 'new' })]);
      expect(again).toEqual({ imported: 1, duplicates: 13 });
      const changed = { ...(events[5] as NewEvent), data: { other: true } };
      const error = await store.importEvents([ev('imp-2', 20, { id: 'would-be-new' }), changed]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EventIdConflictError);
      expect(error).toMatchObject({ customerId: changed.customerId, eventId: changed.id });
      expect(await store.readByIds('imp-2', ['would-be-new'])).toEqual([]);
      expect(await store.readAll()).toHaveLength(13);
    });

    it('refuses a chunk with an empty customer id or a payload that is not JSON data, naming each event by its place in the input, writing nothing of it', async () => {
      await store.importEvents([ev('kept', 0), ev('kept', 1)], { batchSize: 2 });
      const cycle: Record<string, unknown> = {};
      cycle['self'] = cycle;
      const chunk = [ev('imp', 0), ev('', 1, { id: 'nobody' }), ev('imp', 2, { id: 'big', data: { n: 2n } }), ev('imp', 3, { meta: { loop: cycle } }), ev('imp', 4, { data: { at: [new Date(0)] } })];
      const error = await store.importEvents([ev('more', 0), ev('more', 1), ...chunk], { batchSize: 2 + chunk.length }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).errors.map((e) => [e.index, e.eventId, e.path.slice(0, 14), e.rule])).toEqual([
        [3, 'nobody', 'customerId', 'too-small'],
        [4, 'big', 'data.n', 'not-json'],
        [5, undefined, 'meta.loop.self', 'not-json'],
        [6, undefined, 'data.at[0]', 'not-json'],
      ]);
      expect((error as Error).message).toContain(`event #7 (${TYPE} of customer "imp"): data.at[0]: is a Date`);
      expect((await store.readAll()).map((e) => e.customerId)).toEqual(['kept', 'kept']);
    });

    it("validates a core type's payload as the engine does and writes it normalised (defaults filled in), on the direct path and the checked one", async () => {
      const at = '2017-11-20T13:30:00Z';
      const core = (id: string, type: string, data: Record<string, unknown>): NewEvent => ({ id, customerId: 'imp', type, at, time: Date.parse(at), data });
      const chunk = [core('o', 'MatterOpened', { matterId: 'm' }), core('c', 'ContactMade', { direction: 'inbound', channel: 'phone' })];
      await store.importEvents(chunk);
      // `o` stored (its default written out): this chunk takes the checked path, and `o` is a retry of it.
      await store.importEvents([...chunk, core('p', 'PromiseMade', { promiseId: 'p', what: 'call', dueBy: at })]);
      expect((await store.readStream('imp')).map((e) => e.data)).toEqual([
        { matterId: 'm', severity: 'normal' },
        { direction: 'inbound', channel: 'phone', purpose: 'question' },
        { promiseId: 'p', what: 'call', dueBy: at, importance: 'normal' },
      ]);
      const error = await store.importEvents([ev('kept', 0), core('x', 'MatterOpened', { matterId: 'm2', severity: 'urgent' })]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).errors.map((e) => [e.index, e.eventId, e.path, e.rule])).toEqual([[1, 'x', 'data.severity', 'invalid-value']]);
      expect(await store.streamVersion('kept')).toBe(0);
    });

    it.each(BAD_CUSTOMER_IDS)('refuses a customer id %s in an event (a field of the input: a ValidationError) by the rule and in the words the engine refuses it', async (_what, customerId) => {
      const error = await store.importEvents([ev('kept', 0), ev(customerId as string, 1, { id: 'bad' })]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      const problems = (error as InvalidInputError).errors.map((e) => ({ path: e.path, rule: e.rule, detail: e.detail }));
      expect(problems).toEqual([await engineCustomerIdProblem(customerId)]);
      expect((error as InvalidInputError).errors[0]).toMatchObject({ index: 1, eventId: 'bad' });
      expect(await store.readAll()).toEqual([]);
    });

    it('refuses, as append does, an empty id, data that is not an object, meta null and a field of the wrong type, each by its place in the input', async () => {
      await store.importEvents([ev('kept', 0)]);
      const chunk = [
        ev('imp', 0, { id: '' }),
        { ...ev('imp', 1), data: undefined },
        ev('imp', 2, { meta: null as never }),
        { ...ev('imp', 3), time: '2017-11-20' as never },
        ev('imp', 4, { id: undefined }),
      ];
      const error = await store.importEvents([ev('more', 0), ...chunk], { batchSize: 2 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).errors.map((e) => [e.index, e.path, e.rule])).toEqual([
        [1, 'id', 'too-small'],
      ]);
      const rest = await store.importEvents(chunk.slice(1), { batchSize: 10 }).catch((e: unknown) => e);
      expect((rest as InvalidInputError).errors.map((e) => [e.index, e.path, e.rule])).toEqual([
        [0, 'data', 'required'], // the engine's rule for a missing field, as for `at`
        [1, 'meta', 'invalid-type'],
        [2, 'time', 'invalid-instant'],
      ]);
      expect((await store.readAll()).map((e) => e.customerId)).toEqual(['kept']);
    });

    it('holds no imported event once its chunk is written (memory stays flat on a large import), and still tells retries from conflicts', async () => {
      const first: WeakRef<NewEvent>[] = [];
      let firstChunkAlive: number | undefined;
      async function* source(): AsyncGenerator<NewEvent> {
        for (let i = 0; i < 30; i++) {
          if (i === 25) {
            // Two chunks of 10 are written by now: nothing may keep the first chunk's events.
            await new Promise((resolve) => setTimeout(resolve, 0));
            collectGarbage();
            firstChunkAlive = first.filter((ref) => ref.deref() !== undefined).length;
          }
          const event = ev('mem', i, { id: `mem-${i}`, data: { direction: 'outbound', channel: 'phone', purpose: 'update', n: i, note: 'x'.repeat(1000) } });
          if (i < 10) first.push(new WeakRef(event));
          yield event;
        }
        // Retries of the first chunk, with equal payloads written differently (key order, undefined
        // keys): recognised from the stored events, not from anything kept in memory.
        yield ev('mem', 0, { id: 'mem-0', data: { note: 'x'.repeat(1000), n: 0, purpose: 'update', channel: 'phone', direction: 'outbound', extra: undefined } });
        yield ev('mem', 1, { id: 'mem-1', data: { direction: 'outbound', channel: 'phone', purpose: 'update', n: 1, note: 'x'.repeat(1000) } });
      }
      expect(await store.importEvents(source(), { batchSize: 10 })).toEqual({ imported: 30, duplicates: 2 });
      expect(firstChunkAlive).toBe(0);

      async function* conflicting(): AsyncGenerator<NewEvent> {
        for (let i = 0; i < 12; i++) yield ev('mem2', i, { id: `mem2-${i}` });
        yield ev('mem2', 3, { id: 'mem2-3', data: { direction: 'outbound', channel: 'phone', purpose: 'update', n: 4 } });
      }
      const error = await store.importEvents(conflicting(), { batchSize: 10 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EventIdConflictError);
      expect(error).toMatchObject({ customerId: 'mem2', eventId: 'mem2-3' });
    });
  });
}
