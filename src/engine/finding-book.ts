import { current, freeze, isDraft } from 'immer';
import type { FindingInput } from '../policies/define-policy.js';
import { setEntry } from '../set-entry.js';
import { deepEqual } from '../store/same-payload.js';
import { isoOrderKey, toIso } from '../time/instant.js';
import { findingKey, type Finding, type FindingChange } from './finding.js';
import { findingLinksProblem } from './finding-input.js';
import type { FindingRecord, Stream } from './stream.js';

/**
 * Applies reported findings to a stream under the contract's identity rule (same kind, customer,
 * subject and start = the same finding, updated in place, never duplicated). With a `changes`
 * list it records what changed (for notifications); without one it updates quietly.
 */
export class FindingBook {
  readonly #stream: Stream;
  readonly #changes: FindingChange[] | undefined;
  /** Kept only so the conversions in `#flat` have an effect the bundler cannot remove. */
  #flattened = 0;

  constructor(stream: Stream, changes: FindingChange[] | undefined) {
    this.#stream = stream;
    this.#changes = changes;
  }

  /**
   * Apply one report. `folded`: the place in fold order of the last event evaluated when it was
   * made (`ReportSink`); a new or changed finding whose evidence cites anything else, or whose
   * matterId names a matter not opened by then, is refused (thrown, before the stream changes: the
   * caller fails the policy with it).
   */
  report(policy: number, input: FindingInput, folded: number): void {
    const stream = this.#stream;
    const key = this.#flat(findingKey(stream.customerId, input.kind, input.subject, input.start === undefined ? '' : String(input.start)));
    const finding = toFinding(stream.customerId, input);
    this.#flat(finding.message);
    const ongoing = input.ongoing === true;
    const previous = stream.findings.get(key);
    if (previous !== undefined && previous.ongoing === ongoing && sameFinding(previous.finding, finding)) return;
    const problem = findingLinksProblem(finding.kind, finding.evidence, finding.matterId, stream, folded);
    if (problem !== undefined) throw new Error(problem);
    stream.findings.set(key, { key, finding, order: isoOrderKey(input.detectedAt), policy, ongoing });
    if (previous?.ongoing === true) stream.ongoing[previous.policy] = (stream.ongoing[previous.policy] ?? 1) - 1;
    if (ongoing) stream.ongoing[policy] = (stream.ongoing[policy] ?? 0) + 1;
    this.#changes?.push(
      previous === undefined ? { type: 'created', key, finding } : { type: 'updated', key, finding, previous: previous.finding },
    );
  }

  /**
   * Make the text one flat string, in place. A string built by concatenation (a message, a key) is
   * a tree of pieces in V8, about 20 nodes for a message; kept for every finding (550k for 1M
   * events) the trees cost several times the text. Reading a character flattens a string (V8
   * flattens before indexing a tree). The result goes into a field: a module variable nobody reads
   * is dropped by the tree-shaking bundler, and the read with it.
   */
  #flat(text: string): string {
    this.#flattened += text.charCodeAt(0);
    return text;
  }

  /** Changes between two evaluations of one stream (after a re-fold), appended to `changes`. */
  static diff(before: ReadonlyMap<string, FindingRecord>, after: ReadonlyMap<string, FindingRecord>, changes: FindingChange[]): void {
    for (const [key, record] of after) {
      const previous = before.get(key);
      if (previous === undefined) changes.push({ type: 'created', key, finding: record.finding });
      else if (!sameFinding(previous.finding, record.finding)) changes.push({ type: 'updated', key, finding: record.finding, previous: previous.finding });
    }
    for (const [key, record] of before) {
      if (!after.has(key)) changes.push({ type: 'retracted', key, finding: record.finding });
    }
  }
}

/**
 * The contract's finding object, fields in the contract's order; frozen so listeners cannot alter
 * it. It is built while the policy's draft is alive and outlives it, so evidence and details are
 * copied out of any draft they reference (one copy: the input itself is never kept).
 */
function toFinding(customerId: string, input: FindingInput): Finding {
  return Object.freeze({
    kind: input.kind,
    customerId,
    matterId: input.matterId ?? null,
    detectedAt: toIso(input.detectedAt),
    severity: input.severity,
    message: input.message,
    evidence: Object.freeze(copyList(input.evidence)),
    details: Object.freeze(copyRecord(input.details)),
  });
}

/** Same fields, same values (details compared deeply): a report that changes nothing is not a change. */
function sameFinding(a: Finding, b: Finding): boolean {
  return (
    a.kind === b.kind &&
    a.customerId === b.customerId &&
    a.matterId === b.matterId &&
    a.detectedAt === b.detectedAt &&
    a.severity === b.severity &&
    a.message === b.message &&
    a.evidence.length === b.evidence.length &&
    a.evidence.every((id, i) => id === b.evidence[i]) &&
    deepEqual(a.details, b.details)
  );
}

/** Evidence ids, copied: a draft's `current` is its base when unmodified, so it is copied too. */
function copyList(list: readonly string[]): string[] {
  return (isDraft(list) ? current(list as string[]) : list).slice();
}

function copyRecord(record: object): Record<string, unknown> {
  if (isDraft(record)) return { ...(freeze(current(record), true) as Record<string, unknown>) };
  // Built key by key rather than by spread: a spread copy is much slower to freeze.
  const out: Record<string, unknown> = {};
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const value = (record as Record<string, unknown>)[key];
    // Keys may be ids from the input (a plugin's count per matter): "__proto__" stays a key.
    setEntry(out, key, typeof value === 'object' && value !== null ? copyValue(value) : value);
  }
  return out;
}

/**
 * A value as plain data, frozen like the finding that holds it: drafts by `current`, plain arrays
 * and objects copied, the rest as is.
 */
function copyValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (isDraft(value)) return freeze(current(value), true);
  return Object.freeze(Array.isArray(value) ? value.map(copyValue) : copyRecord(value));
}
