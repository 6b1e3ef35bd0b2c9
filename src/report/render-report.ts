import { compareStrings } from '../engine/finding.js';
import { UsageError } from '../errors.js';
import type { Snapshot } from '../engine/snapshot.js';
import { groupBy } from '../group-by.js';
import { checkOptionNames, optionNames } from '../option-names.js';
import { plural } from '../policies/wording.js';
import type { Calendar } from '../time/calendar.js';
import { legend, script, styles } from './assets.js';
import { el, esc, escAttr } from './html.js';
import { entryIds, renderEventList } from './event-list.js';
import { buildJourney, type Journey, type ReportEvent } from './journey.js';
import { renderOverview } from './overview.js';
import { renderTimeline } from './timeline.js';
import { quoteId } from '../quote-id.js';

export interface ReportInput {
  /** What heed found (as from `engine.snapshot()` or `replay`). */
  readonly snapshot: Snapshot;
  /**
   * The events evaluated, any order, any customers: stored events (`await engine.store.readAll()`)
   * or validated ones (`parseJsonl`), which carry `time`; not the input events given to `record`.
   */
  readonly events: Iterable<ReportEvent>;
  /** For local times, date-only values and axis ticks. */
  readonly calendar: Calendar;
  readonly title?: string;
}

// A misspelt `title` would leave the default one, unnoticed.
const INPUT_FIELDS = optionNames<ReportInput>({ snapshot: true, events: true, calendar: true, title: true });

/**
 * The journey report: one self-contained HTML file (inline CSS, inline script, inline SVG; no
 * external asset, no network). An overview table with a row per customer, then for every
 * customer a timeline picture and its findings' messages. The same input gives the same bytes.
 */
export function renderReport(input: ReportInput): string {
  checkOptionNames('renderReport', input, INPUT_FIELDS, { noun: 'input field', argument: 'the input' });
  const { snapshot, calendar } = input;
  const events = [...input.events];
  events.forEach(checkReportEvent);
  const byCustomer = groupBy(events, (e) => e.customerId);
  const findingsOf = groupBy(snapshot.findings, (f) => f.customerId);
  const customerIds = [...new Set([...byCustomer.keys(), ...findingsOf.keys()])].sort(compareStrings);
  const journeys = customerIds.map((id) => buildJourney(id, byCustomer.get(id) ?? [], findingsOf.get(id) ?? []));
  const anchors = customerIds.map((_, i) => `customer-${i + 1}`);
  const asOf = snapshot.asOf === null ? undefined : Date.parse(snapshot.asOf);
  const title = input.title ?? 'heed journey report';

  const summaries = journeys.map((journey) => shownSummary(Object.hasOwn(snapshot.summaries, journey.customerId) ? snapshot.summaries[journey.customerId] : undefined));
  const sections = journeys.map((journey, i) => section(journey, i + 1, anchors[i] ?? '', summaries[i] ?? null, calendar, asOf)).join('\n');
  const asOfText = asOf === undefined ? 'no events' : `as of ${calendar.format(asOf)} (${calendar.timeZone})`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="heed">
<title>${esc(title)}</title>
<style>${styles}</style>
</head>
<body>
<main>
<h1>${esc(title)}</h1>
<p class="meta">${esc(asOfText)} · ${plural(snapshot.customers, 'customer')} · ${plural(snapshot.events, 'event')} · ${plural(snapshot.findings.length, 'finding')}</p>
<p class="muted">One row per customer; click <span data-needs-script hidden>a column heading to sort, </span>a name to see its timeline. In each timeline, time runs left to right in ${esc(calendar.timeZone)} time; <span data-needs-script hidden>hover a mark for details (Tab also reaches a finding's), </span>click a mark to see its finding's message or its event's entry in the lists under it.</p>
<div class="scroll">${renderOverview(journeys, anchors, calendar)}</div>
<div class="legend">${legend}</div>
${sections}
</main>
<script>${script}</script>
</body>
</html>
`;
}

/** An input event (no `time`) would otherwise surface as `RangeError: Invalid time value` deep in the drawing. */
function checkReportEvent(event: ReportEvent, index: number): void {
  const time = (event as { time?: unknown } | null)?.time;
  if (typeof time === 'number' && Number.isFinite(time)) return;
  const isObject = typeof event === 'object' && event !== null;
  const which = isObject && typeof event.id === 'string' ? ` (id ${quoteId(event.id)})` : '';
  throw new UsageError(
    `renderReport: events[${index}]${which} has no time (epoch ms${time === undefined ? '' : `; got ${typeof time === 'number' ? String(time) : typeof time}`}): pass the stored events (await engine.store.readAll()) or validated ones (parseJsonl), not the input events given to record`,
    isObject ? { path: `events[${index}].time`, rule: time === undefined ? 'required' : 'invalid-type' } : { path: `events[${index}]`, rule: 'invalid-type' },
  );
}

/** A customer's policy summaries as its section shows them, or null when it has none to show. */
function shownSummary(summary: Readonly<Record<string, unknown>> | undefined): Readonly<Record<string, unknown>> | null {
  return summary === undefined || Object.keys(summary).length === 0 ? null : summary;
}

function section(journey: Journey, customer: number, anchor: string, summary: Readonly<Record<string, unknown>> | null, calendar: Calendar, asOf: number | undefined): string {
  const ids = journey.findings.map((_, i) => `${anchor}-finding-${i + 1}`);
  const entries = entryIds(journey, customer);
  const items = journey.findings
    .map((finding, i) =>
      el(
        'li',
        { id: ids[i], 'data-kind': finding.kind, 'data-severity': finding.severity },
        `<span class="sev">${esc(finding.severity)}</span> <time datetime="${escAttr(finding.detectedAt)}">${esc(calendar.format(Date.parse(finding.detectedAt)))}</time> · <code>${esc(finding.kind)}</code>${finding.matterId === null ? '' : ` · ${esc(finding.matterId)}`}<br>${esc(finding.message)}`,
      ),
    )
    .join('\n');
  const list = journey.findings.length === 0 ? '<p class="muted">No findings: nothing was forgotten.</p>' : `<ol class="findings">\n${items}\n</ol>`;
  // In the markup, so they show with scripts off. Indented by tabs (the style sheet shows a tab two
  // spaces wide): half the bytes of two spaces a level; quotes in text are written as they are.
  const summaries = summary === null ? '' : `<details><summary>Policy summaries</summary><pre>${esc(JSON.stringify(summary, null, '\t'))}</pre></details>`;
  return el(
    'section',
    { class: 'customer', id: anchor, 'aria-labelledby': `${anchor}-name`, 'data-customer': journey.customerId },
    `<header><h2 id="${anchor}-name">${esc(journey.customerId)}</h2><span class="muted">${plural(journey.events.length, 'event')} · ${plural(journey.findings.length, 'finding')} · <a href="#overview">overview</a></span></header>\n<div class="scroll">${renderTimeline(journey, calendar, asOf, ids, entries)}</div>\n${list}\n${renderEventList(journey, calendar, entries)}${summaries}`,
  );
}
