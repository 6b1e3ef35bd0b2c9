import type { Snapshot } from '../engine/snapshot.js';
import type { Calendar } from '../time/calendar.js';
import { createColors, tableHead, tableTail } from './format-table.js';
import type { Format } from './replay-records.js';
import type { OutputRecord } from './runs.js';

/** The counts a replay's output needs besides its records. */
export interface ReplayTotals extends Pick<Snapshot, 'asOf' | 'customers' | 'events'> {
  readonly findings: number;
  /** Customers with at least one finding (the table's blocks). */
  readonly customersWithFindings: number;
}

/**
 * The replay's output as pieces (text, or the UTF-8 bytes of records read back from run files),
 * from records merged into their final order (see RecordMaker): byte for byte what the whole
 * snapshot printed as (`JSON.stringify(snapshot, null, 2)`, one JSON line per finding,
 * `formatTable`), without ever holding it.
 */
export function* renderOutput(
  format: Format,
  totals: ReplayTotals,
  findings: Iterable<OutputRecord>,
  summaries: Iterable<OutputRecord>,
  calendar: Calendar,
  color: boolean,
): Generator<string | Uint8Array, void> {
  switch (format) {
    case 'json':
      yield `{\n  "asOf": ${JSON.stringify(totals.asOf)},\n  "customers": ${totals.customers},\n  "events": ${totals.events},\n  "findings": `;
      yield* members(findings, '[', ']');
      yield ',\n  "summaries": ';
      yield* members(summaries, '{', '}');
      yield '\n}\n';
      return;
    case 'jsonl':
      for (const record of findings) yield record.text;
      return;
    case 'table': {
      const c = createColors(color);
      yield tableHead(totals, totals.findings, calendar, c);
      for (const record of findings) yield record.text;
      yield tableTail(totals.customers, totals.customersWithFindings, c);
      return;
    }
  }
}

/** The members of an array or object one level in, as JSON.stringify(…, null, 2) prints them there. */
function* members(records: Iterable<OutputRecord>, open: string, close: string): Generator<string | Uint8Array, void> {
  let first = true;
  for (const record of records) {
    yield first ? `${open}\n    ` : ',\n    ';
    first = false;
    yield record.text;
  }
  yield first ? `${open}${close}` : `\n  ${close}`;
}
