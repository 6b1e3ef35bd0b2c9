import { compareStrings, type Finding } from '../engine/finding.js';
import type { DrawContext } from './event-marks.js';
import { el, esc, num, round } from './html.js';
import { instant, str } from './journey.js';
import type { Lane } from './layout.js';

/**
 * One mark per finding, placed from the contract's kind and details (CONTRACT.md §2). Each mark
 * links to the finding's message in the list under the picture (its id in `href` and
 * `aria-labelledby`) and carries `data-kind`, so
 * anyone (and the browser test) can find the marks of a kind. Kinds the report does not know
 * (plugins) go to the "Other findings" lane.
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

export function findingMarks(ctx: DrawContext, ids: readonly string[]): FindingLayers {
  const background: string[] = [];
  const foreground: string[] = [];
  ctx.journey.findings.forEach((finding, i) => {
    const id = ids[i] ?? '';
    // The message is written once, in the list: the mark links to it and is named by it (for a
    // screen reader, scripts or not), and the page's script shows it in a tooltip on hover and focus.
    const wrap = (shape: string, extra: Record<string, string | number> = {}) =>
      el('a', { href: `#${id}`, class: 'finding', 'aria-labelledby': id, 'data-kind': finding.kind, 'data-severity': finding.severity, ...extra }, shape);
    const mark = place(finding, ctx);
    if (mark.layer === 'background') background.push(wrap(mark.shape, mark.extra ?? {}));
    else foreground.push(wrap(mark.shape, mark.extra ?? {}));
  });
  return { background: background.join(''), foreground: foreground.join('') };
}

interface Placed {
  readonly layer: 'background' | 'foreground';
  readonly shape: string;
  readonly extra?: Record<string, string | number>;
}

function place(finding: Finding, ctx: DrawContext): Placed {
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
    case 'promise.broken':
      return { layer: 'foreground', shape: cross(x, promise === undefined ? 0 : layout.promiseY(promise), 5) };
    case 'promise.at-risk':
      return { layer: 'foreground', shape: triangle(x, promise === undefined ? 0 : layout.promiseY(promise) - 8, 4, 'down') };
    case 'promise.kept-late': {
      const y = promise === undefined ? 0 : layout.promiseY(promise);
      const due = scale.x(instant(details['dueBy']) ?? promise?.dueBy ?? at);
      const kept = scale.x(instant(details['keptAt']) ?? promise?.settledAt ?? at);
      return { layer: 'foreground', shape: el('line', { class: 'late', x1: due, x2: Math.max(kept, due + 2), y1: y, y2: y }) };
    }
    case 'burden.escalated': {
      const lane = layout.lane('burden') as Lane;
      return { layer: 'foreground', shape: el('circle', { cx: x, cy: burdenY(lane, details['level'], ctx), r: 4.5 }), extra: { 'data-level': String(details['level'] ?? '') } };
    }
    case 'burden.repeated-remedy': {
      const lane = layout.laneOf(finding.matterId);
      return { layer: 'foreground', shape: el('circle', { class: 'ring', cx: x, cy: lane.line, r: 8 }) };
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
      return { layer: 'foreground', shape: el('circle', { class: 'ring', cx: scale.x(survey?.time ?? at), cy: lane.y + lane.height / 2, r: 9 }) };
    }
    case 'survey.too-late': {
      const lane = layout.lane('surveys') as Lane;
      return { layer: 'foreground', shape: triangle(x, lane.y + lane.height / 2, 6, 'down') };
    }
    case 'feedback.unanswered': {
      const lane = layout.laneOf(finding.matterId);
      return { layer: 'foreground', shape: diamond(x, lane.line, 5) };
    }
    default: {
      const lane = layout.lane('other') ?? layout.laneOf(null);
      return { layer: 'foreground', shape: diamond(x, lane.y + lane.height / 2, 5) };
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
