import type { StoredEvent } from '../event-store.js';
import type { Upcasters } from './upcasters.js';

/** The columns every event read selects (of table alias `e`), cast so `pg` and PGlite return the same JS types. */
export function eventColumnsOf(e: string): string {
  return `${e}.customer_id, ${e}.stream_version, ${e}.global_position::float8 as global_position,
  ${e}.transaction_id::text as transaction_id, ${e}.event_id, ${e}.type, ${e}.schema_version, ${e}.data, ${e}.meta,
  ${e}.at_text, (extract(epoch from ${e}.at) * 1000)::float8 as time_ms, ${e}.recorded_at`;
}

/** The same, unqualified (single-table statements and `returning`). */
export const eventColumns = eventColumnsOf('events').replaceAll('events.', '');

export interface EventRow {
  readonly customer_id: string;
  readonly stream_version: number;
  readonly global_position: number;
  readonly transaction_id: string;
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: unknown;
  readonly meta: Record<string, unknown> | null;
  readonly at_text: string;
  readonly time_ms: number;
  readonly recorded_at: Date | string;
}

/** A row as the store returns it: upgraded to the type's current schema version. */
export function toStoredEvent(row: EventRow, upcasters: Upcasters): StoredEvent {
  const base = { id: row.event_id, customerId: row.customer_id, type: row.type, at: row.at_text };
  const { data, schemaVersion } = upcasters.upgrade(base, row.data, Number(row.schema_version));
  return {
    ...base,
    time: Number(row.time_ms),
    data,
    ...(row.meta !== null ? { meta: row.meta } : {}),
    streamVersion: Number(row.stream_version),
    globalPosition: Number(row.global_position),
    schemaVersion,
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}
