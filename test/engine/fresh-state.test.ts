import { immerable, isDraft } from 'immer';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { Engine, PolicyError, definePolicy } from '../../src/index.js';
import { freshCopy, initialStateOf } from '../../src/engine/fresh-state.js';
import { builtinPolicies as builtinTuple } from '../../src/policies/builtin.js';
import { defineBuiltinPolicy, type AnyPolicy } from '../../src/policies/define-policy.js';
import { fragile } from '../fixtures/fragile-policy.js';

// Each called alike here, with options parsed from its own schema: read as policies of any shape.
const builtinPolicies: readonly AnyPolicy[] = builtinTuple;
const C = 'cust';
const opened = (at: string, matterId = 'm', customerId = C) => ({ customerId, type: 'MatterOpened', at, data: { matterId } });
const resolved = (at: string, matterId = 'm', customerId = C) => ({ customerId, type: 'MatterResolved', at, data: { matterId } });

describe('freshCopy: the engine’s own copy of an initial state', () => {
  it('copies plain objects and arrays deeply, sharing no object with the original', () => {
    const original = Object.freeze({ list: Object.freeze([{ a: 1 }]), nested: { deeper: { b: 2 } }, n: 3, none: null });
    const copy = freshCopy(original)?.state as typeof original;
    expect(copy).toEqual(original);
    expect(copy).not.toBe(original);
    expect(copy.list).not.toBe(original.list);
    expect(copy.list[0]).not.toBe(original.list[0]);
    expect(copy.nested.deeper).not.toBe(original.nested.deeper);
    // frozen input, writable copy
    expect(Object.isFrozen(copy)).toBe(false);
    expect(Object.isFrozen(copy.list)).toBe(false);
  });

  it('keeps values immer never drafts (a Date) as they are, as immer would', () => {
    const when = new Date(0);
    expect((freshCopy({ when })?.state as { when: Date }).when).toBe(when);
  });

  it('declines what it cannot reproduce exactly: class instances, Maps, Sets, objects reached twice, sparse arrays, symbol and __proto__ keys', () => {
    class Box {
      [immerable] = true;
      n = 1;
    }
    expect(freshCopy({ box: new Box() })).toBeUndefined();
    // Maps and Sets: the engine's immer does not draft them, so neither path may change them
    expect(freshCopy({ byId: new Map() })).toBeUndefined();
    expect(freshCopy({ tags: new Set() })).toBeUndefined();
    // an object reached twice: a cycle, or one object under two keys (a copy would change the aliasing)
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(freshCopy(cyclic)).toBeUndefined();
    const shared = { n: 1 };
    expect(freshCopy({ a: shared, b: shared })).toBeUndefined();
    // arrays with holes or extra keys
    expect(freshCopy({ list: [1, , 3] })).toBeUndefined();
    expect(freshCopy({ list: Object.assign([1], { extra: true }) })).toBeUndefined();
    expect(freshCopy({ [Symbol('s')]: 1 })).toBeUndefined();
    expect(freshCopy(JSON.parse('{"__proto__": {"x": 1}}'))).toBeUndefined();
    expect(freshCopy(Object.create(null))).toEqual({ state: {} });
  });
});

describe('initialStateOf: a built-in policy’s initial state is its own, uncopied', () => {
  /** Every object reachable from `value`. */
  const objects = (value: unknown, into = new Set<object>()): Set<object> => {
    if (typeof value !== 'object' || value === null || into.has(value)) return into;
    into.add(value);
    for (const key of Reflect.ownKeys(value)) objects((value as Record<PropertyKey, unknown>)[key], into);
    return into;
  };

  it('takes what a built-in policy’s initialState returned as the fresh state, without copying it', () => {
    const made = { n: 0, list: [] as number[] };
    const builtin = defineBuiltinPolicy({ name: 'made', kinds: ['promise.broken'], initialState: () => made, evolve() {} });
    const initial = initialStateOf(builtin, {});
    expect(initial.isFresh).toBe(true);
    expect(initial.state).toBe(made);
  });

  it('copies the state of a policy derived from a built-in by its prototype: only the built-in itself is trusted to build a new graph per call', () => {
    const inattention = builtinPolicies.find((p) => p.name === 'inattention')!;
    const INIT = inattention.initialState((inattention.options as z.ZodType).parse({}));
    const before = structuredClone(INIT);
    const derived = [
      { __proto__: inattention, initialState: () => INIT },
      Object.create(inattention, { initialState: { value: () => INIT } }),
    ];
    // The Engine refuses such an object (policy-misuse.test.ts); should one reach a fold all the
    // same, its state is copied: customer a's matter never shows in customer b's state.
    for (const policy of derived) {
      const [forA, forB] = [initialStateOf(policy, {}), initialStateOf(policy, {})];
      expect(forA.state).not.toBe(INIT);
      expect(forA.isFresh).toBe(true);
      (forA.state as { matters: Record<string, unknown> }).matters['m-of-a'] = { open: true };
      expect(INIT).toEqual(before);
      expect(forB.state).toEqual(before);
    }
  });

  it('relies on each built-in building a new graph of plain data per call: nothing shared between calls, and all of it copyable', () => {
    for (const policy of builtinPolicies) {
      const options = (policy.options as z.ZodType).parse({});
      const a = policy.initialState(options);
      const b = policy.initialState(options);
      const inB = objects(b);
      for (const object of objects(a)) expect(inB.has(object), policy.name).toBe(false);
      for (const object of objects(a)) expect(Object.isFrozen(object), policy.name).toBe(false);
      expect(freshCopy(a)?.state, policy.name).toEqual(a);
    }
  });
});

describe('engine: a fresh state is folded in place, and nothing that was handed out changes', () => {
  it('never changes what initialState returned, even when it reuses module-level constants', async () => {
    const shared = { seen: [] as string[], counts: { opened: 0 } };
    const sharing = definePolicy({
      name: 'sharing',
      kinds: ['sharing.x'],
      initialState: () => shared,
      evolve(state, event) {
        state.seen.push(event.customerId);
        state.counts.opened++;
      },
    });
    const e = new Engine({ policies: [sharing] });
    await e.record([opened('2017-11-20', 'm', 'a'), opened('2017-11-20', 'm', 'b')]);
    expect(shared).toEqual({ seen: [], counts: { opened: 0 } });
    expect(e.state('a', 'sharing')).toEqual({ seen: ['a'], counts: { opened: 1 } });
    expect(e.state('b', 'sharing')).toEqual({ seen: ['b'], counts: { opened: 1 } });
  });

  it('gives a frozen initial state to evolve as a writable copy', async () => {
    const frozen = definePolicy({
      name: 'frozen',
      kinds: ['frozen.x'],
      initialState: () => Object.freeze({ n: 0 }),
      evolve(state) {
        state.n++;
      },
    });
    const e = new Engine({ policies: [frozen] });
    await e.record([opened('2017-11-20'), resolved('2017-11-21')]);
    expect(e.state<{ n: number }>(C, 'frozen')?.n).toBe(2);
  });

  it('folds a stream’s first run without a draft and later runs with one', async () => {
    const drafted: boolean[] = [];
    const probe = definePolicy({
      name: 'probe',
      kinds: ['probe.x'],
      initialState: () => ({ n: 0 }),
      evolve(state) {
        drafted.push(isDraft(state));
        state.n++;
      },
    });
    const e = new Engine({ policies: [probe] });
    await e.record(opened('2017-11-20'));
    await e.record(resolved('2017-11-21'));
    expect(drafted).toEqual([false, true]);
  });

  it('leaves a state it handed out unchanged by later events', async () => {
    const counter = definePolicy({
      name: 'counter',
      kinds: ['counter.x'],
      initialState: () => ({ n: 0, ids: [] as string[] }),
      evolve(state, event) {
        state.n++;
        state.ids.push(event.type);
      },
    });
    const e = new Engine({ policies: [counter] });
    await e.record(opened('2017-11-20'));
    const before = e.state<{ n: number; ids: string[] }>(C, 'counter');
    await e.record(resolved('2017-11-21'));
    expect(before).toEqual({ n: 1, ids: ['MatterOpened'] });
    expect(e.state(C, 'counter')).toEqual({ n: 2, ids: ['MatterOpened', 'MatterResolved'] });
  });

  it('folds a state it cannot copy through immer from the start, the same at once as one by one', async () => {
    const set = definePolicy({
      name: 'set',
      kinds: ['set.x'],
      initialState: () => ({ seen: new Set<string>() }),
      evolve(state, event) {
        state.seen.add(event.type);
      },
    });
    const cyclic = definePolicy({
      name: 'cyclic',
      kinds: ['cyclic.x'],
      initialState: () => {
        const state = { n: 0, self: undefined as unknown };
        state.self = state;
        return state;
      },
      evolve(state) {
        state.n++;
      },
    });
    // Maps and Sets are not drafted by the engine's immer: the first batch fails as later ones do.
    const atOnce = await new Engine({ policies: [set] }).record([opened('2017-11-20'), resolved('2017-11-21')]).catch((e: unknown) => e);
    const oneByOne = new Engine({ policies: [set] });
    const first = await oneByOne.record(opened('2017-11-20')).catch((e: unknown) => e);
    expect(String(atOnce)).toMatch(/MapSet/);
    expect(String(first)).toMatch(/MapSet/);
    // A cyclic state folds through immer, whichever way it is fed.
    const e1 = new Engine({ policies: [cyclic] });
    await e1.record([opened('2017-11-20'), resolved('2017-11-21')]);
    const e2 = new Engine({ policies: [cyclic] });
    await e2.record(opened('2017-11-20'));
    await e2.record(resolved('2017-11-21'));
    expect(e1.state<{ n: number }>(C, 'cyclic')?.n).toBe(2);
    expect(e2.state<{ n: number }>(C, 'cyclic')?.n).toBe(2);
  });

  it('a failed first run leaves the initial state, as a discarded draft would', async () => {
    const e = new Engine({ policies: [fragile] });
    await expect(e.record([opened('2017-11-20'), resolved('2017-11-21')])).rejects.toThrow(/boom/);
    expect(e.state<{ n: number }>(C, 'fragile')).toEqual({ n: 0 });
  });
});

describe('engine: Maps and Sets in policy state', () => {
  const notSupported = /^policy "(mapped|tagged)" failed on event "[^"]+" of customer "cust": Maps and Sets are not supported in policy state/;

  it('a Map in the initial state is a PolicyError naming the policy that says so, not immer\'s enableMapSet advice', async () => {
    const mapped = definePolicy({
      name: 'mapped',
      kinds: ['mapped.x'],
      initialState: () => ({ byId: new Map<string, number>() }),
      evolve(state, event) {
        state.byId.set(event.id, event.time);
      },
    });
    const error = await new Engine({ policies: [mapped] }).record([opened('2017-11-20')]).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'mapped', message: expect.stringMatching(notSupported) });
    expect((error as Error).message).not.toMatch(/enableMapSet\(\)` when/);
  });

  it('a Set put into the state on a first run fails as plainly when a later run drafts it', async () => {
    const tagged = definePolicy({
      name: 'tagged',
      kinds: ['tagged.x'],
      initialState: () => ({ tags: [] as Set<string>[] }),
      evolve(state, event) {
        if (state.tags.length === 0) state.tags.push(new Set([event.id]));
        else state.tags[0]?.add(event.id);
      },
    });
    const engine = new Engine({ policies: [tagged] });
    await engine.record([opened('2017-11-20')]);
    await expect(engine.record([resolved('2017-11-21')])).rejects.toThrow(notSupported);
  });
});
