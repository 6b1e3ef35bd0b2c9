// A policy plugin in plain JavaScript, as the `heed` command loads it: listed under "plugins" in
// examples/plugins/heed.config.json (or given with --plugin), imported as an ES module, its default
// export taken as the policy. `heed` here is the package itself (in this repository it refers to
// its own dist/, built by `npm ci`); zod is heed's dependency.
import * as z from 'zod';
import { channels, definePolicy } from 'heed';

/**
 * "You will not receive a reply." (seed 001): a feedback form that tells the customer up front
 * that nobody will answer. "If you aren't listening and people know it, they won't share anything
 * with you." The built-in `feedback` policy flags feedback that went unanswered too long; this
 * plugin flags the company saying so in advance, the moment it does, and escalates while the
 * customer keeps writing into that channel anyway.
 *
 * - event type `NoReplyNotice`: the customer was told, on a channel, that messages there get no
 *   reply (`wording`: what the notice said);
 * - finding kind `no-reply.declared`: one per channel (repeated notices on it add evidence), a
 *   `warning`; a `breach` once `breachAfter` pieces of feedback received on that channel after
 *   the notice are still unanswered;
 * - option `breachAfter` (default 2), under `policies["no-reply"]` in the configuration.
 */

/** The customer was told that a channel gets no reply. */
export const NoReplyNotice = z.strictObject({
  channel: z.enum(channels),
  /** What the notice said, e.g. "You will not receive a reply." */
  wording: z.string().min(1).max(500).optional(),
});

const options = z.strictObject({
  /** Unanswered feedback received on a no-reply channel after its notice that makes the finding a breach. Default 2. */
  breachAfter: z.number().int().min(1).default(2),
});

export const noReply = definePolicy({
  name: 'no-reply',
  description: 'The customer was told up front that their feedback would get no reply.',
  options,
  events: { NoReplyNotice },
  kinds: ['no-reply.declared'],
  // Per channel: when the first notice came, its wording, every notice, and the feedback since.
  initialState: () => ({ channels: {} }),
  evolve(state, event, ctx) {
    switch (event.type) {
      case 'NoReplyNotice': {
        const { channel, wording } = event.data;
        const known = state.channels[channel];
        if (known === undefined) {
          state.channels[channel] = { since: event.time, firstNotice: event.id, wording: wording ?? null, notices: [event.id], feedback: [] };
        } else {
          known.notices.push(event.id);
        }
        report(state.channels[channel], channel, ctx);
        break;
      }
      case 'FeedbackReceived': {
        const channel = event.data.channel;
        const told = channel === undefined ? undefined : state.channels[channel];
        if (told === undefined) break;
        told.feedback.push({ feedbackId: event.data.feedbackId, eventId: event.id, time: event.time, answered: false });
        report(told, channel, ctx);
        break;
      }
      case 'FeedbackAnswered':
        for (const [channel, told] of Object.entries(state.channels)) {
          const item = told.feedback.find((f) => f.feedbackId === event.data.feedbackId);
          if (item === undefined || item.answered) continue;
          item.answered = true;
          report(told, channel, ctx);
        }
        break;
      default:
        break;
    }
  },
  summary: (state) => {
    const told = Object.values(state.channels);
    return {
      noReplyChannels: Object.keys(state.channels),
      feedbackSinceNotice: told.reduce((n, c) => n + c.feedback.length, 0),
      unanswered: told.reduce((n, c) => n + c.feedback.filter((f) => !f.answered).length, 0),
    };
  },
});

export default noReply;

function report(told, channel, ctx) {
  const unanswered = told.feedback.filter((f) => !f.answered);
  const breach = unanswered.length >= ctx.options.breachAfter;
  const said = told.wording === null ? '' : ` ("${told.wording}")`;
  const since =
    told.feedback.length === 0
      ? ''
      : ` Since then the customer wrote ${times(told.feedback.length)} there; ${unanswered.length === 0 ? 'every message was answered' : `${unanswered.length} still unanswered`}.`;
  ctx.report({
    kind: 'no-reply.declared',
    subject: channel,
    start: told.firstNotice,
    matterId: null,
    // A warning from the notice; a breach from the feedback that made the unanswered ones too many.
    detectedAt: breach ? unanswered[ctx.options.breachAfter - 1].time : told.since,
    severity: breach ? 'breach' : 'warning',
    message: `The customer was told up front that feedback on the ${channel} channel gets no reply${said}.${since}`,
    evidence: [...told.notices, ...told.feedback.map((f) => f.eventId)],
    details: {
      channel,
      wording: told.wording,
      since: new Date(told.since).toISOString(),
      feedback: told.feedback.map((f) => f.feedbackId),
      unanswered: unanswered.map((f) => f.feedbackId),
      breachAfter: ctx.options.breachAfter,
    },
  });
}

function times(n) {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}
