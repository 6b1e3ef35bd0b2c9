import { Immer, isDraft } from 'immer';
import { describe, expect, it } from 'vitest';
import { readable, replace, writable } from '../../src/policies/owned.js';

interface State {
  list: string[];
  byId: Record<string, { readonly n: number }>;
  count: number;
}

const immer = new Immer({ autoFreeze: false, useStrictIteration: false });
const initial = (): State => ({ list: ['a'], byId: { x: { n: 1 } }, count: 0 });

describe('owned collections (how built-in policies use their draft)', () => {
  it('copies a collection once per produce, as plain data, and leaves the base state as it was', () => {
    const base = initial();
    let first: string[] | undefined;
    const next = immer.produce(base, (draft) => {
      first = writable(draft, 'list');
      first.push('b');
      expect(isDraft(first)).toBe(false);
      expect(writable(draft, 'list')).toBe(first);
      expect(readable(draft, 'list')).toBe(first);
      writable(draft, 'byId')['y'] = { n: 2 };
      draft.count++;
    });
    expect(base).toEqual(initial());
    expect(next).toEqual({ list: ['a', 'b'], byId: { x: { n: 1 }, y: { n: 2 } }, count: 1 });
    expect(next.list).toBe(first);
    expect(next.byId['x']).toBe(base.byId['x']);
  });

  it('reads without copying or drafting, and the next produce copies again', () => {
    const base = immer.produce(initial(), (draft) => void writable(draft, 'list').push('b'));
    const next = immer.produce(base, (draft) => {
      const seen = readable(draft, 'list');
      expect(seen).toBe(base.list);
      expect(isDraft(seen)).toBe(false);
      writable(draft, 'list').push('c');
    });
    expect(base.list).toEqual(['a', 'b']);
    expect(next.list).toEqual(['a', 'b', 'c']);
  });

  it('keeps a collection put in place with replace for the rest of the produce', () => {
    const next = immer.produce(initial(), (draft) => {
      replace(draft, 'list', []);
      writable(draft, 'list').push('z');
    });
    expect(next.list).toEqual(['z']);
  });

  it('returns a plain state’s own collections, to change in place', () => {
    const state = initial();
    writable(state, 'list').push('b');
    replace(state, 'byId', {});
    expect(state).toEqual({ list: ['a', 'b'], byId: {}, count: 0 });
    expect(readable(state, 'list')).toBe(state.list);
  });

  it('replaces records in a taken collection without touching the base state’s records', () => {
    const big = { ...initial(), byId: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, { n: i }])) };
    const next = immer.produce(big, (draft) => {
      const byId = writable(draft, 'byId');
      for (const key of Object.keys(byId)) byId[key] = { n: (byId[key]?.n ?? 0) + 1 };
    });
    expect(next.byId['k99']).toEqual({ n: 100 });
    expect(big.byId['k99']).toEqual({ n: 99 });
  });
});
