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
}

const STORE_OPTIONS = optionNames<PostgresEventStoreOptions>({ schema: true, upcasters: true, ownsClient: true });

/**
 * The options checked, every one that can be wrong (names, schema, upcasters): the static
 * constructors call it before they open a pool or a database, and pass on the `Upcasters` built,
 * so the constructor's own call finds nothing more and builds nothing twice.
 */
export function storeSettings(owner: string, options: PostgresEventStoreOptions): { readonly schema: string; readonly upcasters: Upcasters } {
  checkOptionNames(owner, options, STORE_OPTIONS);
  const schema = schemaName(options.schema, owner);
  // Kept as given it would be truthy ("yes", 0 is not): close() would end a pool the caller owns.
  if (options.ownsClient !== undefined && typeof options.ownsClient !== 'boolean') {
    throw new UsageError(`${owner}: option "ownsClient" must be true or false, got ${describeValue(options.ownsClient)}`, { path: 'ownsClient', rule: 'invalid-type' });
  }
  const upcasters = options.upcasters instanceof Upcasters ? options.upcasters : new Upcasters(options.upcasters ?? []);
  return { schema, upcasters };
}
