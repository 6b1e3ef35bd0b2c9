import type { Finding } from '../engine/finding.js';
import { parseDateTime } from '../time/instant.js';

/**
 * What the timeline draws for one customer, derived from the events and the contract's finding
 * kinds and details only (never from policy summaries or state), so any set of policies renders.
 */

/** The event fields the report reads: a validated or stored event. */
export interface ReportEvent {
  readonly id?: string;
  readonly customerId: string;
  readonly type: string;
  readonly at: string;
  readonly time: number;
  readonly data: unknown;
}

export type PromiseStatus = 'kept' | 'late' | 'broken' | 'cancelled' | 'open';

export interface PromiseMark {
  readonly promiseId: string;
  readonly what: string;
  readonly matterId: string | null;
  readonly party: string | undefined;
  /** The PromiseMade event: the bar's entry in the events list. */
  readonly made: ReportEvent;
  readonly madeAt: number;
  dueBy: number;
  settledAt: number | undefined;
  status: PromiseStatus;
}

export interface MatterLane {
  readonly matterId: string;
  readonly title: string | undefined;
  readonly severity: string;
  /** Open periods: opened (or reopened) to resolved, `to` undefined while open; with the events that began and ended each. */
  readonly segments: MatterSegment[];
}

export interface MatterSegment {
  readonly from: number;
  to: number | undefined;
  readonly opened: ReportEvent;
  resolved: ReportEvent | undefined;
}

export interface PointMark {
  readonly time: number;
  readonly matterId: string | null;
  readonly event: ReportEvent;
}

export interface Journey {
  readonly customerId: string;
  readonly events: readonly ReportEvent[];
  readonly findings: readonly Finding[];
  readonly startedAt: number | undefined;
  readonly endedAt: number | undefined;
  readonly matters: MatterLane[];
  readonly promises: PromiseMark[];
  readonly contacts: PointMark[];
  readonly fixes: PointMark[];
  readonly tasks: PointMark[];
  readonly surveys: (PointMark & { readonly surveyId: string })[];
  readonly feedback: PointMark[];
}

/** Build the journey of one customer from its events (any order) and its findings. */
export function buildJourney(customerId: string, unsorted: readonly ReportEvent[], findings: readonly Finding[]): Journey {
  const events = [...unsorted].sort((a, b) => a.time - b.time);
  const journey: Journey = {
    customerId,
    events,
    findings,
    startedAt: undefined,
    endedAt: undefined,
    matters: [],
    promises: [],
    contacts: [],
    fixes: [],
    tasks: [],
    surveys: [],
    feedback: [],
  };
  const matters = new Map<string, MatterLane>();
  const promises = new Map<string, PromiseMark>();
  let startedAt: number | undefined;
  let endedAt: number | undefined;
  for (const event of events) {
    const data = (event.data ?? {}) as Record<string, unknown>;
    const matterId = str(data['matterId']) ?? null;
    const point = { time: event.time, matterId, event };
    switch (event.type) {
      case 'RelationshipStarted':
        startedAt ??= event.time;
        break;
      case 'RelationshipEnded':
        endedAt = event.time;
        break;
      case 'MatterOpened': {
        const lane: MatterLane = { matterId: matterId ?? '', title: str(data['title']), severity: str(data['severity']) ?? 'normal', segments: [{ from: event.time, to: undefined, opened: event, resolved: undefined }] };
        matters.set(lane.matterId, lane);
        journey.matters.push(lane);
        break;
      }
      case 'MatterReopened':
        matters.get(matterId ?? '')?.segments.push({ from: event.time, to: undefined, opened: event, resolved: undefined });
        break;
      case 'MatterResolved': {
        const last = matters.get(matterId ?? '')?.segments.at(-1);
        if (last !== undefined && last.to === undefined) {
          last.to = event.time;
          last.resolved = event;
        }
        break;
      }
      case 'ContactMade':
        journey.contacts.push(point);
        break;
      case 'FixAttempted':
        journey.fixes.push(point);
        break;
      case 'CustomerTaskRequested':
        journey.tasks.push(point);
        break;
      case 'SurveySent':
        journey.surveys.push({ ...point, surveyId: str(data['surveyId']) ?? '' });
        break;
      case 'FeedbackReceived':
        journey.feedback.push(point);
        break;
      case 'PromiseMade': {
        const promise: PromiseMark = {
          promiseId: str(data['promiseId']) ?? '',
          what: str(data['what']) ?? '',
          matterId,
          party: str(data['party']),
          made: event,
          madeAt: event.time,
          dueBy: instant(data['dueBy']) ?? event.time,
          settledAt: undefined,
          status: 'open',
        };
        promises.set(promise.promiseId, promise);
        journey.promises.push(promise);
        break;
      }
      default:
        settlePromise(promises.get(str(data['promiseId']) ?? ''), event, data);
    }
  }
  // Findings decide late and broken: they know the grace period, the events alone do not.
  for (const finding of findings) {
    const promise = promises.get(str(finding.details['promiseId']) ?? '');
    if (promise === undefined) continue;
    if (finding.kind === 'promise.kept-late') promise.status = 'late';
    else if (finding.kind === 'promise.broken' && promise.status !== 'late') promise.status = 'broken';
  }
  return { ...journey, startedAt, endedAt };
}

function settlePromise(promise: PromiseMark | undefined, event: ReportEvent, data: Record<string, unknown>): void {
  if (promise === undefined) return;
  switch (event.type) {
    case 'PromiseRevised': {
      // Revised before it fell due, the due time moves; revised after, it stays missed (CONTRACT §2).
      const due = instant(data['dueBy']);
      if (due !== undefined && event.time < promise.dueBy) promise.dueBy = due;
      break;
    }
    case 'PromiseKept':
      promise.settledAt = event.time;
      if (promise.status === 'open') promise.status = 'kept';
      break;
    case 'PromiseBroken':
      promise.settledAt = event.time;
      promise.status = 'broken';
      break;
    case 'PromiseCancelled':
      promise.settledAt = event.time;
      promise.status = 'cancelled';
      break;
    default:
      break;
  }
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * An ISO-8601 instant from finding details or event data (always a full date-time there), read
 * with the parser that validated it rather than `Date.parse`, which leaves some offsets to the engine.
 */
export function instant(value: unknown): number | undefined {
  return typeof value === 'string' ? parseDateTime(value) : undefined;
}
