import { describeValue } from '../../describe-value.js';
import { UsageError } from '../../errors.js';
import { checkOptionNames, optionNames } from '../../option-names.js';
import { schemaName } from './schema-name.js';
import { Upcasters, type Upcaster } from './upcasters.js';

export interface PostgresEventStoreOptions {
  /** PostgreSQL schema holding heed's tables; created on first use. Default `heed`. */
  readonly schema?: string;
  /** Upgrade stored events of older schema versions on read. */
  readonly upcasters?: readonly Upcaster[] | Upcasters;
  /** Close the client on `close()`. Default: true for clients the static constructors open. */
  readonly ownsClient?: boolean;
  /**
   * Send a notification (`pg_notify`, inside the appending statement) for every append and import
   * chunk committed, so that started ProjectionWorkers of the schema run their next pass at once
   * rather than after up to `pollInterval` (event-notices.ts). Default false: PostgreSQL serialises
   * the commits of notifying transactions (one lock, held through the commit's WAL flush), which
   * cost 8 concurrent appenders half to four fifths of their throughput in our measurement; a
   * single append's latency did not measurably change (see README).
   */
  readonly notify?: boolean;
}

const STORE_OPTIONS = optionNames<PostgresEventStoreOptions>({ schema: true, upcasters: true, ownsClient: true, notify: true });

/**
 * The options checked, every one that can be wrong (names, schema, upcasters): the static
 * constructors call it before they open a pool or a database, and pass on the `Upcasters` built,
 * so the constructor's own call finds nothing more and builds nothing twice.
 */
export function storeSettings(owner: string, options: PostgresEventStoreOptions): { readonly schema: string; readonly upcasters: Upcasters; readonly notify: boolean } {
  checkOptionNames(owner, options, STORE_OPTIONS);
  const schema = schemaName(options.schema, owner);
  for (const name of ['ownsClient', 'notify'] as const) {
    // Kept as given, a non-boolean would be read as truthy or not ("yes", 0): close() would end a pool the caller owns.
    const value = options[name];
    if (value !== undefined && typeof value !== 'boolean') {
      throw new UsageError(`${owner}: option "${name}" must be true or false, got ${describeValue(value)}`, { path: name, rule: 'invalid-type' });
    }
  }
  const upcasters = options.upcasters instanceof Upcasters ? options.upcasters : new Upcasters(options.upcasters ?? []);
  return { schema, upcasters, notify: options.notify ?? false };
}
