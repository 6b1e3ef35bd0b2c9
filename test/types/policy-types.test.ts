import * as z from 'zod';
import { describe, expectTypeOf, it } from 'vitest';
import { definePolicy, type CoreEventData, type Duration, type HeedEvent, type PolicyEvent } from '../../src/index.js';
import { durationOption } from '../../src/time/duration.js';

describe('policy types', () => {
  it('narrows core events on type and types custom events from their schema', () => {
    definePolicy({
      name: 'typed',
      options: z.strictObject({ window: durationOption('P1D'), n: z.number().default(1) }),
      events: { Pinged: z.strictObject({ count: z.number() }) },
      kinds: ['typed.x'],
      initialState: (options) => {
        expectTypeOf(options.window).toEqualTypeOf<Duration>();
        return { total: 0 };
      },
      evolve(state, event, ctx) {
        expectTypeOf(ctx.options.n).toEqualTypeOf<number>();
        if (event.type === 'Pinged') {
          expectTypeOf(event.data).toEqualTypeOf<{ count: number }>();
          state.total += event.data.count;
        }
        if (event.type === 'PromiseMade') {
          expectTypeOf(event.data).toEqualTypeOf<CoreEventData['PromiseMade']>();
          expectTypeOf(event.data.importance).toEqualTypeOf<'low' | 'normal' | 'high'>();
        }
        if (event.type === 'ContactMade') expectTypeOf(event.data.purpose).not.toBeUndefined();
      },
    });
  });

  it('a policy without custom events sees exactly the core events', () => {
    expectTypeOf<PolicyEvent>().toMatchTypeOf<HeedEvent>();
    expectTypeOf<Extract<PolicyEvent, { type: 'MatterOpened' }>['data']['severity']>().toEqualTypeOf<'low' | 'normal' | 'high' | 'critical'>();
  });
});
