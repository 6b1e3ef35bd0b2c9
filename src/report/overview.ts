import type { Finding } from '../engine/finding.js';
import { findingSeverities } from '../engine/finding.js';
import type { Calendar } from '../time/calendar.js';
import { toIso } from '../time/instant.js';
import { spanText, workingText } from '../policies/wording.js';
import { el, esc } from './html.js';
import type { Journey } from './journey.js';

/**
 * The overview table: one row per customer, each cell with a `data-sort` value so the inline
 * script can sort any column, the customer's name linking to its timeline.
 */
export function renderOverview(journeys: readonly Journey[], anchors: readonly string[], calendar: Calendar): string {
  const head = columns.map((c, i) => el('th', { scope: 'col', 'data-type': c.type, 'aria-sort': i === 0 ? 'ascending' : 'none' }, el('button', { type: 'button' }, esc(c.title)))).join('');
  const rows = journeys
    .map((journey, i) => {
      const cells = columns.map((c) => {
        const { text, sort } = c.value(journey, calendar);
        const content = c.title === 'Customer' ? el('a', { href: `#${anchors[i] ?? ''}` }, esc(text)) : esc(text);
        return el('td', { 'data-sort': sort }, content);
      });
      return el('tr', { 'data-customer': journey.customerId, 'data-worst': worst(journey.findings) ?? 'none' }, cells.join(''));
    })
    .join('\n');
  return el('table', { class: 'overview', id: 'overview' }, `<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>`);
}

interface Column {
  readonly title: string;
  readonly type: 'text' | 'number';
  value(journey: Journey, calendar: Calendar): { text: string; sort: string | number };
}

const count = (journey: Journey, kind: string) => journey.findings.filter((f) => f.kind === kind).length;
const num = (n: number) => ({ text: n === 0 ? '–' : String(n), sort: n });

const columns: readonly Column[] = [
  { title: 'Customer', type: 'text', value: (j) => ({ text: j.customerId, sort: j.customerId }) },
  { title: 'Events', type: 'number', value: (j) => ({ text: String(j.events.length), sort: j.events.length }) },
  {
    title: 'Matters',
    type: 'number',
    value: (j) => {
      const open = j.matters.filter((m) => m.segments.at(-1)?.to === undefined).length;
      return { text: `${j.matters.length}${open > 0 ? ` (${open} open)` : ''}`, sort: j.matters.length };
    },
  },
  { title: 'Findings', type: 'number', value: (j) => num(j.findings.length) },
  {
    title: 'Worst',
    type: 'number',
    value: (j) => {
      const w = worst(j.findings);
      return { text: w ?? '–', sort: w === undefined ? -1 : findingSeverities.indexOf(w) };
    },
  },
  { title: 'Gaps', type: 'number', value: (j) => num(count(j, 'inattention.gap')) },
  {
    title: 'Longest silence',
    type: 'number',
    value: (j) => {
      let minutes = 0;
      let clock: unknown;
      for (const f of j.findings) {
        const silence = f.kind === 'inattention.gap' ? Number(f.details['silenceMinutes']) || 0 : 0;
        if (silence > minutes) [minutes, clock] = [silence, f.details['clock']];
      }
      // On the gap's own clock, worded as its message words it, so the table and the messages
      // agree: working time on the business clock ("18 working hours"; its minutes are working
      // minutes, which as a calendar span would read "9 weeks 2 days"), wall-clock time otherwise.
      const ms = minutes * 60_000;
      return { text: minutes === 0 ? '–' : clock === 'business' ? workingText(ms) : spanText(ms), sort: minutes };
    },
  },
  { title: 'Promises broken', type: 'number', value: (j) => num(count(j, 'promise.broken')) },
  {
    title: 'Burden',
    type: 'number',
    // The highest level reached: a customer escalated to level 2 ranks above one who reached
    // level 1 three times (its score fell back out of the window and rose again).
    value: (j) => {
      const levels = j.findings.filter((f) => f.kind === 'burden.escalated').map((f) => Number(f.details['level'])).filter(Number.isFinite);
      const highest = levels.length === 0 ? 0 : Math.max(...levels);
      return { text: highest === 0 ? '–' : `level ${highest}`, sort: highest };
    },
  },
  { title: 'Surveys mistimed', type: 'number', value: (j) => num(count(j, 'survey.mistimed')) },
  {
    title: 'Last event',
    type: 'text',
    value: (j, calendar) => {
      const last = j.events.at(-1);
      return last === undefined ? { text: '–', sort: '' } : { text: calendar.formatDate(last.time), sort: toIso(last.time) };
    },
  },
];

function worst(findings: readonly Finding[]): Finding['severity'] | undefined {
  let best = -1;
  for (const f of findings) best = Math.max(best, findingSeverities.indexOf(f.severity));
  return best < 0 ? undefined : findingSeverities[best];
}
