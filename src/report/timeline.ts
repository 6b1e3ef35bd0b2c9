import type { Calendar } from '../time/calendar.js';
import { contactMarks, feedbackMarks, fixMarks, matterMarks, promiseMarks, relationshipMarks, surveyMarks, taskMarks, type DrawContext } from './event-marks.js';
import { burdenLine, findingMarks, otherRowCount } from './finding-marks.js';
import { el, esc, round } from './html.js';
import { instant, str, type Journey, type ReportEvent } from './journey.js';
import { truncate } from '../policies/wording.js';
import { AXIS_HEIGHT, layout, PLOT_X0, PLOT_X1, WIDTH } from './layout.js';
import { ticks, timeScale } from './time-axis.js';

const DAY = 86_400_000;

/**
 * The timeline picture of one customer (SVG): an axis in local time, then a lane for the
 * relationship, one per matter, one for surveys and one for the burden level. `ids` are the
 * element ids of the findings' entries in the list under the picture, `entries` those of the events'.
 */
export function renderTimeline(journey: Journey, calendar: Calendar, asOf: number | undefined, ids: readonly string[], entries: ReadonlyMap<ReportEvent, string>): string {
  const scale = domain(journey, asOf);
  const now = asOf === undefined ? scale.end : Math.min(asOf, scale.end);
  const ctx: DrawContext = { journey, scale, layout: layout(journey, scale, otherRowCount(journey, scale)), calendar, now, entries };
  const { lanes, height } = ctx.layout;
  const mistimed = new Set(journey.findings.filter((f) => f.kind === 'survey.mistimed').map((f) => str(f.details['surveyId']) ?? ''));
  const findings = findingMarks(ctx, ids);

  // A grid line is a path, shorter than a <line> and drawn the same (one path for all of them
  // shades a few pixels differently); the style sheet centres the labels on their ticks.
  const grid = ticks(scale, calendar)
    .map((tick) => {
      const x = scale.x(tick.time);
      // A label centred on a tick near the right edge would be cut off ("Sep 2024" is ~46 wide): it ends at its tick instead.
      const atEdge = x + 26 > WIDTH;
      return el('path', { class: 'tick', d: `M${round(x)} ${AXIS_HEIGHT - 6}V${height - 6}` }) + el('text', { class: atEdge ? 'tick-label end' : 'tick-label', x, y: AXIS_HEIGHT - 10 }, esc(tick.label));
    })
    .join('');
  const laneRows = lanes
    .map(
      (lane, i) =>
        el('rect', { class: i % 2 === 1 ? 'lane odd' : 'lane', 'data-lane': lane.kind, y: lane.y, width: WIDTH, height: lane.height }) +
        (lane.kind === 'matter' || lane.kind === 'relationship' ? el('line', { class: 'baseline', x1: PLOT_X0, x2: PLOT_X1, y1: lane.line, y2: lane.line }) : ''),
    )
    .join('');
  // Cut by characters, a label can still be wider than its column (ALL CAPS, wide letters): the
  // labels sit in their own viewport, which clips them at the plot's edge; hovering shows them whole.
  const labelText = (cls: string, y: number, full: string, max: number) => el('text', { class: cls, x: 8, y }, `${full === truncate(full, max) ? '' : `<title>${esc(full)}</title>`}${esc(truncate(full, max))}`);
  const labels = el(
    'svg',
    { class: 'lane-labels', width: PLOT_X0 - 4, height },
    lanes.map((lane) => labelText('lane-label', lane.y + 17, lane.label, 24) + labelText('lane-sublabel', lane.y + 31, lane.sublabel, 28)).join(''),
  );
  const asOfLine =
    asOf === undefined || asOf > scale.end ? '' : el('line', { class: 'as-of', x1: scale.x(asOf), x2: scale.x(asOf), y1: AXIS_HEIGHT - 4, y2: height - 6 });

  const body = [
    laneRows,
    labels,
    grid,
    findings.background,
    // The event marks, links for the mouse only (event-marks.ts's linked): a screen reader reads their entries in the list.
    `<g aria-hidden="true">${relationshipMarks(ctx)}${matterMarks(ctx)}${promiseMarks(ctx)}${taskMarks(ctx)}${fixMarks(ctx)}${contactMarks(ctx)}${feedbackMarks(ctx)}${surveyMarks(ctx, mistimed)}</g>`,
    burdenLine(ctx),
    asOfLine,
    findings.foreground,
  ].join('');
  return el(
    'svg',
    // Named by aria-label only: a <title> said the same again, and showed it on hovering empty space.
    { class: 'timeline', viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': `Timeline of ${journey.customerId}`, 'data-customer': journey.customerId },
    body,
  );
}

/**
 * The time span shown: the journey's events and every instant its findings mention, padded a
 * little. A relationship that started long before anything else happened is not drawn to scale
 * (it would squash the journey); its lane says "customer since" instead. The as-of instant is
 * drawn only when it falls inside that span.
 */
function domain(journey: Journey, asOf: number | undefined) {
  const times: number[] = [];
  for (const event of journey.events) if (event.type !== 'RelationshipStarted') times.push(event.time);
  for (const promise of journey.promises) times.push(promise.dueBy);
  for (const finding of journey.findings) {
    times.push(Date.parse(finding.detectedAt));
    for (const key of ['since', 'until', 'opensAt', 'closesAt', 'keptAt', 'dueBy', 'endedAt', 'receivedAt']) {
      const t = instant(finding.details[key]);
      if (t !== undefined) times.push(t);
    }
  }
  // The clock matters only while something is still running; otherwise a journey that ended
  // years before the report's as-of instant would be squashed to the left.
  const ongoing =
    journey.matters.some((m) => m.segments.at(-1)?.to === undefined) ||
    journey.promises.some((p) => p.status === 'open') ||
    journey.findings.some((f) => f.kind === 'inattention.gap' && f.details['until'] === null);
  if (asOf !== undefined && (ongoing || times.length === 0)) times.push(asOf);
  let start = Infinity;
  let end = -Infinity;
  for (const t of times) {
    if (t < start) start = t;
    if (t > end) end = t;
  }
  const started = journey.startedAt;
  if (started !== undefined && (times.length === 0 || start - started < 30 * DAY)) {
    start = Math.min(start, started);
    end = Math.max(end, started);
  }
  if (start === Infinity) start = end = 0;
  const pad = Math.max((end - start) * 0.02, 3_600_000);
  return timeScale(start - pad, end + pad, PLOT_X0, PLOT_X1);
}
