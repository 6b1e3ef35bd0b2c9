import type { Finding } from './finding.js';

/**
 * Everything the engine knows at its clock: the object `heed replay --format json` prints
 * (CONTRACT.md §4). Findings sorted by detectedAt, customerId, kind; summaries keyed by customer
 * (sorted), then by policy name.
 */
export interface Snapshot {
  readonly asOf: string | null;
  readonly customers: number;
  readonly events: number;
  readonly findings: readonly Finding[];
  readonly summaries: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}
