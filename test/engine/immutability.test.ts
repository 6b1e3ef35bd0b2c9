import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { Engine, PolicyError, definePolicy } from '../../src/index.js';

/**
 * What the engine hands out (states, summaries, snapshots) is deeply frozen, and a policy cannot
 * change anything but the draft it is given: a write anywhere else throws a TypeError (ESM is
 * strict mode) instead of silently changing the engine's state or the stored history.
 */

const C = 'c';
const opened = (at: string, matterId = 'm') => ({ customerId: C, type: 'MatterOpened', at, data: { matterId } });
const resolved = (at: string, matterId = 'm') => ({ customerId: C, type: 'MatterResolved', at, data: { matterId } });

interface Items {
  items: number[];
}

/** Appends one item per event and restates the list as a finding. */
const plain = definePolicy({
  name: 'plain',
  kinds: ['plain.items'],
  initialState: (): Items => ({ items: [] }),
  evolve(state, event, ctx) {
    state.items.push(state.items.length + 1);
    ctx.report({ kind: 'plain.items', subject: 'all', detectedAt: event.time, severity: 'info', message: 'items', evidence: [event.id], details: { items: state.items } });
  },
  summary: (state) => ({ items: state.items, nested: { count: state.items.length } }),
});

async function fedAtOnce(): Promise<Engine> {
  const e = new Engine({ policies: [plain] });
  await e.record([opened('2017-11-20'), resolved('2017-11-21')]);
  return e;
}

describe('engine: what it hands out is deeply frozen', () => {
  it('a state from engine.state() throws on a write, and later events fold as if nobody had tried', async () => {
    const e = new Engine({ policies: [plain] });
    await e.record(opened('2017-11-20'));
    const state = e.state<Items>(C, 'plain');
    expect(Object.isFrozen(state)).toBe(true);
    expect(() => state?.items.push(42)).toThrow(TypeError);
    expect(() => {
      (state as { items: unknown }).items = [];
    }).toThrow(TypeError);
    await e.record(resolved('2017-11-21'));
    expect(state).toEqual({ items: [1] });
    expect(e.state(C, 'plain')).toEqual({ items: [1, 2] });
    expect(e.findings()[0]?.details).toEqual({ items: [1, 2] });
    expect(JSON.stringify(e.snapshot())).toBe(JSON.stringify((await fedAtOnce()).snapshot()));
  });

  it('a state read after later runs (through immer) is frozen too, including what the run did not change', async () => {
    const e = new Engine({ policies: [plain] });
    await e.record(opened('2017-11-20'));
    await e.record(resolved('2017-11-21'));
    await e.record(opened('2017-11-22', 'm2'));
    const state = e.state<Items>(C, 'plain');
    expect(() => state?.items.push(42)).toThrow(TypeError);
    expect(state).toEqual({ items: [1, 2, 3] });
  });

  it('summaries and snapshots are deeply frozen: summaries, findings and their details', async () => {
    const e = await fedAtOnce();
    const summary = e.summary(C) as { plain: { items: number[]; nested: { count: number } } };
    expect(() => summary.plain.items.push(42)).toThrow(TypeError);
    expect(() => {
      summary.plain.nested.count = 0;
    }).toThrow(TypeError);
    expect(() => {
      (summary as Record<string, unknown>)['other'] = 1;
    }).toThrow(TypeError);

    const snapshot = e.snapshot();
    const inSnapshot = snapshot.summaries[C]?.['plain'] as { items: number[] };
    expect(() => inSnapshot.items.push(42)).toThrow(TypeError);
    expect(() => (snapshot.findings as unknown[]).push({})).toThrow(TypeError);
    expect(() => (snapshot.findings[0]?.details['items'] as number[]).push(42)).toThrow(TypeError);
    expect(() => {
      (snapshot as { asOf: string | null }).asOf = null;
    }).toThrow(TypeError);

    await e.record(opened('2017-11-22', 'm2'));
    expect(e.state(C, 'plain')).toEqual({ items: [1, 2, 3] });
    expect(e.findings()[0]?.details).toEqual({ items: [1, 2, 3] });
  });

  it('a summary that writes to the state fails as a PolicyError naming the policy, and the state stays as it was', async () => {
    const counting = definePolicy({
      name: 'counting',
      kinds: ['counting.x'],
      initialState: () => ({ n: 0, reads: 0 }),
      evolve(state) {
        state.n++;
      },
      summary(state) {
        // The bug under test: the types forbid it, a cast gets past them.
        (state as { reads: number }).reads++;
        return { n: state.n, reads: state.reads };
      },
    });
    const e = new Engine({ policies: [counting] });
    await e.record([opened('2017-11-20'), resolved('2017-11-21')]);
    const error = (() => {
      try {
        e.summary(C);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'counting', customerId: C });
    expect((error as Error).message).toMatch(/policy "counting" failed on the summary of customer "c"/);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(e.state(C, 'counting')).toEqual({ n: 2, reads: 0 });
  });
});

describe('engine: a policy changes only the draft it is given', () => {
  it('a reference kept from an earlier run cannot change the state: a PolicyError (TypeError), never a silent difference', async () => {
    let kept: string[] | undefined;
    const keeper = definePolicy({
      name: 'keeper',
      kinds: ['keeper.x'],
      initialState: () => ({ log: [] as string[] }),
      evolve(state, event) {
        if (event.type === 'MatterOpened') kept = state.log;
        else {
          state.log.push(`draft:${event.type}`);
          kept?.push(`kept:${event.type}`);
        }
      },
    });

    // One run: the reference is the state itself, as long as the run lasts.
    kept = undefined;
    const atOnce = new Engine({ policies: [keeper] });
    await atOnce.record([opened('2017-11-20'), resolved('2017-11-21')]);
    expect(atOnce.state(C, 'keeper')).toEqual({ log: ['draft:MatterResolved', 'kept:MatterResolved'] });

    // Across runs it points at a state that run ended with: frozen, so the write throws.
    kept = undefined;
    const oneByOne = new Engine({ policies: [keeper] });
    await oneByOne.record(opened('2017-11-20'));
    const before = oneByOne.state(C, 'keeper');
    const error = await oneByOne.record(resolved('2017-11-21')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'keeper', customerId: C, eventId: 'c:2' });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(before).toEqual({ log: [] });
  });

  it('a state once folded is frozen before the next run starts, whether or not anyone read it', async () => {
    let kept: { log: string[] } | undefined;
    const keeper = definePolicy({
      name: 'root-keeper',
      kinds: ['root-keeper.x'],
      initialState: () => ({ log: [] as string[] }),
      evolve(state, event) {
        if (kept !== undefined) kept.log.push(event.type);
        else kept = state;
      },
    });
    const e = new Engine({ policies: [keeper] });
    await e.record(opened('2017-11-20'));
    await expect(e.record(resolved('2017-11-21'))).rejects.toMatchObject({ name: 'PolicyError', cause: expect.any(TypeError) });
  });
});

describe('engine: evolve and tick change the draft and return nothing', () => {
  /** The Redux/Emmett style: a reducer that returns the next state. */
  const reducer = definePolicy({
    name: 'reducer',
    kinds: ['reducer.x'],
    initialState: () => ({ count: 0 }),
    // @ts-expect-error evolve returns nothing (the type test covers this; here it is the run time)
    evolve(state) {
      return { count: state.count + 1 };
    },
  });

  it('refuses a returned state with a PolicyError naming the policy, on a first run as on later ones', async () => {
    const first = new Engine({ policies: [reducer] });
    const error = await first.record(opened('2017-11-20')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'reducer', customerId: C, eventId: 'c:1' });
    expect((error as Error).message).toMatch(/policy "reducer" failed on event "c:1" of customer "c": evolve returned a value; change the draft instead/);

    // The same however the events are batched: never silently ignored.
    const atOnce = await new Engine({ policies: [reducer] }).record([opened('2017-11-20'), resolved('2017-11-21')]).catch((caught: unknown) => caught);
    expect((atOnce as Error).message).toMatch(/evolve returned a value/);
  });

  it('refuses it from a run through immer too (a state that is not fresh)', async () => {
    let returning = false;
    const sometimes = definePolicy({
      name: 'sometimes',
      kinds: ['sometimes.x'],
      initialState: () => ({ count: 0 }),
      evolve(state) {
        state.count++;
        // A value returned after changing the draft: immer would throw as well.
        if (returning) return state.count as never;
      },
    });
    const e = new Engine({ policies: [sometimes] });
    await e.record(opened('2017-11-20'));
    returning = true;
    await expect(e.record(resolved('2017-11-21'))).rejects.toThrow(/policy "sometimes" failed on event "c:2".*evolve returned a value/);
  });

  it('refuses a value returned by tick', async () => {
    const ticking = definePolicy({
      name: 'ticking',
      kinds: ['ticking.x'],
      initialState: () => ({ ticks: 0 }),
      evolve(_state, event, ctx) {
        ctx.wakeAt(event.time + 86_400_000);
      },
      // @ts-expect-error tick returns nothing
      tick: (state) => state.ticks++,
    });
    const e = new Engine({ policies: [ticking] });
    await e.record(opened('2017-11-20'));
    await expect(e.advanceTo('2017-11-22')).rejects.toThrow(/policy "ticking" failed on a wake-up of customer "c": tick returned a value/);
  });
});

describe('events are history: nothing a policy or a caller does changes what was stored', () => {
  const tagged = { Tagged: z.strictObject({ n: z.number(), tags: z.array(z.string()), nested: z.strictObject({ deep: z.number() }) }) };
  /** The bug under test: writes to the events it is given (the types forbid it; a cast gets past them). */
  const vandal = definePolicy({
    name: 'vandal',
    events: tagged,
    kinds: ['vandal.x'],
    initialState: () => ({ seen: 0 }),
    evolve(state, event) {
      state.seen++;
      if (event.type === 'Tagged') {
        const data = event.data as unknown as { n: number; tags: string[] };
        data.n = 100;
        data.tags.push('x');
      }
    },
  });
  const taggedEvent = { customerId: C, type: 'Tagged', at: '2017-11-20', data: { n: 1, tags: ['a'], nested: { deep: 2 } } };

  it('with freezeEvents, a policy that writes to an event fails with a PolicyError naming it, and the store keeps the event as recorded', async () => {
    const e = new Engine({ policies: [vandal], freezeEvents: true });
    const error = await e.record(taggedEvent).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'vandal', customerId: C, eventId: 'c:1' });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/policy "vandal" failed on event "c:1" of customer "c": Cannot assign to read only property 'n'.*are frozen: change only that draft/);
    const [stored] = await e.store.readStream(C);
    expect(stored?.data).toEqual({ n: 1, tags: ['a'], nested: { deep: 2 } });
    expect(Object.isFrozen(stored)).toBe(true);
    expect(Object.isFrozen((stored?.data as { tags: string[] }).tags)).toBe(true);
  });

  it('with freezeEvents, core events are frozen too, and so are the events an asOf replica folds', async () => {
    const renamer = definePolicy({
      name: 'renamer',
      kinds: ['renamer.x'],
      initialState: () => ({}),
      evolve(_state, event) {
        if (event.type === 'MatterOpened') (event.data as { matterId: string }).matterId = 'other';
      },
    });
    const e = new Engine({ policies: [renamer], freezeEvents: true });
    await expect(e.record(opened('2017-11-20'))).rejects.toMatchObject({ name: 'PolicyError', policy: 'renamer', cause: expect.any(TypeError) });
    expect((await e.store.readStream(C))[0]?.data).toEqual({ matterId: 'm', severity: 'normal' });
    await expect(e.asOf('2017-11-21')).rejects.toMatchObject({ name: 'PolicyError', policy: 'renamer' });
  });

  it('a caller who changes what it recorded, at any depth, changes nothing in the store', async () => {
    const free = {
      Noted: z.strictObject({ list: z.array(z.strictObject({ k: z.string() })), free: z.unknown(), byKey: z.record(z.string(), z.unknown()) }),
    };
    const noting = definePolicy({ name: 'noting', events: free, kinds: ['noting.x'], initialState: () => ({}), evolve() {} });
    const e = new Engine({ policies: [noting] });
    const input = {
      customerId: C,
      type: 'Noted',
      at: '2017-11-20',
      data: { list: [{ k: 'a' }], free: { deep: { n: 1 } }, byKey: { x: { n: 1 } } },
      meta: { source: 'crm', actor: { id: 'agent-1' } },
    };
    const core = { customerId: C, type: 'PromiseMade', at: '2017-11-20T10:00:00Z', data: { promiseId: 'p', what: 'call', dueBy: '2017-11-21T10:00:00Z' } };
    await e.record([input, core]);
    const recorded = structuredClone(await e.store.readStream(C));

    input.data.list[0]!.k = 'changed';
    input.data.list.push({ k: 'more' });
    input.data.free.deep.n = 2;
    input.data.byKey.x.n = 2;
    input.meta.actor.id = 'someone else';
    core.data.what = 'changed';

    expect(await e.store.readStream(C)).toEqual(recorded);
    expect(recorded[0]?.data).toEqual({ list: [{ k: 'a' }], free: { deep: { n: 1 } }, byKey: { x: { n: 1 } } });
    expect(recorded[0]?.meta).toEqual({ source: 'crm', actor: { id: 'agent-1' } });
  });
});
