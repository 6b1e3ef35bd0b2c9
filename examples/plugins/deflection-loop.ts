import * as z from 'zod';
import { definePolicy, durationOption, type PolicyContext } from 'heed';

/**
 * A plugin policy: the "deflection loop" of seed 000 ("deflect customers to ChatBots or websites …
 * an endless loop of holds and transfers"). It raises `deflection-loop.detected` when a customer
 * was sent to a bot or a self-service page `threshold` times within `window` without reaching a
 * person in between.
 *
 * It shows the whole plugin path: a custom event type (`CustomerDeflected`) with its own schema,
 * options with defaults, core events read alongside (a bot chat counts as a deflection, a human
 * contact resets the loop), findings with evidence, and a summary.
 */

/** Where a customer was sent instead of to a person. */
export const CustomerDeflected = z.strictObject({
  matterId: z.string().min(1).optional(),
  to: z.enum(['bot', 'self-service-page', 'faq', 'ivr-menu', 'community-forum']),
  /** What the customer was trying to do. */
  intent: z.string().optional(),
});

// For the type checker: `engine.record` and `given` / `when` check a CustomerDeflected event's data
// as written (the schema's input) the way they check a core type's. Types only; the schema above
// is what validates at run time.
declare module 'heed' {
  interface CustomEventTypes {
    CustomerDeflected: z.input<typeof CustomerDeflected>;
  }
}

const options = z.strictObject({
  /** Deflections in a row, without a person in between, that make a loop. Default 3. */
  threshold: z.number().int().min(2).default(3),
  /** Deflections older than this (calendar time) no longer count. Default P30D. */
  window: durationOption('P30D'),
});

interface Deflection {
  readonly eventId: string;
  readonly time: number;
  readonly to: string;
}

interface State {
  /** Deflections since the customer last reached a person, oldest first. */
  streak: Deflection[];
  loops: number;
  longestStreak: number;
}

const HUMAN_CHANNELS = new Set(['phone', 'email', 'chat', 'sms', 'visit', 'mail', 'social']);

export const deflectionLoop = definePolicy({
  name: 'deflection-loop',
  description: 'Customers sent to bots or self-service again and again without reaching a person.',
  options,
  events: { CustomerDeflected },
  kinds: ['deflection-loop.detected'],
  initialState: (): State => ({ streak: [], loops: 0, longestStreak: 0 }),
  evolve(state, event, ctx) {
    switch (event.type) {
      case 'CustomerDeflected':
        record(state, { eventId: event.id, time: event.time, to: event.data.to }, ctx);
        break;
      case 'ContactMade':
        if (event.data.channel === 'bot') {
          record(state, { eventId: event.id, time: event.time, to: 'bot' }, ctx);
        } else if (HUMAN_CHANNELS.has(event.data.channel) && event.data.purpose !== 'automated' && event.data.purpose !== 'marketing') {
          state.streak = []; // a person was reached: the loop is broken
        }
        break;
      default:
        break;
    }
  },
  summary: (state) => ({ currentStreak: state.streak.length, loops: state.loops, longestStreak: state.longestStreak }),
});

function record(state: State, deflection: Deflection, ctx: PolicyContext<z.output<typeof options>>): void {
  state.streak = state.streak.filter((d) => ctx.calendar.add(d.time, ctx.options.window, 'calendar') > deflection.time);
  state.streak.push(deflection);
  state.longestStreak = Math.max(state.longestStreak, state.streak.length);
  if (state.streak.length < ctx.options.threshold) return;
  const first = state.streak[0] as Deflection;
  if (state.streak.length === ctx.options.threshold) state.loops++;
  const places = [...new Set(state.streak.map((d) => d.to))].join(', ');
  ctx.report({
    kind: 'deflection-loop.detected',
    subject: 'relationship',
    start: first.eventId,
    detectedAt: deflection.time,
    severity: state.streak.length >= ctx.options.threshold + 2 ? 'breach' : 'warning',
    message: `The customer was sent to self-service ${state.streak.length} times in a row (${places}) without reaching a person.`,
    evidence: state.streak.map((d) => d.eventId),
    details: { deflections: state.streak.length, threshold: ctx.options.threshold, to: places, since: new Date(first.time).toISOString() },
  });
}
