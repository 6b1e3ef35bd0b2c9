import type { Calendar } from '../time/calendar.js';
import { el, esc, num } from './html.js';
import type { Journey, PointMark, PromiseMark, ReportEvent } from './journey.js';
import { str } from './journey.js';
import type { Layout } from './layout.js';
import type { TimeScale } from './time-axis.js';

/**
 * Marks drawn from events: matters, contacts, fixes, tasks, promises, surveys, feedback. A mark
 * says what it is through its event's entry in the list under the picture (event-list.ts): it is a
 * link to that entry, not a <title> copy of its text.
 */

export interface DrawContext {
  readonly journey: Journey;
  readonly scale: TimeScale;
  readonly layout: Layout;
  readonly calendar: Calendar;
  /** The as-of instant (or the end of the picture): what is still open is drawn up to it, not into the future. */
  readonly now: number;
  /** Each event's entry id in the events list. */
  readonly entries: ReadonlyMap<ReportEvent, string>;
}

/**
 * A mark as a link to its event's entry: a click shows the entry, scripts or not. Out of the Tab
 * order (tabindex -1): the keyboard reads the same entries in the list, one stop after the picture,
 * rather than a stop per mark; the picture's group of event marks is hidden from screen readers,
 * which read that list too.
 */
export function linked(id: string | undefined, shape: string): string {
  return id === undefined ? shape : `<a href="#${id}" tabindex="-1">${shape}</a>`;
}
const notAttentive = new Set(['marketing', 'automated', 'survey']);

export function matterMarks({ journey, scale, layout, now, entries }: DrawContext): string {
  const out: string[] = [];
  for (const matter of journey.matters) {
    const lane = layout.laneOf(matter.matterId);
    for (const segment of matter.segments) {
      const open = segment.to === undefined;
      const x1 = scale.x(segment.from);
      const x2 = scale.x(segment.to ?? now);
      out.push(
        linked(entries.get(segment.opened), el('rect', { class: `matter${open ? ' open' : ''}`, 'data-mark': 'matter', 'data-matter-id': matter.matterId, x: x1, y: lane.line - 2, width: Math.max(2, x2 - x1), height: 4 })),
      );
      if (segment.resolved !== undefined) {
        out.push(linked(entries.get(segment.resolved), el('circle', { class: 'resolved', 'data-mark': 'matter-resolved', cx: x2, cy: lane.line + layout.offsetOf(segment.resolved), r: 3.5 })));
      }
    }
  }
  return out.join('');
}

export function relationshipMarks({ journey, scale, layout, calendar, entries }: DrawContext): string {
  const lane = layout.laneOf(null);
  const from = scale.x(Math.max(journey.startedAt ?? scale.start, scale.start));
  const to = scale.x(journey.endedAt ?? scale.end);
  const out = [el('line', { class: 'relationship', x1: from, x2: to, y1: lane.line, y2: lane.line })];
  if (journey.startedAt !== undefined && journey.startedAt < scale.start) {
    out.push(el('text', { class: 'since', x: 8, y: lane.y + 43 }, esc(`since ${calendar.formatDate(journey.startedAt)}`)));
  } else if (journey.startedAt !== undefined) {
    const started = journey.events.find((e) => e.type === 'RelationshipStarted');
    const cy = lane.line + (started === undefined ? 0 : layout.offsetOf(started));
    out.push(linked(started && entries.get(started), el('circle', { class: 'started', 'data-mark': 'relationship-started', cx: from, cy, r: 3.5 })));
  }
  if (journey.endedAt !== undefined) {
    const ended = journey.events.findLast((e) => e.type === 'RelationshipEnded');
    out.push(linked(ended && entries.get(ended), el('rect', { class: 'ended', 'data-mark': 'relationship-ended', x: to - 1.5, y: lane.y + 4, width: 3, height: lane.height - 8 })));
  }
  return out.join('');
}

export function contactMarks({ journey, scale, layout, entries }: DrawContext): string {
  return journey.contacts
    .map((mark) => {
      const data = mark.event.data as Record<string, unknown>;
      const direction = str(data['direction']) === 'inbound' ? 'inbound' : 'outbound';
      const purpose = str(data['purpose']) ?? '';
      const attentive = direction === 'outbound' && !notAttentive.has(purpose);
      const lane = layout.laneOf(mark.matterId);
      return linked(
        entries.get(mark.event),
        el('circle', {
          class: `contact ${direction}${attentive ? '' : direction === 'outbound' ? ' inattentive' : ''}`,
          'data-mark': 'contact',
          'data-direction': direction,
          'data-purpose': purpose,
          cx: scale.x(mark.time),
          cy: (direction === 'outbound' ? lane.line - 10 : lane.line + 10) + layout.offsetOf(mark.event),
          r: 4,
        }),
      );
    })
    .join('');
}

export function fixMarks({ journey, scale, layout, entries }: DrawContext): string {
  return journey.fixes
    .map((mark) => {
      const data = mark.event.data as Record<string, unknown>;
      const outcome = str(data['outcome']) ?? 'failed';
      const lane = layout.laneOf(mark.matterId);
      const x = scale.x(mark.time);
      const y = lane.line + layout.offsetOf(mark.event);
      return linked(
        entries.get(mark.event),
        el('rect', {
          class: `fix outcome-${outcome}`,
          'data-mark': 'fix',
          'data-outcome': outcome,
          x: x - 5,
          y: y - 5,
          width: 10,
          height: 10,
          transform: `rotate(45 ${num(x)} ${num(y)})`,
        }),
      );
    })
    .join('');
}

export function taskMarks({ journey, scale, layout, entries }: DrawContext): string {
  return journey.tasks
    .map((mark) => {
      const data = mark.event.data as Record<string, unknown>;
      const lane = layout.laneOf(mark.matterId);
      const x = scale.x(mark.time);
      const y = lane.line + 22 + layout.offsetOf(mark.event);
      const repeat = data['repeat'] === true;
      return linked(
        entries.get(mark.event),
        el('path', {
          class: `task${repeat ? ' repeat' : ''}`,
          'data-mark': 'task',
          'data-repeat': repeat ? 'true' : 'false',
          d: `M${num(x - 4)} ${num(y + 3)} L${num(x)} ${num(y - 4)} L${num(x + 4)} ${num(y + 3)} Z`,
        }),
      );
    })
    .join('');
}

export function promiseMarks({ journey, scale, layout, entries }: DrawContext): string {
  return journey.promises.map((promise) => promiseBar(promise, scale, layout.promiseY(promise), entries.get(promise.made))).join('');
}

function promiseBar(promise: PromiseMark, scale: TimeScale, y: number, entry: string | undefined): string {
  const x1 = scale.x(promise.madeAt);
  const x2 = Math.max(scale.x(promise.dueBy), x1 + 2);
  const body =
    el('rect', { x: x1, y: y - 3, width: x2 - x1, height: 6, rx: 2 }) +
    (promise.settledAt === undefined ? '' : el('line', { class: 'settled', x1: scale.x(promise.settledAt), x2: scale.x(promise.settledAt), y1: y - 5, y2: y + 5 }));
  const mark = { class: `promise status-${promise.status}`, 'data-mark': 'promise', 'data-status': promise.status, 'data-promise-id': promise.promiseId };
  // The link is the group itself: a <g> inside it would cost 7 bytes a promise for nothing.
  return entry === undefined ? el('g', mark, body) : el('a', { href: `#${entry}`, tabindex: '-1', ...mark }, body);
}

export function surveyMarks({ journey, scale, layout, entries }: DrawContext, mistimed: ReadonlySet<string>): string {
  const lane = layout.lane('surveys');
  if (lane === undefined) return '';
  return journey.surveys
    .map((mark) => {
      const x = scale.x(mark.time);
      const y = lane.line + layout.offsetOf(mark.event);
      const bad = mistimed.has(mark.surveyId);
      return linked(
        entries.get(mark.event),
        el('rect', {
          class: `survey${bad ? ' mistimed' : ''}`,
          'data-mark': 'survey',
          'data-survey-id': mark.surveyId,
          'data-mistimed': bad ? 'true' : 'false',
          x: x - 5,
          y: y - 4,
          width: 10,
          height: 8,
        }),
      );
    })
    .join('');
}

export function feedbackMarks({ journey, scale, layout, entries }: DrawContext): string {
  return journey.feedback
    .map((mark: PointMark) => {
      const lane = layout.laneOf(mark.matterId);
      return linked(entries.get(mark.event), el('circle', { class: 'feedback', 'data-mark': 'feedback', cx: scale.x(mark.time), cy: lane.line + layout.offsetOf(mark.event), r: 3 }));
    })
    .join('');
}
