import { describeValue } from '../../describe-value.js';
import { UsageError } from '../../errors.js';

/**
 * heed keeps its tables in one PostgreSQL schema (default `heed`), so several installations, or
 * tests, can share a database. The name is spliced into SQL, hence the strict rule.
 */
export function schemaName(name: string | undefined, owner?: string): string {
  const schema = name ?? 'heed';
  if (typeof schema !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    const shown = typeof schema === 'string' ? `"${schema}"` : describeValue(schema);
    throw new UsageError(`${owner === undefined ? '' : `${owner}: `}option "schema": ${shown} must be lowercase letters, digits and "_", starting with a letter or "_" (at most 63)`, {
      path: 'schema',
      rule: typeof schema === 'string' ? 'invalid-format' : 'invalid-type',
    });
  }
  return schema;
}
