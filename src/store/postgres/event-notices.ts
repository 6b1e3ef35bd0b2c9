import { createHash } from 'node:crypto';

/**
 * The notifications a store sends when it commits events (its `notify` option), so that a started
 * ProjectionWorker listening on the same schema runs its next pass at once instead of after up to
 * `pollInterval`. One channel per store schema; the payload is the customer's partition hash,
 * `hashtext(customer_id) & 2147483647` computed by the server in the appending statement, the very
 * number `partitionOf` takes modulo the worker's partition count. A worker owning partition
 * `hash % partitions` wakes; the others ignore it. An import touches many customers in one
 * transaction and sends `*` instead: every worker of the schema wakes.
 *
 * PostgreSQL delivers a notification after its transaction commits, drops it when it rolls back,
 * and folds identical ones sent in one transaction: an append sends at most one.
 */

/** The payload of a notification that concerns every partition (an import). */
export const EVERY_PARTITION = '*';

/** PostgreSQL's longest identifier (NAMEDATALEN - 1): `pg_notify` refuses a longer channel, LISTEN truncates it. */
const MAX_CHANNEL = 63;

/**
 * The channel of a store schema: `heed_<schema>`, shortened with a hash of the schema when that is
 * too long (schema names go up to 63 characters), so two schemas never share it in practice.
 * Lowercase letters, digits and `_` only, like the schema: the same name quoted or not (PGlite's
 * unlisten splices it into UNLISTEN unquoted), and LISTEN quotes it all the same.
 */
export function noticeChannel(schema: string): string {
  const channel = `heed_${schema}`;
  if (channel.length <= MAX_CHANNEL) return channel;
  const hash = createHash('sha1').update(schema).digest('hex').slice(0, 8);
  return `heed_${schema.slice(0, MAX_CHANNEL - 'heed_'.length - 9)}_${hash}`;
}

/** A SQL string literal (the channel is spliced into statement text, once per store). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The SQL expression of one customer's payload (the store's own partition hash of `column`). */
export function noticePayload(column: string): string {
  return `(hashtext(${column}) & 2147483647)::text`;
}

/**
 * The partition a payload concerns for a worker of `partitions` partitions, or `undefined` for
 * every partition (an import's `*`, or anything else sent on the channel: waking costs a pass,
 * sleeping through an event costs up to `pollInterval`).
 */
export function noticePartition(payload: string, partitions: number): number | undefined {
  if (!/^\d{1,10}$/.test(payload)) return undefined;
  return Number(payload) % partitions;
}
