import { fileKey } from '../file-key.js';
import { parseDateTime, toIso } from '../time/instant.js';
import type { CoreEventData } from './core-types.js';
import type { EventSource } from './event.js';
import type { ValidationRule } from './rules.js';
import { quoteId } from '../quote-id.js';

/**
 * The lifecycle rules of the core vocabulary (CONTRACT.md §1): an event that refers to an unknown
 * matter / promise / survey / feedback, or that breaks a lifecycle, is rejected, never ignored.
 * A `Lifecycle` is the per-stream state those rules need; events are applied in stream order.
 *
 * What is deliberately allowed: contacts, tasks, promises and surveys about a resolved matter
 * (follow-ups happen); any event after `RelationshipEnded` (the agent who calls after the customer
 * left is exactly what heed wants to see); `RelationshipStarted` after an end (the customer came
 * back); keeping a promise after its due time (that is `promise.kept-late`, not an error).
 */

export interface LifecycleViolation {
  /** Field at fault, e.g. `data.matterId`. */
  readonly path: string;
  readonly rule: ValidationRule;
  readonly message: string;
}

type MatterState = 'open' | 'resolved';
type PromiseState = 'pending' | 'kept' | 'broken' | 'cancelled';

/** What the rules read of an event: where it is comes from `source`, else `id`, else `at`. */
export interface LifecycleEvent {
  readonly type: string;
  readonly data: unknown;
  readonly time: number;
  readonly at: string;
  readonly id?: string | undefined;
  readonly source?: EventSource | undefined;
}

/**
 * An id's state and where the event that gave it that state is, so a violation can name it (`matter
 * "m" was already opened (line 12)`). Only that location is kept, not the event: the CLI checks
 * huge streams, and a stream's lifecycle lives as long as the engine keeps the stream.
 */
interface Mark<S extends string> {
  readonly state: S;
  readonly file: string | undefined;
  readonly line: number | undefined;
  /** The event's id, when it has no source; else its `at`, when it has no id either. */
  readonly id: string | undefined;
  readonly at: string | undefined;
}

function mark<S extends string>(state: S, { source, id, at }: LifecycleEvent): Mark<S> {
  if (source !== undefined) return { state, file: source.file, line: source.line, id: undefined, at: undefined };
  return { state, file: undefined, line: undefined, id, at: id === undefined ? at : undefined };
}

/**
 * Where `earlier` is, as read next to the problem of `event`: the line alone when both are in one
 * file (however its name was spelt: `a.jsonl`, `./a.jsonl`). The very line of `event` is a file read
 * twice (`heed replay a.jsonl ./a.jsonl`): said so, as "(line 1)" next to line 1 would read as the
 * event refusing itself.
 */
function where(earlier: Mark<string>, event: LifecycleEvent): string {
  if (earlier.line !== undefined) {
    if (!sameFile(earlier.file, event.source?.file)) return `${earlier.file ?? ''}:${earlier.line}`;
    return earlier.line === event.source?.line ? `line ${earlier.line} of ${earlier.file ?? ''} read before: it was given twice` : `line ${earlier.line}`;
  }
  return earlier.id !== undefined ? `event ${quoteId(earlier.id)}` : `at ${earlier.at ?? ''}`;
}

/** Names of one file, as the CLI's summary counts files: `a.jsonl` and `./a.jsonl` are one. */
function sameFile(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  return a !== undefined && b !== undefined && fileKey(a) === fileKey(b);
}

export class Lifecycle {
  // Marks are replaced, never changed: clone() copies the maps, not the marks.
  #matters = new Map<string, Mark<MatterState>>();
  #promises = new Map<string, Mark<PromiseState>>();
  #surveys = new Map<string, Mark<'sent' | 'answered'>>();
  #feedback = new Map<string, Mark<'received' | 'answered'>>();
  #relationship: Mark<'active' | 'ended'> | undefined;

  clone(): Lifecycle {
    const copy = new Lifecycle();
    copy.#matters = new Map(this.#matters);
    copy.#promises = new Map(this.#promises);
    copy.#surveys = new Map(this.#surveys);
    copy.#feedback = new Map(this.#feedback);
    copy.#relationship = this.#relationship;
    return copy;
  }

  /** Check one event against the rules and, if it passes, apply it. Custom types always pass. */
  apply(event: LifecycleEvent): LifecycleViolation | undefined {
    const violation = this.#check(event);
    if (violation === undefined) this.#advance(event);
    return violation;
  }

  #check(event: LifecycleEvent): LifecycleViolation | undefined {
    const { type, data, time } = event;
    const relationship = this.#relationship;
    switch (type) {
      case 'RelationshipStarted':
        return relationship?.state === 'active'
          ? v('', 'relationship-already-started', `the relationship has already started (${where(relationship, event)}) and has not ended`)
          : undefined;
      case 'RelationshipEnded':
        return relationship?.state === 'ended' ? v('', 'relationship-already-ended', `the relationship has already ended (${where(relationship, event)})`) : undefined;
      case 'MatterOpened': {
        const { matterId } = data as CoreEventData['MatterOpened'];
        const matter = this.#matters.get(matterId);
        if (matter === undefined) return undefined;
        const at = where(matter, event);
        return v(
          'data.matterId',
          'matter-already-opened',
          matter.state === 'resolved' ? `matter ${quoteId(matterId)} was already opened and is resolved (${at}): use MatterReopened` : `matter ${quoteId(matterId)} was already opened (${at})`,
        );
      }
      case 'MatterStatusChanged':
        return this.#openMatter(event, (data as CoreEventData['MatterStatusChanged']).matterId, 'change the status of');
      case 'MatterResolved':
        return this.#openMatter(event, (data as CoreEventData['MatterResolved']).matterId, 'resolve');
      case 'FixAttempted':
        return this.#openMatter(event, (data as CoreEventData['FixAttempted']).matterId, 'attempt a fix on');
      case 'MatterReopened': {
        const { matterId } = data as CoreEventData['MatterReopened'];
        const matter = this.#matters.get(matterId);
        if (matter === undefined) return unknownMatter(matterId);
        return matter.state === 'open'
          ? v('data.matterId', 'matter-not-resolved', `cannot reopen matter ${quoteId(matterId)}: it is still open (${where(matter, event)})`)
          : undefined;
      }
      case 'ContactMade':
      case 'CustomerTaskRequested':
      case 'SurveySent':
      case 'FeedbackReceived':
      case 'PromiseMade': {
        const { matterId } = data as { matterId?: string };
        if (matterId !== undefined && !this.#matters.has(matterId)) return unknownMatter(matterId);
        return this.#checkNewId(event) ?? (type === 'PromiseMade' ? dueAfter(data as CoreEventData['PromiseMade'], time, 'made') : undefined);
      }
      case 'PromiseKept':
      case 'PromiseRevised':
      case 'PromiseBroken':
      case 'PromiseCancelled': {
        const { promiseId } = data as { promiseId: string };
        const promise = this.#promises.get(promiseId);
        if (promise === undefined) return v('data.promiseId', 'unknown-promise', `promise ${quoteId(promiseId)} was never made in this stream`);
        if (promise.state === 'pending') return type === 'PromiseRevised' ? dueAfter(data as CoreEventData['PromiseRevised'], time, 'revised') : undefined;
        const verb = { PromiseKept: 'keep', PromiseRevised: 'revise', PromiseBroken: 'break', PromiseCancelled: 'cancel' }[type];
        return v('data.promiseId', 'promise-settled', `cannot ${verb} promise ${quoteId(promiseId)}: it was already ${SETTLED[promise.state]} (${where(promise, event)})`);
      }
      case 'SurveyAnswered': {
        const { surveyId } = data as CoreEventData['SurveyAnswered'];
        const survey = this.#surveys.get(surveyId);
        if (survey === undefined) return v('data.surveyId', 'unknown-survey', `survey ${quoteId(surveyId)} was never sent in this stream`);
        return survey.state === 'answered'
          ? v('data.surveyId', 'survey-already-answered', `survey ${quoteId(surveyId)} was already answered (${where(survey, event)})`)
          : undefined;
      }
      case 'FeedbackAnswered': {
        const { feedbackId } = data as CoreEventData['FeedbackAnswered'];
        const feedback = this.#feedback.get(feedbackId);
        if (feedback === undefined) return v('data.feedbackId', 'unknown-feedback', `feedback ${quoteId(feedbackId)} was never received in this stream`);
        return feedback.state === 'answered'
          ? v('data.feedbackId', 'feedback-already-answered', `feedback ${quoteId(feedbackId)} was already answered (${where(feedback, event)})`)
          : undefined;
      }
      default:
        return undefined;
    }
  }

  #checkNewId(event: LifecycleEvent): LifecycleViolation | undefined {
    const { type, data } = event;
    if (type === 'PromiseMade') {
      const { promiseId } = data as CoreEventData['PromiseMade'];
      const promise = this.#promises.get(promiseId);
      if (promise === undefined) return undefined;
      const at = where(promise, event);
      return v(
        'data.promiseId',
        'promise-already-made',
        promise.state === 'pending'
          ? `promise ${quoteId(promiseId)} was already made (${at}; use PromiseRevised to change it)`
          : `promise ${quoteId(promiseId)} was already made and ${SETTLED[promise.state]} (${at})`,
      );
    }
    if (type === 'SurveySent') {
      const { surveyId } = data as CoreEventData['SurveySent'];
      const survey = this.#surveys.get(surveyId);
      if (survey === undefined) return undefined;
      return v('data.surveyId', 'survey-already-sent', `survey ${quoteId(surveyId)} was already sent${survey.state === 'answered' ? ' and answered' : ''} (${where(survey, event)})`);
    }
    if (type === 'FeedbackReceived') {
      const { feedbackId } = data as CoreEventData['FeedbackReceived'];
      const feedback = this.#feedback.get(feedbackId);
      if (feedback === undefined) return undefined;
      return v(
        'data.feedbackId',
        'feedback-already-received',
        `feedback ${quoteId(feedbackId)} was already received${feedback.state === 'answered' ? ' and answered' : ''} (${where(feedback, event)})`,
      );
    }
    return undefined;
  }

  #openMatter(event: LifecycleEvent, matterId: string, verb: string): LifecycleViolation | undefined {
    const matter = this.#matters.get(matterId);
    if (matter === undefined) return unknownMatter(matterId);
    return matter.state === 'resolved'
      ? v('data.matterId', 'matter-resolved', `cannot ${verb} matter ${quoteId(matterId)}: it is resolved (${where(matter, event)}; record MatterReopened first)`)
      : undefined;
  }

  #advance(event: LifecycleEvent): void {
    const { type, data } = event;
    switch (type) {
      case 'RelationshipStarted':
        this.#relationship = mark('active', event);
        break;
      case 'RelationshipEnded':
        this.#relationship = mark('ended', event);
        break;
      case 'MatterOpened':
      case 'MatterReopened':
        this.#matters.set((data as { matterId: string }).matterId, mark('open', event));
        break;
      case 'MatterResolved':
        this.#matters.set((data as { matterId: string }).matterId, mark('resolved', event));
        break;
      case 'PromiseMade':
        this.#promises.set((data as { promiseId: string }).promiseId, mark('pending', event));
        break;
      case 'PromiseKept':
        this.#promises.set((data as { promiseId: string }).promiseId, mark('kept', event));
        break;
      case 'PromiseBroken':
        this.#promises.set((data as { promiseId: string }).promiseId, mark('broken', event));
        break;
      case 'PromiseCancelled':
        this.#promises.set((data as { promiseId: string }).promiseId, mark('cancelled', event));
        break;
      case 'SurveySent':
        this.#surveys.set((data as { surveyId: string }).surveyId, mark('sent', event));
        break;
      case 'SurveyAnswered':
        this.#surveys.set((data as { surveyId: string }).surveyId, mark('answered', event));
        break;
      case 'FeedbackReceived':
        this.#feedback.set((data as { feedbackId: string }).feedbackId, mark('received', event));
        break;
      case 'FeedbackAnswered':
        this.#feedback.set((data as { feedbackId: string }).feedbackId, mark('answered', event));
        break;
      default:
        break;
    }
  }
}

const SETTLED = { kept: 'kept', broken: 'broken explicitly', cancelled: 'cancelled' } as const;

/**
 * A promise cannot fall due before the event that sets its due time: it would be broken before it
 * was made (or revised), and its findings would be detected before their evidence. A due time at
 * the very instant is allowed ("right now").
 */
function dueAfter(data: { readonly dueBy: string }, time: number, verb: 'made' | 'revised'): LifecycleViolation | undefined {
  const due = parseDateTime(data.dueBy);
  if (due === undefined || due >= time) return undefined;
  return v('data.dueBy', 'due-before-event', `due ${data.dueBy}, before the promise was ${verb} (${toIso(time)}): a promise cannot fall due before it is ${verb}`);
}

function v(path: string, rule: ValidationRule, message: string): LifecycleViolation {
  return { path, rule, message };
}

function unknownMatter(matterId: string): LifecycleViolation {
  return v('data.matterId', 'unknown-matter', `matter ${quoteId(matterId)} was never opened in this stream`);
}
