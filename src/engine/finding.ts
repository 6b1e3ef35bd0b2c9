/** What the policies report (CONTRACT.md §2). */

export const findingSeverities = ['info', 'warning', 'breach', 'critical'] as const;
export type FindingSeverity = (typeof findingSeverities)[number];

/** The finding kinds of the built-in policies. Plugins add `plugin-name.what` kinds. */
export const coreFindingKinds = [
  'inattention.gap',
  'promise.at-risk',
  'promise.broken',
  'promise.kept-late',
  'burden.escalated',
  'burden.repeated-remedy',
  'survey.due',
  'survey.mistimed',
  'survey.too-late',
  'feedback.unanswered',
] as const;
export type CoreFindingKind = (typeof coreFindingKinds)[number];

/** A finding as heed reports it: plain JSON, fields in the contract's order. */
export interface Finding {
  readonly kind: string;
  readonly customerId: string;
  /** The matter it concerns, or null for the whole relationship. */
  readonly matterId: string | null;
  /** ISO-8601 instant in journey time at which it became true (not the wall clock). */
  readonly detectedAt: string;
  readonly severity: FindingSeverity;
  /** One plain-language sentence a support lead understands. */
  readonly message: string;
  /** Ids of the events that make it true. */
  readonly evidence: readonly string[];
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * How a finding changed. `created` and `updated` carry the latest state; `retracted` means a
 * re-evaluation (after a backdated event) showed it never held, so it is no longer reported.
 * `F` is the finding's type: `FindingOf<kind>` for a listener of one kind (`engine.on(kind, …)`).
 */
export interface FindingChange<F extends Finding = Finding> {
  readonly type: 'created' | 'updated' | 'retracted';
  /** Stable identity: the same kind, customer, subject and start is the same finding. */
  readonly key: string;
  readonly finding: F;
  readonly previous?: F;
}

/** A finding's identity (CONTRACT.md §2: same kind, customerId, subject id and start). */
export function findingKey(customerId: string, kind: string, subject: string, start: string): string {
  return `${kind}|${customerId}|${subject}|${start}`;
}

/** The contract's output order: detectedAt, then customerId, then kind; the key settles ties. */
export function compareFindings(a: { finding: Finding; key: string }, b: { finding: Finding; key: string }): number {
  return (
    compareStrings(a.finding.detectedAt, b.finding.detectedAt) ||
    compareStrings(a.finding.customerId, b.finding.customerId) ||
    compareStrings(a.finding.kind, b.finding.kind) ||
    compareStrings(a.key, b.key)
  );
}

/**
 * `compareFindings` for records that also carry `detectedAt` as a number in the text's order
 * (`isoOrderKey`): one number compare settles nearly every pair of a large sort.
 */
export function compareFindingRecords(a: { finding: Finding; key: string; order: number }, b: { finding: Finding; key: string; order: number }): number {
  const d = a.order - b.order;
  if (d < 0) return -1;
  if (d > 0) return 1;
  if (d !== 0) return compareFindings(a, b); // NaN: an instant whose text must be compared
  return compareStrings(a.finding.customerId, b.finding.customerId) || compareStrings(a.finding.kind, b.finding.kind) || compareStrings(a.key, b.key);
}

/** Code-unit order, independent of the process locale, so output is byte-identical everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
