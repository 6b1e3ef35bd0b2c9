import { compareStrings, type Finding } from '../engine/finding.js';
import type { DrawContext } from './event-marks.js';
import { el, esc, num, round } from './html.js';
import { instant, str } from './journey.js';
import type { Lane } from './layout.js';
import { OTHER_ROW } from './layout.js';
import { around, rowsOf, stack, type Box } from './stack.js';
import type { TimeScale } from './time-axis.js';

/**
 * One mark per finding, placed from the contract's kind and details (CONTRACT.md §2). Each mark
 * links to the finding's message in the list under the picture (its id in `href` and
 * `aria-labelledby`) and carries `data-kind`, so
 * anyone (and the browser test) can find the marks of a kind. Kinds the report does not know
 * (plugins) go to the "Other findings" lane. A mark that would cover another is moved up or down
 * clear of it (stack.ts).
 */

export interface FindingLayers {
  /** Shaded spans drawn under everything else: gaps, survey windows. */
  readonly background: string;
  readonly foreground: string;
}

/** Kinds with a dedicated place in the picture; the rest need the "Other findings" lane. */
export function placeable(finding: Finding, ctx: Pick<DrawContext, 'journey'>): boolean {
  switch (finding.kind) {
    case 'promise.broken':
    case 'promise.kept-late':
    case 'promise.at-risk':
      return ctx.journey.promises.some((p) => p.promiseId === str(finding.details['promiseId']));
    case 'survey.mistimed':
      return ctx.journey.surveys.some((s) => s.surveyId === str(finding.details['surveyId']));
    case 'inattention.gap':
    case 'burden.escalated':
    case 'burden.repeated-remedy':
    case 'survey.due':
    case 'survey.too-late':
    case 'feedback.unanswered':
      return true;
    default:
      return false;
  }
}

/** Half the width a diamond in the "Other findings" lane takes, edges included: nearer than twice this, two go to two rows. */
const DIAMOND = 5;

/** The row of each finding the "Other findings" lane shows (findings at one instant take a row each). */
function otherRows(journey: DrawContext['journey'], scale: TimeScale): Map<Finding, number> {
  const others = journey.findings.filter((f) => !placeable(f, { journey }));
  const rows = rowsOf(others.map((f) => scale.x(Date.parse(f.detectedAt))), 2 * around(0, 0, DIAMOND).x2);
  return new Map(others.map((f, i) => [f, rows[i] ?? 0]));
}

/** How many rows the "Other findings" lane needs (0: no such lane). */
export function otherRowCount(journey: DrawContext['journey'], scale: TimeScale): number {
  return Math.max(0, ...[...otherRows(journey, scale).values()].map((row) => row + 1));
}

export function findingMarks(ctx: DrawContext, ids: readonly string[]): FindingLayers {
  const rows = otherRows(ctx.journey, ctx.scale);
  const marks = ctx.journey.findings.map((finding) => place(finding, ctx, rows.get(finding) ?? 0));
  // Each mark clear of those placed before it; a line first (a kept-late line goes on from its
  // promise's bar, so it keeps its row), then the rest in the findings' order.
  const order = marks.filter((mark) => mark.box !== undefined).sort((a, b) => Number(a.line !== true) - Number(b.line !== true));
  const dys = stack(order.map((mark) => mark.box as Box));
  const offsets = new Map<Placed, number>();
  order.forEach((mark, i) => {
    const dy = dys[i] ?? 0;
    if (dy !== 0) offsets.set(mark, dy);
  });
  const background: string[] = [];
  const foreground: string[] = [];
  ctx.journey.findings.forEach((finding, i) => {
    const id = ids[i] ?? '';
    const mark = marks[i] as Placed;
    const dy = offsets.get(mark);
    // The message is written once, in the list: the mark links to it and is named by it (for a
    // screen reader, scripts or not), and the page's script shows it in a tooltip on hover and focus.
    const a = el(
      'a',
      { href: `#${id}`, class: 'finding', 'aria-labelledby': id, 'data-kind': finding.kind, 'data-severity': finding.severity, ...mark.extra, transform: dy === undefined ? undefined : `translate(0 ${round(dy)})` },
      mark.shape,
    );
    (mark.layer === 'background' ? background : foreground).push(a);
  });
  return { background: background.join(''), foreground: foreground.join('') };
}

interface Placed {
  readonly layer: 'background' | 'foreground';
  readonly shape: string;
  readonly extra?: Record<string, string | number>;
  /** Where a foreground mark is drawn, edges included: no other finding's mark may cover it. */
  readonly box?: Box;
  /** A line along its row (kept late): placed first, the others clear of it. */
  readonly line?: boolean;
}

function place(finding: Finding, ctx: DrawContext, otherRow: number): Placed {
  const { scale, layout, journey } = ctx;
  const details = finding.details;
  const at = Date.parse(finding.detectedAt);
  const x = scale.x(at);
  const promise = journey.promises.find((p) => p.promiseId === str(details['promiseId']));
  switch (placeable(finding, ctx) ? finding.kind : 'other') {
    case 'inattention.gap': {
      const lane = layout.laneOf(finding.matterId);
      const from = scale.x(instant(details['since']) ?? at);
      const to = scale.x(instant(details['until']) ?? ctx.now);
      return { layer: 'background', shape: el('rect', { class: 'gap', x: from, y: lane.y + 2, width: Math.max(2, to - from), height: lane.height - 4 }) };
    }
    case 'promise.broken': {
      const y = promise === undefined ? 0 : layout.promiseY(promise);
      return { layer: 'foreground', shape: cross(x, y, 5), box: around(x, y, 5) };
    }
    case 'promise.at-risk': {
      const y = promise === undefined ? 0 : layout.promiseY(promise) - 8;
      return { layer: 'foreground', shape: triangle(x, y, 4, 'down'), box: around(x, y, 4) };
    }
    case 'promise.kept-late': {
      const y = promise === undefined ? 0 : layout.promiseY(promise);
      const due = scale.x(instant(details['dueBy']) ?? promise?.dueBy ?? at);
      const kept = Math.max(scale.x(instant(details['keptAt']) ?? promise?.settledAt ?? at), due + 2);
      return { layer: 'foreground', shape: el('line', { class: 'late', x1: due, x2: kept, y1: y, y2: y }), box: around((due + kept) / 2, y, (kept - due) / 2, 1), line: true };
    }
    case 'burden.escalated': {
      const lane = layout.lane('burden') as Lane;
      const y = burdenY(lane, details['level'], ctx);
      return { layer: 'foreground', shape: el('circle', { cx: x, cy: y, r: 4.5 }), extra: { 'data-level': String(details['level'] ?? '') }, box: around(x, y, 4.5) };
    }
    case 'burden.repeated-remedy': {
      // Around the fix attempt repeated (the last one at that instant in that lane), where its mark is.
      const lane = layout.laneOf(finding.matterId);
      const fix = journey.fixes.findLast((f) => f.time === at && layout.laneOf(f.matterId) === lane);
      const y = lane.line + (fix === undefined ? 0 : layout.offsetOf(fix.event));
      return { layer: 'foreground', shape: el('circle', { class: 'ring', cx: x, cy: y, r: 8 }), box: around(x, y, 8) };
    }
    case 'survey.due': {
      const lane = layout.lane('surveys') as Lane;
      const from = scale.x(instant(details['opensAt']) ?? at);
      const to = scale.x(instant(details['closesAt']) ?? scale.end);
      return { layer: 'background', shape: el('rect', { class: 'window', x: from, y: lane.y + 3, width: Math.max(2, to - from), height: lane.height - 6 }) };
    }
    case 'survey.mistimed': {
      const lane = layout.lane('surveys') as Lane;
      const survey = journey.surveys.find((s) => s.surveyId === str(details['surveyId']));
      const [cx, cy] = [scale.x(survey?.time ?? at), lane.line + (survey === undefined ? 0 : layout.offsetOf(survey.event))];
      return { layer: 'foreground', shape: el('circle', { class: 'ring', cx, cy, r: 9 }), box: around(cx, cy, 9) };
    }
    case 'survey.too-late': {
      const lane = layout.lane('surveys') as Lane;
      const y = lane.line;
      return { layer: 'foreground', shape: triangle(x, y, 6, 'down'), box: around(x, y, 6) };
    }
    case 'feedback.unanswered': {
      const lane = layout.laneOf(finding.matterId);
      return { layer: 'foreground', shape: diamond(x, lane.line, 5), box: around(x, lane.line, 5) };
    }
    default: {
      // The lane's first row where a lane of one row has its middle; findings at one instant a row each, below.
      const lane = layout.lane('other') ?? layout.laneOf(null);
      const y = lane.y + 17 + otherRow * OTHER_ROW;
      return { layer: 'foreground', shape: diamond(x, y, DIAMOND), box: around(x, y, DIAMOND) };
    }
  }
}

/** The burden level as a step line: 0 at the start, each escalation a step up to its level. */
export function burdenLine(ctx: DrawContext): string {
  const lane = ctx.layout.lane('burden');
  if (lane === undefined) return '';
  const steps = ctx.journey.findings.filter((f) => f.kind === 'burden.escalated').sort((a, b) => Date.parse(a.detectedAt) - Date.parse(b.detectedAt));
  let y = burdenY(lane, undefined, ctx);
  let d = `M${num(ctx.scale.x(ctx.scale.start))} ${round(y)}`;
  for (const step of steps) {
    const x = num(ctx.scale.x(Date.parse(step.detectedAt)));
    y = burdenY(lane, step.details['level'], ctx);
    d += ` H${x} V${round(y)}`;
  }
  d += ` H${num(ctx.scale.x(ctx.scale.end))}`;
  const last = steps.at(-1);
  const label = last === undefined ? 'no escalation' : `level ${String(last.details['level'] ?? '')}`;
  return el('path', { class: 'burden', 'data-mark': 'burden-level', d }) + el('text', { class: 'burden-label', x: ctx.scale.x(ctx.scale.end) - 4, y: y - 4, }, esc(label));
}

/** Levels are drawn by rank among the levels this customer reached: any numbering works. */
function burdenY(lane: Lane, level: unknown, ctx: DrawContext): number {
  const levels = [...new Set(ctx.journey.findings.filter((f) => f.kind === 'burden.escalated').map((f) => String(f.details['level'] ?? '')))].sort(
    (a, b) => Number(a) - Number(b) || compareStrings(a, b),
  );
  const bottom = lane.y + lane.height - 8;
  if (level === undefined || levels.length === 0) return bottom;
  const rank = levels.indexOf(String(level)) + 1;
  return bottom - (rank / levels.length) * (lane.height - 18);
}

function cross(x: number, y: number, r: number): string {
  return el('path', { class: 'cross', d: `M${num(x - r)} ${num(y - r)} L${num(x + r)} ${num(y + r)} M${num(x - r)} ${num(y + r)} L${num(x + r)} ${num(y - r)}` });
}

function triangle(x: number, y: number, r: number, way: 'up' | 'down'): string {
  const s = way === 'down' ? 1 : -1;
  return el('path', { class: 'flag', d: `M${num(x - r)} ${num(y - s * r)} L${num(x + r)} ${num(y - s * r)} L${num(x)} ${num(y + s * r)} Z` });
}

function diamond(x: number, y: number, r: number): string {
  return el('path', { class: 'diamond', d: `M${num(x)} ${num(y - r)} L${num(x + r)} ${num(y)} L${num(x)} ${num(y + r)} L${num(x - r)} ${num(y)} Z` });
}
