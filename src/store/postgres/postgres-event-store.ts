import type { EventTypeName, NonArrayIterable } from '../../events/event.js';
import type {
  AppendOptions,
  AppendResult,
  EventSchemaLookup,
  EventStore,
  ExpectedVersion,
  NewEvent,
  NewEventsFor,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
} from '../event-store.js';
import { checkAppendOptions } from '../append-options.js';
import { checkStream, isValidated } from '../event-input.js';
import { isExpectedVersion } from '../expected-version.js';
import { checkReadAllOptions, checkReadStreamOptions } from '../read-options.js';
import { appendChecked, eventsByIds, type StoreTables } from './checked-append.js';
import { appendParams, appendStatement, distinctIds, isUniqueViolation, statementName } from './append-statement.js';
import { importBatchSize, importEvents, type ImportOptions, type ImportResult } from './bulk-import.js';
import { noticeChannel } from './event-notices.js';
import { eventColumns, toStoredEvent, type EventRow } from './event-rows.js';
import { cursorAt, readAfterPosition, readGlobal } from './global-order.js';
import { migrate, quoteIdent } from './migrations.js';
import { openPGlite, pgClient, pgliteClient, type PGliteLike, type PgPoolLike, type SqlClient } from './sql-client.js';
import { checkStorable } from './storable.js';
import { storeSettings, type PostgresEventStoreOptions } from './store-settings.js';
import type { Upcasters } from './upcasters.js';

/** The largest stream version the `integer` columns hold. */
const MAX_VERSION = 2_147_483_647;

/**
 * The durable event store: PostgreSQL, either a server through `pg` or PGlite in this process, with
 * the same SQL. The schema is created or migrated on first use. An append is one statement when
 * it can be (append-statement.ts): it moves the stream's row in `streams` forward only from the
 * expected version (so concurrent writers to one customer queue up on that row and the loser
 * sees the winner's version) and inserts the batch. Retries, id conflicts and version conflicts
 * are settled by a checked transaction that locks the row, compares payloads and reports the
 * actual version. `readAll` never skips an event whose transaction commits late (see global-order.ts).
 */
export class PostgresEventStore implements EventStore {
  readonly client: SqlClient;
  readonly schema: string;
  readonly upcasters: Upcasters;
  /** The channel appends notify workers on (the `notify` option), or undefined when they do not. */
  readonly noticeChannel: string | undefined;
  readonly #s: string;
  /** The schema, upcasters and notice channel, as the checked append and the id lookups take them. */
  readonly #where: StoreTables;
  readonly #owns: boolean;
  readonly #appendStatements = new Map<string, { readonly text: string; readonly name: string }>();
  #ready: Promise<unknown> | undefined;

  constructor(client: SqlClient, options: PostgresEventStoreOptions = {}) {
    const settings = storeSettings('PostgresEventStore', options);
    this.client = client;
    this.schema = settings.schema;
    this.#s = quoteIdent(this.schema);
    this.upcasters = settings.upcasters;
    this.noticeChannel = settings.notify ? noticeChannel(this.schema) : undefined;
    this.#where = { s: this.#s, upcasters: this.upcasters, channel: this.noticeChannel };
    this.#owns = options.ownsClient ?? false;
  }

  /** A store on a PostgreSQL server: a connection string (heed opens and closes the pool) or your `pg` Pool. */
  static async connect(target: string | PgPoolLike, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    // Every option before a pool is opened: a refused store is never returned, so nothing would close it.
    const settings = storeSettings('PostgresEventStore.connect', options);
    const client = await pgClient(target);
    return storeOn(client, { ownsClient: typeof target === 'string', ...options, ...settings });
  }

  /** A store in PGlite: your database, or a new one in memory (or at `dataDir`) that the store closes. */
  static async pglite(db?: PGliteLike | string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    // Every option before a database is opened: a PGlite left open can keep the process from exiting.
    const settings = storeSettings('PostgresEventStore.pglite', options);
    const client = db === undefined || typeof db === 'string' ? await openPGlite(db) : pgliteClient(db);
    return storeOn(client, { ownsClient: db === undefined || typeof db === 'string', ...options, ...settings });
  }

  /** Create or migrate the schema now (otherwise it happens on first use). Returns versions applied. */
  async migrate(): Promise<number[]> {
    const run = migrate(this.client, this.schema);
    this.#ready = run;
    return run;
  }

  async append<const Types extends readonly EventTypeName[]>(customerId: string, given: NewEventsFor<Types>, options: AppendOptions = {}): Promise<AppendResult> {
    checkStream(customerId, given);
    if (!isValidated(options)) checkAppendOptions(options);
    if (given.length === 0) return { streamVersion: await this.streamVersion(customerId), appended: [], duplicates: [] };
    // The engine's events passed its validation; anyone else's are read as it would read them (stored-form.ts).
    const events = checkStorable(given, this.upcasters.reading, 'the batch', 0, !isValidated(options));
    await this.#ensure();
    const expected = options.expectedVersion ?? 'any';
    // The one statement binds a version as an int4: any other value (invalid, or beyond every
    // stream) is settled by the checked path, as the in-memory store settles it.
    if (distinctIds(events) && (typeof expected !== 'number' || expected <= MAX_VERSION) && isExpectedVersion(expected)) {
      try {
        const { text, name } = this.#appendStatement(expected);
        const rows = await this.client.query<EventRow>(text, appendParams(customerId, events, expected, this.upcasters), name);
        if (rows.length > 0) {
          const appended = rows.map((row) => toStoredEvent(row, this.upcasters)).sort((x, y) => x.streamVersion - y.streamVersion);
          return { streamVersion: appended.at(-1)?.streamVersion ?? 0, appended, duplicates: [] };
        }
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    return appendChecked(this.client, this.#where, customerId, events, expected);
  }

  async readStream(customerId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    checkReadStreamOptions(options, customerId);
    await this.#ensure();
    const rows = await this.client.query<EventRow>(
      `select ${eventColumns} from ${this.#s}.events where customer_id = $1 and stream_version >= $2 order by stream_version limit $3`,
      [customerId, options.fromVersion ?? 1, options.limit ?? null],
    );
    return rows.map((row) => toStoredEvent(row, this.upcasters));
  }

  /**
   * Every stream in global order: (committing transaction, position). `after` is the
   * `globalPosition` of the last event a previous call returned; positions increase within a
   * transaction but not necessarily across concurrent ones, so always continue from the last event
   * returned, never from a maximum.
   */
  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    checkReadAllOptions(options);
    await this.#ensure();
    const after = options.after ?? 0;
    const cursor = await cursorAt(this.client, this.#s, after);
    const rows =
      cursor === undefined
        ? await readAfterPosition(this.client, this.#s, after, options.limit)
        : await readGlobal(this.client, this.#s, cursor, options.limit);
    return rows.map((row) => toStoredEvent(row, this.upcasters));
  }

  async readByIds(customerId: string, ids: readonly string[]): Promise<StoredEvent[]> {
    if (ids.length === 0) return [];
    await this.#ensure();
    return eventsByIds(this.client, this.#where, customerId, ids);
  }

  async streamVersion(customerId: string): Promise<number> {
    await this.#ensure();
    const [row] = await this.client.query<{ version: number }>(`select version from ${this.#s}.streams where customer_id = $1`, [customerId]);
    return Number(row?.version ?? 0);
  }

  /** Custom types' payload schemas, so their upcast payloads are validated (`EventStore.useEventSchemas`). */
  useEventSchemas(schemaOf: EventSchemaLookup): void {
    this.upcasters.useSchemas(schemaOf);
  }

  /**
   * Load many events fast (an export, a migration from another system): COPY with `pg`, multi-row
   * inserts with PGlite. Events are appended to the end of their streams in the order given;
   * retries by id are skipped, an id with another payload fails the whole import. A list's events
   * are type-checked as `append`'s are.
   */
  importEvents<const Types extends readonly EventTypeName[]>(events: NewEventsFor<Types>, options?: ImportOptions): Promise<ImportResult>;
  /** Events from another iterable (a generator, an async one, a Set): taken as typed. An overload, so a list's elements are typed (and completed in an editor) as the first one says. */
  importEvents(events: NonArrayIterable<NewEvent> | AsyncIterable<NewEvent>, options?: ImportOptions): Promise<ImportResult>;
  async importEvents(events: Iterable<NewEvent> | AsyncIterable<NewEvent>, options: ImportOptions = {}): Promise<ImportResult> {
    const batchSize = importBatchSize(options); // refused before the schema is created
    await this.#ensure();
    return importEvents(this.client, this.#s, this.upcasters, events, batchSize, this.noticeChannel);
  }

  async close(): Promise<void> {
    await this.#ready?.catch(() => undefined);
    if (this.#owns) await this.client.close();
  }

  async #ensure(): Promise<void> {
    this.#ready ??= migrate(this.client, this.schema);
    try {
      await this.#ready;
    } catch (error) {
      this.#ready = undefined; // let a later call retry (the server may have been down)
      throw error;
    }
  }

  /** The one-statement append for this kind of expected version, named by its text (prepared once per connection). */
  #appendStatement(expected: ExpectedVersion): { readonly text: string; readonly name: string } {
    const kind = typeof expected === 'number' ? (expected === 0 ? 'no-stream' : 'number') : expected;
    let statement = this.#appendStatements.get(kind);
    if (statement === undefined) {
      const text = appendStatement(this.#s, expected, this.noticeChannel);
      statement = { text, name: statementName(text) };
      this.#appendStatements.set(kind, statement);
    }
    return statement;
  }

}

/** A store on `client`, made outside the class body so the built class keeps its name (see engineWith in engine.ts). */
function storeOn(client: SqlClient, options: PostgresEventStoreOptions): PostgresEventStore {
  return new PostgresEventStore(client, options);
}
