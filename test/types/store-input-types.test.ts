import { describe, expect, it } from 'vitest';
import {
  Engine,
  InMemoryEventStore,
  type AppendOptions,
  type AppendResult,
  type EventInput,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
} from '../../src/index.js';
import type { PostgresEventStore } from '../../src/postgres.js';

// A plugin's custom type, registered for the type checker (the name is this test's own).
declare module 'heed' {
  interface CustomEventTypes {
    StoreTypeTestNoted: { readonly note: string };
  }
}

/**
 * The stores' `append` (the `EventStore` interface's, the in-memory store's, its `appendSync`, the
 * PostgreSQL store's) and the PostgreSQL store's `importEvents` check a list of events written
 * there as `engine.record` does, each element's `data` against its own type: a core type's as
 * `engine.record` takes it (a store validates it and fills in the defaults, a MatterOpened's
 * `severity`, as the engine does), a type registered in `CustomEventTypes` as registered.
 * A list typed `NewEvent[]` or `StoredEvent[]` (another store's events, copied) is taken, as
 * before; a list of unknowns is refused. Checked by `tsc --noEmit -p .`: the functions holding
 * `@ts-expect-error` lines are compiled, never called.
 */
describe('typed store input', () => {
  const at = '2024-03-01T10:00:00Z';
  const time = Date.parse(at);
  const customerId = 'c';

  it("checks a listed core event's data against its type's as engine.record takes it, defaults left out or given, in every store's append", () => {
    const typeOnly = (memory: InMemoryEventStore, store: EventStore, pg: PostgresEventStore) => {
      void memory.append(customerId, [{ customerId, type: 'MatterOpened', at, time, data: { matterId: 'm', severity: 'normal' } }]);
      // severity, a contact's purpose and a promise's importance are filled in by the store's validation, as by the engine's
      void memory.append(customerId, [{ customerId, type: 'MatterOpened', at, time, data: { matterId: 'm' } }]);
      memory.appendSync(customerId, [{ customerId, type: 'ContactMade', at, time, data: { direction: 'inbound', channel: 'phone' } }]);
      void pg.append(customerId, [{ customerId, type: 'PromiseMade', at, time, data: { promiseId: 'p', what: 'call', dueBy: at } }]);
      // @ts-expect-error dueBy has no default: a PromiseMade without it is refused, by the types and at run time
      void memory.append(customerId, [{ customerId, type: 'PromiseMade', at, time, data: { promiseId: 'p', what: 'call' } }]);
      // @ts-expect-error severity is one of low, normal, high, critical
      void store.append(customerId, [{ customerId, type: 'MatterOpened', at, time, data: { matterId: 'm', severity: 'urgent' } }]);
      // @ts-expect-error dueAtt is not a field of PromiseMade (dueBy is)
      memory.appendSync(customerId, [{ customerId, type: 'PromiseMade', at, time, data: { promiseId: 'p', what: 'call', dueBy: at, importance: 'normal', dueAtt: at } }]);
      void store.append(customerId, [
        { customerId, type: 'NoReplyNoticeSent', at, time, data: { anything: 1 } },
        // @ts-expect-error outcome is one of succeeded, partial, failed, worsened: the plugin's event beside it does not loosen it
        { customerId, type: 'FixAttempted', at, time, data: { matterId: 'm', method: 'reboot', outcome: 'fixed' } },
      ]);
      // @ts-expect-error note is a string in the registered type
      void pg.append(customerId, [{ customerId, type: 'StoreTypeTestNoted', at, time, data: { note: 1 } }], { expectedVersion: 0 });
      void pg.append(customerId, [{ customerId, type: 'StoreTypeTestNoted', at, time, data: { note: 'n' } }]);
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it("checks a list given to the PostgreSQL store's importEvents, and takes any other iterable of NewEvents as typed", () => {
    const typeOnly = (pg: PostgresEventStore, news: NewEvent[], unknowns: unknown[]) => {
      void pg.importEvents([{ customerId, type: 'MatterOpened', at, time, data: { matterId: 'm', severity: 'high' } }], { batchSize: 10 });
      // @ts-expect-error matterID is misspelt
      void pg.importEvents([{ customerId, type: 'MatterOpened', at, time, data: { matterID: 'm', severity: 'high' } }]);
      void pg.importEvents(news);
      void pg.importEvents(new Set(news));
      void pg.importEvents(
        (async function* () {
          yield* news;
        })(),
      );
      // @ts-expect-error a list of unknowns is no list of events
      void pg.importEvents(unknowns);
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it("takes another store's events (NewEvent[], StoredEvent[]) and refuses unknown[] and event inputs without time", () => {
    const typeOnly = (memory: InMemoryEventStore, store: EventStore, news: readonly NewEvent[], stored: StoredEvent[], unknowns: unknown[], inputs: EventInput[]) => {
      void memory.append(customerId, news);
      void store.append(customerId, stored);
      // @ts-expect-error a list of unknowns is no list of events
      void store.append(customerId, unknowns);
      // @ts-expect-error an event input has no time: validate it first (readLines, parseJsonl) or record it through an engine
      void memory.append(customerId, inputs);
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it('still compiles a custom store implementing EventStore with the plain NewEvent types, and the engine runs on it', async () => {
    /** A store of a user's own, written to the interface as it was: events typed `readonly NewEvent[]`. */
    class PlainStore implements EventStore {
      readonly #inner = new InMemoryEventStore();
      appended = 0;
      append(id: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
        this.appended += events.length;
        return this.#inner.append(id, events, options);
      }
      readStream(id: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
        return this.#inner.readStream(id, options);
      }
      readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
        return this.#inner.readAll(options);
      }
      readByIds(id: string, ids: readonly string[]): Promise<StoredEvent[]> {
        return this.#inner.readByIds(id, ids);
      }
      streamVersion(id: string): Promise<number> {
        return this.#inner.streamVersion(id);
      }
      close(): Promise<void> {
        return this.#inner.close();
      }
    }
    const plain = new PlainStore();
    const store: EventStore = plain;
    const engine = new Engine({ store });
    await engine.record({ customerId, type: 'MatterOpened', at, data: { matterId: 'm' } });
    // Through the interface, a listed event is checked; the class's own signature takes what it says.
    const typeOnly = () => {
      // @ts-expect-error matterID is misspelt
      void store.append(customerId, [{ customerId, type: 'MatterOpened', at, time, data: { matterID: 'm2' } }]);
      void plain.append(customerId, [{ customerId, type: 'MatterOpened', at, time, data: { matterID: 'm2' } }]);
    };
    expect(typeOnly).toBeTypeOf('function');
    expect(plain.appended).toBe(1);
    expect((await store.readStream(customerId)).map((e) => e.data)).toEqual([{ matterId: 'm', severity: 'normal' }]);
  });
});
