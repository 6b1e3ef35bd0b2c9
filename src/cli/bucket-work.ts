import type { Engine } from '../engine/engine.js';
import { InvalidInputError, type PolicyError, type ValidationError } from '../errors.js';
import type { ValidEvent } from '../events/event.js';
import { checkStream, groupByCustomer } from './check-streams.js';
import type { LineCodec } from './line-codec.js';
import type { ReplayTotals } from './replay-render.js';
import { GroupFolder } from './replay-groups.js';
import type { RecordMaker } from './replay-records.js';
import { compareRecords, type OutputRecord } from './runs.js';

/**
 * What pass 2 of `heed replay` / `heed validate` does to one bucket, the same in the CLI's own
 * thread and in a worker (bucket-worker.ts): check its lines, then evaluate its customers.
 */

export type Totals = { -readonly [K in keyof ReplayTotals]: ReplayTotals[K] };

/** Totals before anything is evaluated. */
export function noTotals(asOf: string | null): Totals {
  return { asOf, customers: 0, events: 0, findings: 0, customersWithFindings: 0 };
}

/** Add a bucket's totals (counted in a worker) to the whole replay's. */
export function addTotals(into: Totals, part: Totals): void {
  into.customers += part.customers;
  into.events += part.events;
  into.findings += part.findings;
  into.customersWithFindings += part.customersWithFindings;
}

export interface CheckedBucket {
  /** Valid events per customer, identical retries dropped. */
  readonly streams: Map<string, ValidEvent[]>;
  readonly customers: number;
  readonly events: number;
}

/** Validate a bucket's records (released as they are read) and check each stream's lifecycle; every problem to `keep`. */
export function checkBucket(records: string[], codec: LineCodec, keep: (problems: readonly ValidationError[]) => void): CheckedBucket {
  const events: ValidEvent[] = [];
  for (let i = 0; i < records.length; i++) {
    const result = codec.decode(records[i] as string);
    if (result.ok) events.push(result.event);
    else keep(result.errors);
  }
  records.length = 0;
  const streams = groupByCustomer(events);
  let count = 0;
  for (const stream of streams.values()) {
    checkStream(stream, keep);
    count += stream.length;
  }
  return { streams, customers: streams.size, events: count };
}

export type Folded =
  | { readonly ok: true; readonly findings: OutputRecord[]; readonly summaries: OutputRecord[]; readonly failure?: undefined }
  /** A policy failed: the failure of the customer first by id; every customer was still folded, nothing kept. */
  | { readonly ok: true; readonly failure: PolicyError }
  | { readonly ok: false; readonly problems: readonly ValidationError[] };

/** Evaluate one bucket's streams (emptied as they are folded) into records sorted in output order, counting into `totals`. */
export async function foldBucket(streams: Map<string, ValidEvent[]>, engine: Engine, end: number, until: number | undefined, maker: RecordMaker, totals: Totals): Promise<Folded> {
  const findings: OutputRecord[] = [];
  const summaries: OutputRecord[] = [];
  const folder = new GroupFolder(engine, end, until, (part) => {
    for (const record of maker.findings(part)) findings.push(record);
    for (const record of maker.summaries(part)) summaries.push(record);
    totals.customers += part.customers;
    totals.events += part.events;
    totals.findings += part.findings.length;
    // A part holds whole customers, so each customer with findings is counted once overall.
    totals.customersWithFindings += new Set(part.findings.map((f) => f.customerId)).size;
  });
  try {
    for (const [customerId, stream] of streams) {
      streams.delete(customerId); // its events go with its group's engine
      await folder.fold(stream);
    }
    folder.settle();
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return { ok: false, problems: error.errors };
  }
  if (folder.failure !== undefined) return { ok: true, failure: folder.failure };
  // Stable: findings that tie (one customer's) keep their part's order, the contract's.
  findings.sort(compareRecords);
  summaries.sort(compareRecords);
  return { ok: true, findings, summaries };
}
