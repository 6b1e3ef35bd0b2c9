import * as z from 'zod';
import { durationOption } from '../time/duration.js';
import { toIso } from '../time/instant.js';
import type { Calendar } from '../time/calendar.js';
import type { CoreFindingInput } from './core-findings.js';
import { defineBuiltinPolicy } from './define-policy.js';
import { keyed } from './keyed.js';
import { readable, writable } from './owned.js';
import { channelText, matterName, optionText } from './wording.js';

/**
 * Feedback: a customer who writes in deserves an answer ("You will not receive a reply" tells
 * them nobody listens). Feedback with no `FeedbackAnswered` within `replyWithin` is flagged once,
 * at that instant of journey time (a wake-up, not the next event). A later answer updates the
 * same finding with `answeredAt`; it does not take it back, since the reply was still late.
 */
export const feedbackOptions = z.strictObject({
  /** How long an answer may take. Default `P2D`. */
  replyWithin: durationOption('P2D'),
  /** `business` counts only business hours of the calendar; `calendar` wall-clock time. Default `business`. */
  clock: z.enum(['business', 'calendar']).default('business'),
});
export type FeedbackOptions = z.output<typeof feedbackOptions>;

/** Immutable: a change replaces the item (see owned.ts). */
export interface FeedbackItem {
  readonly feedbackId: string;
  readonly matterId: string | null;
  /** The matter's title when the feedback came (null without a matter or a title). */
  readonly matterTitle: string | null;
  readonly channel: string | null;
  readonly receivedAt: number;
  /** When the answer is due. */
  readonly replyBy: number;
  readonly answeredAt: number | null;
  /** When it was flagged unanswered; null while it still has time (or was answered in time). */
  readonly flaggedAt: number | null;
  readonly evidence: readonly string[];
}

export interface FeedbackState {
  items: Record<string, FeedbackItem>;
  /** Titles of the matters opened with one, to name them in messages. */
  titles: Record<string, string>;
  order: string[];
  /** Ids of feedback neither answered nor flagged yet (the only ones a wake-up can flag). */
  waiting: string[];
}

export const feedback = defineBuiltinPolicy({
  name: 'feedback',
  description: 'Feedback from the customer that got no answer in time.',
  options: feedbackOptions,
  kinds: ['feedback.unanswered'],
  initialState: (): FeedbackState => ({ items: keyed(), titles: keyed(), order: [], waiting: [] }),
  // State is reached as owned.ts describes: collections taken from the draft, items replaced.
  evolve(draft, event, ctx) {
    const state: FeedbackState = draft;
    if (event.type === 'MatterOpened') {
      const title = event.data.title;
      if (title !== undefined && title.trim() !== '') writable(state, 'titles')[event.data.matterId] = title;
    } else if (event.type === 'FeedbackReceived') {
      const matterId = event.data.matterId ?? null;
      const item: FeedbackItem = {
        feedbackId: event.data.feedbackId,
        matterId,
        matterTitle: matterId === null ? null : (readable(state, 'titles')[matterId] ?? null),
        channel: event.data.channel ?? null,
        receivedAt: event.time,
        replyBy: ctx.calendar.add(event.time, ctx.options.replyWithin, ctx.options.clock),
        answeredAt: null,
        flaggedAt: null,
        evidence: [event.id],
      };
      writable(state, 'items')[item.feedbackId] = item;
      writable(state, 'order').push(item.feedbackId);
      if (!readable(state, 'waiting').includes(item.feedbackId)) writable(state, 'waiting').push(item.feedbackId);
      ctx.wakeAt(item.replyBy);
    } else if (event.type === 'FeedbackAnswered') {
      const before = readable(state, 'items')[event.data.feedbackId];
      if (before === undefined) return;
      const item = { ...before, answeredAt: event.time, evidence: [...before.evidence, event.id] };
      writable(state, 'items')[item.feedbackId] = item;
      if (item.flaggedAt !== null) ctx.report(unanswered(item, ctx));
    }
  },
  tick(draft, ctx) {
    const state: FeedbackState = draft;
    // Each item is judged on its own, so the waiting ones can be taken in any order.
    for (const id of [...readable(state, 'waiting')]) {
      const item = readable(state, 'items')[id];
      if (item !== undefined && item.answeredAt === null && item.flaggedAt === null) {
        if (item.replyBy > ctx.now) continue;
        const flagged = { ...item, flaggedAt: item.replyBy };
        writable(state, 'items')[id] = flagged;
        ctx.report(unanswered(flagged, ctx));
      }
      const waiting = writable(state, 'waiting');
      waiting.splice(waiting.indexOf(id), 1);
    }
  },
  summary(state) {
    const items = state.order.map((id) => state.items[id]).filter((i): i is FeedbackItem => i !== undefined);
    return {
      received: items.length,
      answeredInTime: items.filter((i) => i.answeredAt !== null && i.flaggedAt === null).length,
      answeredLate: items.filter((i) => i.answeredAt !== null && i.flaggedAt !== null).length,
      unanswered: items.filter((i) => i.answeredAt === null && i.flaggedAt !== null).length,
      awaitingAnswer: items.filter((i) => i.answeredAt === null && i.flaggedAt === null).length,
    };
  },
});

function unanswered(item: FeedbackItem, ctx: { readonly calendar: Calendar; readonly options: FeedbackOptions }): CoreFindingInput<'feedback.unanswered'> {
  const { calendar, options } = ctx;
  const about = item.matterId === null ? '' : ` about ${matterName(item.matterId, item.matterTitle)}`;
  const how = item.channel === null ? '' : channelText(item.channel);
  const via = how === '' ? '' : ` ${how}`;
  const within = optionText(options.replyWithin, options.clock);
  const answered = item.answeredAt === null ? '' : `; it was answered ${calendar.format(item.answeredAt)}`;
  return {
    kind: 'feedback.unanswered',
    subject: item.feedbackId,
    matterId: item.matterId,
    detectedAt: item.replyBy,
    severity: 'breach',
    message: `Feedback the customer sent${about}${via} on ${calendar.format(item.receivedAt)} got no answer within ${within}${answered}.`,
    evidence: item.evidence,
    details: {
      feedbackId: item.feedbackId,
      receivedAt: toIso(item.receivedAt),
      replyBy: toIso(item.replyBy),
      answeredAt: item.answeredAt === null ? null : toIso(item.answeredAt),
    },
  };
}
