import { immerable, isDraft } from 'immer';
import { describe, expect, it } from 'vitest';
import { Engine, definePolicy } from '../../src/index.js';
import { freshCopy } from '../../src/engine/fresh-state.js';

const C = 'cust';
const opened = (at: string, matterId = 'm', customerId = C) => ({ customerId, type: 'MatterOpened', at, data: { matterId } });
const resolved = (at: string, matterId = 'm', customerId = C) => ({ customerId, type: 'MatterResolved', at, data: { matterId } });

describe('freshCopy: the engine’s own copy of an initial state', () => {
  it('copies plain objects, arrays, Maps and Sets deeply, sharing no object with the original', () => {
    const original = Object.freeze({ list: Object.freeze([{ a: 1 }]), byId: new Map([['x', { b: 2 }]]), tags: new Set(['t']), n: 3, none: null });
    const copy = freshCopy(original)?.state as typeof original;
    expect(copy).toEqual(original);
    expect(copy).not.toBe(original);
    expect(copy.list).not.toBe(original.list);
    expect(copy.list[0]).not.toBe(original.list[0]);
    expect(copy.byId.get('x')).not.toBe(original.byId.get('x'));
    expect(copy.tags).not.toBe(original.tags);
    // frozen input, writable copy
    expect(Object.isFrozen(copy)).toBe(false);
    expect(Object.isFrozen(copy.list)).toBe(false);
  });

  it('keeps values immer never drafts (a Date) as they are, as immer would', () => {
    const when = new Date(0);
    expect((freshCopy({ when })?.state as { when: Date }).when).toBe(when);
  });

  it('declines what it cannot reproduce: drafted class instances, symbol keys, an own __proto__ key', () => {
    class Box {
      [immerable] = true;
      n = 1;
    }
    expect(freshCopy({ box: new Box() })).toBeUndefined();
    expect(freshCopy({ [Symbol('s')]: 1 })).toBeUndefined();
    expect(freshCopy(JSON.parse('{"__proto__": {"x": 1}}'))).toBeUndefined();
    expect(freshCopy(Object.create(null))).toEqual({ state: {} });
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

  it('a failed first run leaves the initial state, as a discarded draft would', async () => {
    const fragile = definePolicy({
      name: 'fragile',
      kinds: ['fragile.x'],
      initialState: () => ({ n: 0 }),
      evolve(state, event) {
        state.n++;
        if (event.type === 'MatterResolved') throw new Error('boom');
      },
    });
    const e = new Engine({ policies: [fragile] });
    await expect(e.record([opened('2017-11-20'), resolved('2017-11-21')])).rejects.toThrow(/boom/);
    expect(e.state<{ n: number }>(C, 'fragile')).toEqual({ n: 0 });
  });
});
