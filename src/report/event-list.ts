import type { Calendar } from '../time/calendar.js';
import { esc } from './html.js';
import type { Journey, MatterLane, MatterSegment, PromiseMark, ReportEvent } from './journey.js';
import { instant, str } from './journey.js';

/**
 * The events list under a timeline: every event of the customer, in time order, with its time in
 * the calendar's zone and what happened. It is the marks' text, written once: a mark is a link to
 * its entry (`href="#e7-3"`, customer 7's entry 3), so a click on it opens the folded list at the
 * entry with scripts off too, the keyboard and a screen reader reach what the picture shows (an
 * SVG <title> is reached by neither), and the page's tooltip shows the entry on hover.
 */

/**
 * Each event's entry id (`e<customer>-<n>`, n 1-based in time order): what its mark links to. Short,
 * as there is one per event and one per mark: `customer-7-event-3` would cost ~0.35 MB more in a
 * 20,000-event report.
 */
export function entryIds(journey: Journey, customer: number): Map<ReportEvent, string> {
  return new Map(journey.events.map((event, i) => [event, `e${customer}-${i + 1}`]));
}

/** The folded list, or nothing for a customer with no events (findings only). */
export function renderEventList(journey: Journey, calendar: Calendar, ids: ReadonlyMap<ReportEvent, string>): string {
  if (journey.events.length === 0) return '';
  const describe = describer(journey, calendar);
  const items = journey.events.map((event) => `<li id="${ids.get(event) ?? ''}">${esc(calendar.format(event.time))} · ${describe(event)}</li>`).join('');
  // A link to an entry opens the list (the browser unfolds a <details> holding the fragment's target).
  return `<details><summary>Events (${journey.events.length})</summary><ol class="events">${items}</ol></details>`;
}

const statusText: Record<string, string> = { kept: 'kept', late: 'kept late', broken: 'broken', cancelled: 'cancelled', open: 'open' };

/** What one event says (escaped HTML), given the journey it belongs to: a promise made says how it ended. */
function describer(journey: Journey, calendar: Calendar): (event: ReportEvent) => string {
  const matters = new Map<string, MatterLane>(journey.matters.map((m) => [m.matterId, m]));
  const segments = new Map<ReportEvent, MatterSegment>(journey.matters.flatMap((m) => m.segments.map((s) => [s.opened, s] as const)));
  const promises = new Map<string, PromiseMark>(journey.promises.map((p) => [p.promiseId, p]));
  const mistimed = new Set(journey.findings.filter((f) => f.kind === 'survey.mistimed').map((f) => str(f.details['surveyId']) ?? ''));
  const at = (time: number | undefined) => (time === undefined ? '' : calendar.format(time));
  return (event) => {
    const data = (event.data ?? {}) as Record<string, unknown>;
    const matter = () => `matter "${matters.get(str(data['matterId']) ?? '')?.title ?? str(data['matterId']) ?? ''}"`;
    const promiseId = str(data['promiseId']) ?? '';
    const promise = () => `promise "${promises.get(promiseId)?.what ?? promiseId}"`;
    const period = () => {
      const to = segments.get(event)?.to;
      return to === undefined ? 'still open' : `resolved ${at(to)}`;
    };
    switch (event.type) {
      case 'RelationshipStarted':
        return 'relationship started';
      case 'RelationshipEnded':
        return 'the customer left';
      case 'MatterOpened':
        return esc(`${matter()} opened, ${period()}`);
      case 'MatterReopened':
        return esc(`${matter()} reopened, ${period()}`);
      case 'MatterResolved':
        return esc(`${matter()} resolved`);
      case 'MatterStatusChanged':
        return esc(`${matter()} now ${str(data['status']) ?? ''}`);
      case 'ContactMade':
        return esc(contactText(data));
      case 'FixAttempted': {
        const who = str(data['party']);
        return esc(`fix attempt "${str(data['method']) ?? ''}": ${str(data['outcome']) ?? 'failed'}${who === undefined ? '' : ` (${who})`}`);
      }
      case 'CustomerTaskRequested':
        return esc(`asked the customer to: ${str(data['task']) ?? ''}${data['repeat'] === true ? ' (asked again)' : ''}`);
      case 'PromiseMade': {
        const made = promises.get(promiseId);
        if (made?.made !== event) return esc(`${promise()} made`);
        const who = made.party === undefined ? '' : ` (${made.party})`;
        const settled = made.settledAt === undefined ? '' : `; settled ${at(made.settledAt)}`;
        return esc(`${promise()}${who} made, due ${at(made.dueBy)}; ${statusText[made.status] ?? made.status}${settled}`);
      }
      case 'PromiseRevised': {
        const due = instant(data['dueBy']);
        return esc(`${promise()} revised${due === undefined ? '' : `, due ${at(due)}`}`);
      }
      case 'PromiseKept':
        return esc(`${promise()} kept`);
      case 'PromiseBroken':
        return esc(`${promise()} broken`);
      case 'PromiseCancelled':
        return esc(`${promise()} cancelled`);
      case 'SurveySent': {
        const id = str(data['surveyId']) ?? '';
        return esc(`survey "${id}" sent${mistimed.has(id) ? ' at the wrong moment' : ''}`);
      }
      case 'SurveyAnswered': {
        const score = data['score'];
        return esc(`survey "${str(data['surveyId']) ?? ''}" answered${typeof score === 'number' ? ` (score ${score})` : ''}`);
      }
      case 'FeedbackReceived': {
        const text = str(data['text']);
        return esc(`feedback "${str(data['feedbackId']) ?? ''}" received${text === undefined ? '' : `: ${text}`}`);
      }
      case 'FeedbackAnswered':
        return esc(`feedback "${str(data['feedbackId']) ?? ''}" answered`);
      default:
        // A plugin's own type: the report draws no mark for it, and says what type it is.
        return `<code>${esc(event.type)}</code>`;
    }
  };
}

function contactText(data: Record<string, unknown>): string {
  const inbound = str(data['direction']) === 'inbound';
  const who = str(data['party']);
  return `${inbound ? 'the customer contacted' : 'contacted the customer'} by ${str(data['channel']) ?? 'other'} (${str(data['purpose']) ?? ''})${who === undefined ? '' : ` · ${who}`}`;
}

