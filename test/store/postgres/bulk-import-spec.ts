import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventIdConflictError } from '../../../src/index.js';
import type { NewEvent } from '../../../src/index.js';
import type { PostgresEventStore } from '../../../src/postgres.js';
import { ev } from '../store-contract.js';

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
  });
}
