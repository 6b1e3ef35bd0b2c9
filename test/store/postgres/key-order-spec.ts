import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { definePolicy, Engine, InMemoryEventStore, type EventInput, type NewEvent, type StoredEvent } from '../../../src/index.js';
import { PostgresEventStore, ProjectionWorker, type SqlClient } from '../../../src/postgres.js';

/** Where the key-order tests run: a client, and a schema no other test uses for each call. */
export interface KeyOrderDb {
  readonly client: SqlClient;
  schema(): string;
}

const AT = '2024-03-04T06:00:00Z';
const NOW = Date.parse('2024-03-10T00:00:00Z');

/** A plugin payload whose keys, at every depth, are in neither jsonb's order nor a sorted one; index-like and non-ASCII keys too. */
const visit = () => ({ zebra: 1, apple: { yy: 1, b: [{ kk: 1, a: 2 }] }, mid: 'x', '10': 1, '2': 2, é: 'e', z: 'z', ab: null });
/** A free-form meta in no sorted order. */
const meta = () => ({ zeta: 1, source: 'crm', a: { yy: true, b: 'b' }, correlationId: 'k' });

/** The events, as a CRM gives them: core types with their fields in no schema or sorted order, a default to fill, a plugin type, meta. */
function inputs(customerId: string, unknown = true): EventInput[] {
  const events: EventInput[] = [
    { id: 'o', customerId, type: 'MatterOpened', at: AT, data: { title: 'Broken boiler', matterId: 'm' }, meta: meta() },
    { id: 'c1', customerId, type: 'ContactMade', at: AT, data: { purpose: 'update', channel: 'phone', direction: 'outbound', matterId: 'm' } },
    // No purpose: the schema fills it in after the fields given.
    { id: 'c2', customerId, type: 'ContactMade', at: AT, data: { party: 'desk', direction: 'inbound', channel: 'email' }, meta: { b: 1, a: 2 } },
    { id: 'p', customerId, type: 'PromiseMade', at: AT, data: { what: 'call back', promiseId: 'p1', dueBy: '2024-03-05T06:00:00Z', party: 'desk' } },
    { id: 'v', customerId, type: 'echo.Visit', at: AT, data: visit(), meta: meta() },
  ];
  // A type no engine knows: a store keeps it as given.
  if (unknown) events.push({ id: 'u', customerId, type: 'other.Unknown', at: AT, data: visit() });
  return events;
}

/** Events as a store takes them directly (`time` computed from `at`). */
function direct(customerId: string): NewEvent[] {
  return inputs(customerId).map((e) => ({ ...e, time: Date.parse(e.at) }) as NewEvent);
}

/** A plugin that copies each event's payload and meta into a finding, and lists the payload's keys in its message. */
const echo = definePolicy({
  name: 'echo',
  kinds: ['echo.seen'],
  events: { 'echo.Visit': z.looseObject({ zebra: z.number(), mid: z.string(), apple: z.record(z.string(), z.unknown()) }) },
  initialState: () => ({}),
  evolve(_state, event, ctx) {
    const data = event.data as Record<string, unknown>;
    ctx.report({
      kind: 'echo.seen',
      subject: event.id,
      detectedAt: event.time,
      severity: 'info',
      message: `${event.type} with ${Object.keys(data).join(', ')}; meta ${Object.keys(event.meta ?? {}).join(', ')}.`,
      evidence: [event.id],
      details: { data, meta: event.meta ?? null, metaText: JSON.stringify(event.meta ?? null) },
    });
  },
});

/** Events as JSON text, without the wall-clock `recordedAt`: equal text, equal events, keys in the same order. */
const text = (events: readonly StoredEvent[]) => events.map((e) => JSON.stringify({ ...e, recordedAt: '' }));
/** The same without positions, where the store numbered an attempt it rolled back. */
const unpositioned = (events: readonly StoredEvent[]) => text(events.map((e) => ({ ...e, globalPosition: 0 })));

/**
 * jsonb keeps an object's keys in its own order (shorter first, then bytewise), not as written:
 * what a user reads back from the PostgreSQL store, and what an engine or projection computes from
 * it, must still be what the in-memory store gives for the same input, byte for byte.
 */
export function keyOrderSpec(name: string, open: () => Promise<KeyOrderDb>): void {
  describe(`PostgreSQL store keeps the key order of data and meta (${name})`, { timeout: 60_000 }, () => {
    const appends: [string, (store: PostgresEventStore | InMemoryEventStore, events: readonly NewEvent[]) => Promise<unknown>][] = [
      ['one append statement', (store, events) => store.append('c', events)],
      ['one event at a time', async (store, events) => { for (const e of events) await store.append('c', [e]); }],
      // An id repeated in the batch sends it to the checked transaction.
      ['the checked transaction', (store, events) => store.append('c', [...events, events[0] as NewEvent])],
    ];
    for (const [how, append] of appends) {
      it(`${how}: readStream, readAll and readByIds give the events as the in-memory store does, core and plugin types, known to the store or not`, async () => {
        const db = await open();
        for (const schemas of [false, true]) {
          const pg = new PostgresEventStore(db.client, { schema: db.schema() });
          const memory = new InMemoryEventStore();
          if (schemas) for (const s of [pg, memory]) s.useEventSchemas((type) => echo.events?.[type as 'echo.Visit']);
          await append(pg, direct('c'));
          await append(memory, direct('c'));
          expect(text(await pg.readStream('c'))).toEqual(text(await memory.readStream('c')));
          expect(text(await pg.readAll())).toEqual(text(await memory.readAll()));
          expect(text(await pg.readByIds('c', ['v', 'o', 'c2']))).toEqual(text(await memory.readByIds('c', ['v', 'o', 'c2'])));
        }
      });
    }

    it('keeps the text beside the jsonb exactly when the jsonb alone would read back in another key order, at any depth (keys ASCII or not, index-like, astral)', async () => {
      const db = await open();
      const store = new PostgresEventStore(db.client, { schema: db.schema() });
      const key = fc.oneof(fc.constantFrom('a', 'b', 'ab', 'ba', 'z', '0', '1', '2', '10', '01', '-1', '4294967295', 'é', 'ü', 'zz', '\u{1F600}', '\uFFFD', 'aé'), fc.string({ maxLength: 4 }));
      const { tree } = fc.letrec<{ tree: unknown; node: Record<string, unknown> }>((t) => ({
        tree: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string({ maxLength: 3 }), fc.array(t('tree'), { maxLength: 3 }), t('node')),
        node: fc.dictionary(key, t('tree'), { maxKeys: 5 }),
      }));
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.dictionary(key, tree, { maxKeys: 6 }), { minLength: 1, maxLength: 8 }), fc.boolean(), async (payloads, asMeta) => {
          const first = n + 1;
          const events = payloads.map((data) => ({ id: `e${++n}`, customerId: 'c', type: 'x.Free', at: AT, time: Date.parse(AT), data, ...(asMeta ? { meta: data } : {}) }) as NewEvent);
          await store.append('c', events);
          const read = await store.readStream('c', { fromVersion: first });
          expect(read.map((e) => JSON.stringify([e.data, e.meta]))).toEqual(events.map((e) => JSON.stringify([e.data, e.meta])));
          const rows = await db.client.query<{ kept: boolean; metaKept: boolean; data: string }>(
            `select data_text is not null as kept, meta_text is not null as "metaKept", data::text as data from ${store.schema}.events where customer_id = 'c' and stream_version >= $1 order by stream_version`,
            [first],
          );
          const lost = rows.map((r, i) => JSON.stringify(JSON.parse(r.data)) !== JSON.stringify(payloads[i]));
          expect(rows.map((r) => r.kept)).toEqual(lost);
          expect(rows.map((r) => r.metaKept)).toEqual(asMeta ? lost : lost.map(() => false));
        }),
        { numRuns: 40 },
      );
    });

    it('importEvents: the events read back as the in-memory store gives them', async () => {
      const db = await open();
      const pg = new PostgresEventStore(db.client, { schema: db.schema() });
      const memory = new InMemoryEventStore();
      await pg.importEvents(direct('c'));
      await memory.append('c', direct('c'));
      expect(text(await pg.readStream('c'))).toEqual(text(await memory.readStream('c')));
      const checked = new PostgresEventStore(db.client, { schema: db.schema() });
      await checked.append('c', [direct('c')[0] as NewEvent]); // a stored id: the import takes its checked path
      await checked.importEvents(direct('c'));
      expect(unpositioned(await checked.readStream('c'))).toEqual(unpositioned(await memory.readStream('c')));
    });

    it('an engine over the store finds what one over the in-memory store finds, byte for byte, recording and hydrating', async () => {
      const db = await open();
      const memory = new Engine({ policies: [echo] });
      await memory.record(inputs('c', false));
      const expected = JSON.stringify(memory.findings());
      const schema = db.schema();
      const store = new PostgresEventStore(db.client, { schema });
      const recording = new Engine({ store, policies: [echo] });
      await recording.record(inputs('c', false));
      expect(JSON.stringify(recording.findings())).toBe(expected);
      // What the jsonb alone keeps in order costs no text: the core payloads the engine wrote in
      // schema order; not the plugin's, nor a ContactMade whose default purpose came after a party.
      const kept = await db.client.query<{ id: string; data: boolean; meta: boolean }>(
        `select event_id as id, data_text is not null as data, meta_text is not null as meta from ${schema}.events order by stream_version`,
      );
      expect(kept.map((k) => `${k.id}:${k.data ? 'data' : ''}/${k.meta ? 'meta' : ''}`)).toEqual(['o:/meta', 'c1:/', 'c2:data/meta', 'p:/', 'v:data/meta']);
      const hydrated = new Engine({ store, policies: [echo] });
      await hydrated.hydrate();
      expect(JSON.stringify(hydrated.findings())).toBe(expected);
      expect(memory.findings().find((f) => f.evidence[0] === 'o')?.message).toBe('MatterOpened with matterId, title, severity; meta zeta, source, a, correlationId.');
    });

    it('the projection worker writes the messages and the details an in-memory engine reports', async () => {
      const db = await open();
      const schema = db.schema();
      const store = new PostgresEventStore(db.client, { schema });
      await new Engine({ store, policies: [echo] }).record(inputs('c', false));
      const worker = new ProjectionWorker(store, { policies: [echo], clock: () => NOW, partitions: 1 });
      await worker.runUntilIdle();
      await worker.stop();
      const memory = new Engine({ policies: [echo] });
      await memory.record(inputs('c', false));
      await memory.advanceTo(NOW);
      const findings = [...memory.findings()].sort((a, b) => ((a.evidence[0] ?? '') < (b.evidence[0] ?? '') ? -1 : 1));
      const byEvidence = await db.client.query<{ message: string; details: { metaText: string } }>(`select message, details from ${schema}.findings order by (evidence->>0) collate "C"`);
      expect(byEvidence).toHaveLength(findings.length);
      expect(byEvidence.map((r) => r.message)).toEqual(findings.map((f) => f.message));
      expect(byEvidence.map((r) => r.details.metaText)).toEqual(findings.map((f) => (f.details as { metaText: string }).metaText));
      expect(byEvidence.map((r) => r.details)).toEqual(findings.map((f) => f.details));
    });
  });
}
