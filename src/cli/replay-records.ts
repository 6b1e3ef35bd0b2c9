import type { Finding } from '../engine/finding.js';
import type { Snapshot } from '../engine/snapshot.js';
import type { Calendar } from '../time/calendar.js';
import { createColors, customerBlock, type Colors } from './format-table.js';
import type { OutputRecord } from './runs.js';

export const formats = ['table', 'json', 'jsonl'] as const;
export type Format = (typeof formats)[number];

/**
 * How a settled part of a replay (one group's snapshot) becomes output records, already rendered
 * as the text the chosen format prints, each with the key the whole output is ordered by. The
 * parts are merged by key later, so every piece must print the same wherever it ends up.
 */
export interface RecordMaker {
  /** The part's findings (json, jsonl: one per finding; table: one block per customer). */
  findings(part: Snapshot): OutputRecord[];
  /** The part's summaries (json only). */
  summaries(part: Snapshot): OutputRecord[];
}

export function recordMaker(format: Format, calendar: Calendar, color: boolean): RecordMaker {
  switch (format) {
    case 'json':
      return {
        findings: (part) => {
          const texts = indentedObjects(part.findings);
          return part.findings.map((f, i) => ({ a: f.detectedAt, b: f.customerId, c: f.kind, text: texts[i] as string }));
        },
        summaries: (part) => {
          const texts = indentedObjects(Object.values(part.summaries));
          return Object.keys(part.summaries).map((customerId, i) => summaryRecord(customerId, texts[i] as string));
        },
      };
    case 'jsonl':
      return {
        findings: (part) => part.findings.map((f) => ({ a: f.detectedAt, b: f.customerId, c: f.kind, text: `${JSON.stringify(f)}\n` })),
        summaries: () => [],
      };
    case 'table': {
      const c = createColors(color);
      return { findings: (part) => tableBlocks(part.findings, calendar, c), summaries: () => [] };
    }
  }
}

/**
 * `JSON.stringify(value, null, 2)` as it prints two levels deep in the json output (a finding in
 * `findings`, a summary in `summaries`): its inner lines indented four more spaces. Stringified
 * nested in two arrays, which indents it so, and the arrays cut off (faster than re-indenting).
 */
export function indented(value: unknown): string {
  const text = JSON.stringify([[value]], null, 2);
  return text.slice(10, text.length - 6); // "[\n  [\n    " and "\n  ]\n]"
}

/** Objects stringified together: one JSON.stringify call per this many (the call, not the text, is what costs). */
const BATCH = 256;
/** What separates two objects printed two arrays deep. */
const BETWEEN = '},\n    {';

/**
 * `indented` of each of many plain objects, BATCH per JSON.stringify call. In a batch printed two
 * arrays deep, every member starts with `{` and ends with `}` alone on a line indented four
 * spaces, and anything inside a member is indented six or more (a string holds no raw line
 * break), so BETWEEN occurs exactly between members: each member is cut out of the batch's text
 * (a slice shares the text rather than copying it). A batch that does not cut into as many pieces
 * as it has members (not possible for objects) is stringified one by one instead.
 */
export function indentedObjects(values: readonly object[]): string[] {
  const texts: string[] = [];
  for (let start = 0; start < values.length; start += BATCH) {
    const batch = values.slice(start, start + BATCH);
    const text = JSON.stringify([batch], null, 2);
    const first = texts.length;
    let member = 10; // after "[\n  [\n    "
    for (let cut = text.indexOf(BETWEEN, member); cut !== -1; cut = text.indexOf(BETWEEN, member)) {
      texts.push(text.slice(member, cut + 1));
      member = cut + BETWEEN.length - 1;
    }
    texts.push(text.slice(member, text.length - 6)); // before "\n  ]\n]"
    if (texts.length - first !== batch.length) {
      texts.length = first;
      for (const value of batch) texts.push(indented(value));
    }
  }
  return texts;
}

/**
 * A summary's member of `summaries` (the summary already `indented`), keyed as a JavaScript object
 * orders its keys (the json output was printed from one): array-index keys first, in numeric
 * order, then the others in code-unit order (the order the summaries were added in).
 */
function summaryRecord(customerId: string, indentedSummary: string): OutputRecord {
  const text = `${JSON.stringify(customerId)}: ${indentedSummary}`;
  return isArrayIndex(customerId) ? { a: '0', b: customerId.padStart(10, '0'), c: '', text } : { a: '1', b: customerId, c: '', text };
}

/** A canonical array index ("0" to "4294967294"): the keys an object lists first. */
export function isArrayIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10 || !/^(?:0|[1-9]\d*)$/.test(key)) return false;
  return Number(key) < 4_294_967_295;
}

/** A part's findings as one table block per customer, each customer's in the part's (the contract's) order. */
function tableBlocks(findings: readonly Finding[], calendar: Calendar, c: Colors): OutputRecord[] {
  const byCustomer = new Map<string, Finding[]>();
  for (const finding of findings) {
    let list = byCustomer.get(finding.customerId);
    if (list === undefined) byCustomer.set(finding.customerId, (list = []));
    list.push(finding);
  }
  return [...byCustomer].map(([customerId, list]) => ({ a: customerId, b: '', c: '', text: customerBlock(customerId, list, calendar, c) }));
}
