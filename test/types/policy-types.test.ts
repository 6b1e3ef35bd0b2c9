import type { Immutable } from 'immer';
import * as z from 'zod';
import { describe, expectTypeOf, it } from 'vitest';
import { builtinPolicies, definePolicy, Engine, type CoreEventData, type Duration, type HeedEvent, type PolicyEvent } from '../../src/index.js';
import { policySpec } from '../../src/testing/index.js';
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
          expectTypeOf(event.data).toEqualTypeOf<{ readonly count: number }>();
          state.total += event.data.count;
        }
        if (event.type === 'PromiseMade') {
          expectTypeOf(event.data).toEqualTypeOf<Immutable<CoreEventData['PromiseMade']>>();
          expectTypeOf(event.data.importance).toEqualTypeOf<'low' | 'normal' | 'high'>();
        }
        if (event.type === 'ContactMade') expectTypeOf(event.data.purpose).not.toBeUndefined();
      },
    });
  });

  it('gives evolve deeply readonly events: a write to a payload is a type error', () => {
    definePolicy({
      name: 'writer',
      events: { Tagged: z.strictObject({ n: z.number(), tags: z.array(z.string()), nested: z.strictObject({ deep: z.number() }) }) },
      kinds: ['writer.x'],
      initialState: () => ({ total: 0 }),
      evolve(state, event) {
        if (event.type === 'Tagged') {
          // @ts-expect-error events are history: the payload is readonly
          event.data.n = 100;
          // @ts-expect-error arrays in a payload are readonly too
          event.data.tags.push('x');
          // @ts-expect-error and so is every level below
          event.data.nested.deep = 1;
          state.total += event.data.n + event.data.tags.length + event.data.nested.deep;
        }
        if (event.type === 'PromiseMade') {
          // @ts-expect-error core payloads as well
          event.data.what = 'something else';
        }
        // @ts-expect-error the envelope was readonly already
        event.time = 0;
      },
    });
  });

  it('refuses an evolve or tick that returns a value, even from an arrow function, and accepts one that returns nothing', () => {
    definePolicy({
      name: 'returning',
      kinds: ['returning.x'],
      initialState: () => ({ count: 0, list: [] as number[] }),
      // @ts-expect-error the Redux/Emmett style: heed changes the draft, it does not take a returned state
      evolve(state) {
        return { count: state.count + 1, list: state.list };
      },
    });
    definePolicy({
      name: 'arrow',
      kinds: ['arrow.x'],
      initialState: () => ({ list: [] as number[] }),
      // @ts-expect-error push returns the new length: an expression body returns it
      evolve: (state) => state.list.push(1),
      // @ts-expect-error same for tick
      tick: (state) => state.list.pop(),
    });
    definePolicy({
      name: 'fine',
      kinds: ['fine.x'],
      initialState: () => ({ list: [] as number[] }),
      evolve: (state, event) => {
        if (event.type !== 'ContactMade') return;
        state.list.push(1);
      },
      tick: (state) => void state.list.pop(),
    });
  });

  it('gives summary and refresh a readonly state', () => {
    definePolicy({
      name: 'reader',
      kinds: ['reader.x'],
      initialState: () => ({ reads: 0, items: [] as number[] }),
      evolve() {},
      summary(state) {
        // @ts-expect-error a summary reads the state, it does not change it
        state.reads++;
        // @ts-expect-error nor anything in it
        state.items.push(1);
        return { items: state.items.length };
      },
      refresh(state) {
        // @ts-expect-error a refresh only restates findings
        state.items.length = 0;
      },
    });
  });

  it("types policySpec's options from the policy's options schema, as written in the configuration", () => {
    const tuned = definePolicy({
      name: 'tuned',
      options: z.strictObject({ threshold: z.number().default(3), window: durationOption('P30D') }),
      kinds: ['tuned.x'],
      initialState: () => ({}),
      evolve() {},
    });
    // As in the configuration file: every option with a default may be left out, a duration is its text.
    policySpec(tuned, { options: { threshold: 5, window: 'P2D' } });
    policySpec(tuned, { options: {} });
    // @ts-expect-error a number option given as text
    policySpec(tuned, { options: { threshold: 'three' } });
    // @ts-expect-error a misspelt option
    policySpec(tuned, { options: { treshold: 5 } });
    const plain = definePolicy({ name: 'plain', kinds: ['plain.x'], initialState: () => ({}), evolve() {} });
    policySpec(plain);
    // @ts-expect-error a policy without options takes none
    policySpec(plain, { options: { threshold: 5 } });
  });

  it("types policySpec's state and summary from the policy, rather than handing the checks any", () => {
    const counter = definePolicy({
      name: 'counter',
      kinds: ['counter.x'],
      initialState: () => ({ seen: 0, ids: [] as string[] }),
      evolve(state, event) {
        state.seen++;
        state.ids.push(event.id);
      },
      summary: (state) => ({ seen: state.seen }),
    });
    const scenario = policySpec(counter).given([]);
    // Frozen everywhere (heed freezes states and summaries), so typed readonly.
    expectTypeOf(scenario.thenState).parameter(0).parameter(0).toEqualTypeOf<Immutable<{ seen: number; ids: string[] }>>();
    expectTypeOf(scenario.thenSummary).parameter(0).parameter(0).toEqualTypeOf<Immutable<{ seen: number }>>();
    expectTypeOf(scenario.run).returns.resolves.toHaveProperty('state').toEqualTypeOf<Immutable<{ seen: number; ids: string[] }> | undefined>();
    // @ts-expect-error a field the state does not have is a type error, not an undefined at run time
    void (() => scenario.thenState((state) => state.count));
    // A policy without summary: nothing to read.
    const quiet = definePolicy({ name: 'quiet', kinds: ['quiet.x'], initialState: () => ({ n: 0 }), evolve() {} });
    expectTypeOf(policySpec(quiet).given([]).thenSummary).parameter(0).parameter(0).toEqualTypeOf<undefined>();
  });

  it('takes schemas from another installed copy of zod 4 (another release, as a plugin project may have), typed from their core shape', () => {
    // What another zod 4 release's schemas share with heed's zod: the core `_zod` shape. Their
    // classes' methods differ from release to release (4.1 has no toJSONSchema method on a schema),
    // which made every option and event of such a plugin a type error, and its options unknown.
    type Foreign<Output, Input = Output> = {
      readonly _zod: { readonly input: Input; readonly output: Output; readonly version: { readonly minor: 1 } };
      safeParse(value: unknown): { success: boolean };
    };
    // Types only: these schemas exist in another project's node_modules.
    const typesOnly = (options: Foreign<{ threshold: number }, { threshold?: number }>, nudged: Foreign<{ to: 'bot' | 'faq' }>) => {
      const foreign = definePolicy({
        name: 'foreign',
        options,
        events: { Nudged: nudged },
        kinds: ['foreign.x'],
        initialState: (o) => {
          expectTypeOf(o.threshold).toEqualTypeOf<number>();
          return { n: 0 };
        },
        evolve(state, event, ctx) {
          expectTypeOf(ctx.options.threshold).toEqualTypeOf<number>();
          if (event.type === 'Nudged') expectTypeOf(event.data.to).toEqualTypeOf<'bot' | 'faq'>();
          state.n++;
        },
      });
      new Engine({ policies: [...builtinPolicies, foreign] });
      policySpec(foreign, { options: { threshold: 2 } });
      // @ts-expect-error the options are still typed: a misspelt one is an error
      policySpec(foreign, { options: { treshold: 2 } });
    };
    expectTypeOf(typesOnly).toBeFunction();
  });

  it('a policy without custom events sees exactly the core events', () => {
    expectTypeOf<PolicyEvent>().toMatchTypeOf<HeedEvent>();
    expectTypeOf<Extract<PolicyEvent, { type: 'MatterOpened' }>['data']['severity']>().toEqualTypeOf<'low' | 'normal' | 'high' | 'critical'>();
  });
});
