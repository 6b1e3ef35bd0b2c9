import type { NewEvent, StoredEvent } from '../event-store.js';
import { coreKeyOrder, keptText, readInOrder } from './key-order.js';
import type { Upcasters } from './upcasters.js';

/**
 * The columns every event read selects (of table alias `e`), cast so `pg` and PGlite return the same
 * JS types. `data` and `meta` come from their text as written when it was kept (key-order.ts), from
 * the jsonb otherwise, so never both.
 */
export function eventColumnsOf(e: string): string {
  return `${e}.customer_id, ${e}.stream_version, ${e}.global_position::float8 as global_position,
  ${e}.transaction_id::text as transaction_id, ${e}.event_id, ${e}.type, ${e}.schema_version,
  case when ${e}.data_text is null then ${e}.data end as data, ${e}.data_text,
  case when ${e}.meta_text is null then ${e}.meta end as meta, ${e}.meta_text, ${e}.at_text, (extract(epoch from ${e}.at) * 1000)::float8 as time_ms, ${e}.recorded_at`;
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
  readonly data_text: string | null;
  readonly meta: Record<string, unknown> | null;
  readonly meta_text: string | null;
  readonly at_text: string;
  readonly time_ms: number;
  readonly recorded_at: Date | string;
}

/**
 * A row as the store returns it: `data` and `meta` with their keys in the order they were appended
 * in (key-order.ts), upgraded to the type's current schema version; its fields in the order the
 * in-memory store gives them, so the same events are the same JSON whichever store holds them.
 */
export function toStoredEvent(row: EventRow, upcasters: Upcasters): StoredEvent {
  const base = { id: row.event_id, customerId: row.customer_id, type: row.type, at: row.at_text };
  const stored = row.data_text !== null ? (JSON.parse(row.data_text) as unknown) : readInOrder(row.data, coreKeyOrder(row.type));
  const { data, schemaVersion } = upcasters.upgrade(base, stored, Number(row.schema_version));
  const meta = row.meta_text !== null ? (JSON.parse(row.meta_text) as Record<string, unknown>) : row.meta;
  return {
    ...base,
    time: Number(row.time_ms),
    data,
    streamVersion: Number(row.stream_version),
    globalPosition: Number(row.global_position),
    schemaVersion,
    recordedAt: new Date(row.recorded_at).toISOString(),
    ...(meta !== null ? { meta } : {}),
  };
}

/**
 * The JSON texts of an event's `data` and `meta` as the `events` columns take them: the text for
 * the jsonb, and for `data_text` / `meta_text` the same text when the jsonb would read back in
 * another key order, null otherwise (key-order.ts). `meta` absent: all null.
 */
export function jsonColumns(event: NewEvent): { data: string; dataText: string | null; meta: string | null; metaText: string | null } {
  const data = JSON.stringify(event.data);
  const meta = event.meta === undefined ? null : JSON.stringify(event.meta);
  return { data, dataText: keptText(event.data, data, coreKeyOrder(event.type)), meta, metaText: meta === null ? null : keptText(event.meta, meta) };
}
