import { parseDateTime, toIso } from '../time/instant.js';
import type { CoreEventData } from './core-types.js';
import type { ValidationRule } from './rules.js';

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

export class Lifecycle {
  #matters = new Map<string, MatterState>();
  #promises = new Map<string, PromiseState>();
  #surveys = new Map<string, 'sent' | 'answered'>();
  #feedback = new Map<string, 'received' | 'answered'>();
  #relationship: 'unknown' | 'active' | 'ended' = 'unknown';

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
  apply(event: { readonly type: string; readonly data: unknown; readonly time: number }): LifecycleViolation | undefined {
    const violation = this.#check(event);
    if (violation === undefined) this.#advance(event);
    return violation;
  }

  #check({ type, data, time }: { readonly type: string; readonly data: unknown; readonly time: number }): LifecycleViolation | undefined {
    switch (type) {
      case 'RelationshipStarted':
        return this.#relationship === 'active'
          ? v('', 'relationship-already-started', 'the relationship has already started and has not ended')
          : undefined;
      case 'RelationshipEnded':
        return this.#relationship === 'ended' ? v('', 'relationship-already-ended', 'the relationship has already ended') : undefined;
      case 'MatterOpened': {
        const { matterId } = data as CoreEventData['MatterOpened'];
        const state = this.#matters.get(matterId);
        if (state === undefined) return undefined;
        return v('data.matterId', 'matter-already-opened', `matter "${matterId}" was already opened${state === 'resolved' ? ' (it is resolved: use MatterReopened)' : ''}`);
      }
      case 'MatterStatusChanged':
        return this.#openMatter((data as CoreEventData['MatterStatusChanged']).matterId, 'change the status of');
      case 'MatterResolved':
        return this.#openMatter((data as CoreEventData['MatterResolved']).matterId, 'resolve');
      case 'FixAttempted':
        return this.#openMatter((data as CoreEventData['FixAttempted']).matterId, 'attempt a fix on');
      case 'MatterReopened': {
        const { matterId } = data as CoreEventData['MatterReopened'];
        const state = this.#matters.get(matterId);
        if (state === undefined) return unknownMatter(matterId);
        return state === 'open' ? v('data.matterId', 'matter-not-resolved', `cannot reopen matter "${matterId}": it is still open`) : undefined;
      }
      case 'ContactMade':
      case 'CustomerTaskRequested':
      case 'SurveySent':
      case 'FeedbackReceived':
      case 'PromiseMade': {
        const { matterId } = data as { matterId?: string };
        if (matterId !== undefined && !this.#matters.has(matterId)) return unknownMatter(matterId);
        return this.#checkNewId(type, data) ?? (type === 'PromiseMade' ? dueAfter(data as CoreEventData['PromiseMade'], time, 'made') : undefined);
      }
      case 'PromiseKept':
      case 'PromiseRevised':
      case 'PromiseBroken':
      case 'PromiseCancelled': {
        const { promiseId } = data as { promiseId: string };
        const state = this.#promises.get(promiseId);
        if (state === undefined) return v('data.promiseId', 'unknown-promise', `promise "${promiseId}" was never made in this stream`);
        if (state === 'pending') return type === 'PromiseRevised' ? dueAfter(data as CoreEventData['PromiseRevised'], time, 'revised') : undefined;
        const verb = { PromiseKept: 'keep', PromiseRevised: 'revise', PromiseBroken: 'break', PromiseCancelled: 'cancel' }[type];
        const was = { kept: 'kept', broken: 'broken explicitly', cancelled: 'cancelled' }[state];
        return v('data.promiseId', 'promise-settled', `cannot ${verb} promise "${promiseId}": it was already ${was}`);
      }
      case 'SurveyAnswered': {
        const { surveyId } = data as CoreEventData['SurveyAnswered'];
        const state = this.#surveys.get(surveyId);
        if (state === undefined) return v('data.surveyId', 'unknown-survey', `survey "${surveyId}" was never sent in this stream`);
        return state === 'answered' ? v('data.surveyId', 'survey-already-answered', `survey "${surveyId}" was already answered`) : undefined;
      }
      case 'FeedbackAnswered': {
        const { feedbackId } = data as CoreEventData['FeedbackAnswered'];
        const state = this.#feedback.get(feedbackId);
        if (state === undefined) return v('data.feedbackId', 'unknown-feedback', `feedback "${feedbackId}" was never received in this stream`);
        return state === 'answered' ? v('data.feedbackId', 'feedback-already-answered', `feedback "${feedbackId}" was already answered`) : undefined;
      }
      default:
        return undefined;
    }
  }

  #checkNewId(type: string, data: unknown): LifecycleViolation | undefined {
    if (type === 'PromiseMade') {
      const { promiseId } = data as CoreEventData['PromiseMade'];
      if (this.#promises.has(promiseId)) return v('data.promiseId', 'promise-already-made', `promise "${promiseId}" was already made (use PromiseRevised to change it)`);
    } else if (type === 'SurveySent') {
      const { surveyId } = data as CoreEventData['SurveySent'];
      if (this.#surveys.has(surveyId)) return v('data.surveyId', 'survey-already-sent', `survey "${surveyId}" was already sent`);
    } else if (type === 'FeedbackReceived') {
      const { feedbackId } = data as CoreEventData['FeedbackReceived'];
      if (this.#feedback.has(feedbackId)) return v('data.feedbackId', 'feedback-already-received', `feedback "${feedbackId}" was already received`);
    }
    return undefined;
  }

  #openMatter(matterId: string, verb: string): LifecycleViolation | undefined {
    const state = this.#matters.get(matterId);
    if (state === undefined) return unknownMatter(matterId);
    return state === 'resolved'
      ? v('data.matterId', 'matter-resolved', `cannot ${verb} matter "${matterId}": it is resolved (record MatterReopened first)`)
      : undefined;
  }

  #advance({ type, data }: { readonly type: string; readonly data: unknown }): void {
    switch (type) {
      case 'RelationshipStarted':
        this.#relationship = 'active';
        break;
      case 'RelationshipEnded':
        this.#relationship = 'ended';
        break;
      case 'MatterOpened':
      case 'MatterReopened':
        this.#matters.set((data as { matterId: string }).matterId, 'open');
        break;
      case 'MatterResolved':
        this.#matters.set((data as { matterId: string }).matterId, 'resolved');
        break;
      case 'PromiseMade':
        this.#promises.set((data as { promiseId: string }).promiseId, 'pending');
        break;
      case 'PromiseKept':
        this.#promises.set((data as { promiseId: string }).promiseId, 'kept');
        break;
      case 'PromiseBroken':
        this.#promises.set((data as { promiseId: string }).promiseId, 'broken');
        break;
      case 'PromiseCancelled':
        this.#promises.set((data as { promiseId: string }).promiseId, 'cancelled');
        break;
      case 'SurveySent':
        this.#surveys.set((data as { surveyId: string }).surveyId, 'sent');
        break;
      case 'SurveyAnswered':
        this.#surveys.set((data as { surveyId: string }).surveyId, 'answered');
        break;
      case 'FeedbackReceived':
        this.#feedback.set((data as { feedbackId: string }).feedbackId, 'received');
        break;
      case 'FeedbackAnswered':
        this.#feedback.set((data as { feedbackId: string }).feedbackId, 'answered');
        break;
      default:
        break;
    }
  }
}

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
  return v('data.matterId', 'unknown-matter', `matter "${matterId}" was never opened in this stream`);
}
