import { createColors } from 'picocolors';
import { displayWidth, splitAtWidth } from '../display-width.js';
import { compareStrings, type Finding } from '../engine/finding.js';
import type { Snapshot } from '../engine/snapshot.js';
import { groupBy } from '../group-by.js';
import { printable } from './printable.js';
import { plural, truncate } from '../policies/wording.js';
import type { Calendar } from '../time/calendar.js';

/** The terminal width the table is laid out for. */
export const TABLE_WIDTH = 80;

/**
 * Findings for people: grouped by customer (customers in id order, findings in the contract's
 * order), every line within 80 terminal columns (a CJK character or an emoji takes two), times in the calendar's time zone. Colour only when
 * asked (stdout is a terminal); the layout is the same either way. The text is the head, one
 * block per customer with findings, and the tail, so a replay can print it piece by piece.
 */
export function formatTable(snapshot: Snapshot, calendar: Calendar, color: boolean): string {
  const c = createColors(color);
  const byCustomer = groupBy(snapshot.findings, (f) => f.customerId);
  const customers = [...byCustomer.keys()].sort(compareStrings);
  const blocks = customers.map((customerId) => customerBlock(customerId, byCustomer.get(customerId) ?? [], calendar, c));
  return `${tableHead(snapshot, snapshot.findings.length, calendar, c)}${blocks.join('')}${tableTail(snapshot.customers, customers.length, c)}`;
}

export type Colors = ReturnType<typeof createColors>;
export { createColors };

/** The first two lines: as of when, and how many customers, events and findings (no line break after). */
export function tableHead(counts: Pick<Snapshot, 'asOf' | 'customers' | 'events'>, findings: number, calendar: Calendar, c: Colors): string {
  const asOf = counts.asOf === null ? 'no events' : `as of ${calendar.format(Date.parse(counts.asOf))} (${calendar.timeZone})`;
  return `${c.bold(`heed: ${asOf}`)}\n${plural(counts.customers, 'customer')} · ${plural(counts.events, 'event')} · ${plural(findings, 'finding')}`;
}

/** One customer's findings (in the contract's order), after a blank line: a heading, then each finding. */
export function customerBlock(customerId: string, findings: readonly Finding[], calendar: Calendar, c: Colors): string {
  let text = `\n\n${heading(customerId, plural(findings.length, 'finding'), c)}`;
  for (const finding of findings) for (const line of findingLines(finding, calendar, c)) text += `\n${line}`;
  return text;
}

/** The customers without findings, if any, and the final line break. */
export function tableTail(customers: number, withFindings: number, c: Colors): string {
  const quiet = customers - withFindings;
  if (quiet <= 0) return '\n';
  return `\n\n${c.dim(`No findings for ${withFindings === 0 ? plural(quiet, 'customer') : plural(quiet, 'other customer')}.`)}\n`;
}

function heading(customerId: string, count: string, c: Colors): string {
  const right = ` ${count} ──`;
  // "── " before the name, a space after it and at least one "─" of fill.
  const room = TABLE_WIDTH - right.length - 5;
  const name = truncate(printable(customerId), room);
  const fill = '─'.repeat(Math.max(1, room + 1 - displayWidth(name)));
  return `${c.dim('── ')}${c.bold(c.cyan(name))} ${c.dim(fill)}${c.dim(right)}`;
}

const severityStyle: Record<string, (c: Colors, text: string) => string> = {
  critical: (c, t) => c.bold(c.red(t)),
  breach: (c, t) => c.red(t),
  warning: (c, t) => c.yellow(t),
  info: (c, t) => c.blue(t),
};

function findingLines(finding: Finding, calendar: Calendar, c: Colors): string[] {
  const when = calendar.format(Date.parse(finding.detectedAt)); // "Tue 21 Nov 2017 17:00": 21 columns
  const severity = finding.severity.toUpperCase().padEnd(8);
  const style = severityStyle[finding.severity] ?? ((_c: Colors, t: string) => t);
  const kind = truncate(printable(finding.kind), TABLE_WIDTH - 35);
  const head = `  ${when}  ${severity} ${kind}`;
  const matter = finding.matterId === null ? '' : truncate(` · ${printable(finding.matterId)}`, TABLE_WIDTH - displayWidth(head));
  const first = `  ${c.dim(when)}  ${style(c, severity)} ${c.bold(kind)}${c.dim(matter)}`;
  return [first, ...wrap(printable(finding.message, 'separators'), TABLE_WIDTH - 6).map((line) => `      ${line}`)];
}

/** Word-wrap to `width` terminal columns; a word wider than a line is cut between graphemes. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0; // displayWidth(line), kept rather than measured again for every word
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let rest = word;
    let restWidth = displayWidth(rest);
    while (restWidth > width) {
      if (line !== '') lines.push(line);
      const [head, tail] = splitAtWidth(rest, width, true);
      lines.push(head);
      rest = tail;
      restWidth = displayWidth(rest);
      line = '';
      used = 0;
    }
    if (rest === '') continue;
    if (line === '') {
      line = rest;
      used = restWidth;
    } else if (used + 1 + restWidth <= width) {
      line += ` ${rest}`;
      used += 1 + restWidth;
    } else {
      lines.push(line);
      line = rest;
      used = restWidth;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
