import { describe, expect, it } from 'vitest';
import { Engine, PolicyError, UsageError, builtinPolicies, definePolicy, type PolicyContext } from '../../src/index.js';
import { isBuiltinPolicy, isPolicy } from '../../src/policies/define-policy.js';

const C = 'cust';
const opened = { id: 'e1', customerId: C, type: 'MatterOpened', at: '2017-11-20T09:00:00Z', data: { matterId: 'm' } };

/** A policy that asks for a wake-up at `instant` when it sees an event. */
function waking(instant: unknown, withTick: boolean) {
  return definePolicy({
    name: 'waker',
    kinds: ['waker.woke'],
    initialState: () => ({ woke: 0 }),
    evolve(_state, _event, ctx: PolicyContext) {
      ctx.wakeAt(instant as number);
    },
    ...(withTick
      ? {
          tick(state: { woke: number }) {
            state.woke++;
          },
        }
      : {}),
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('engine: a policy that misuses its context or throws outside evolve is named', () => {
  it.each([
    [Number.NaN, /ctx.wakeAt needs a finite epoch-ms number, got NaN/],
    [Number.POSITIVE_INFINITY, /ctx.wakeAt needs a finite epoch-ms number, got Infinity/],
    ['2024-02-01T00:00:00Z', /ctx.wakeAt needs a finite epoch-ms number, got "2024-02-01T00:00:00Z"/],
  ])('refuses ctx.wakeAt(%o) as the policy failing on that event, instead of ticking at once with now = NaN', async (instant, rule) => {
    const engine = new Engine({ policies: [waking(instant, true)] });
    const error = await rejection(engine.record(opened));
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'waker', customerId: C, eventId: 'e1' });
    expect((error as Error).message).toMatch(rule);
    expect(engine.nextWakeAt(C)).toBeUndefined();
  });

  it('refuses ctx.wakeAt in a policy without tick, which would never be answered', async () => {
    const error = await rejection(new Engine({ policies: [waking(Date.parse('2017-11-21T00:00:00Z'), false)] }).record(opened));
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).toMatch(/failed on event "e1" of customer "cust": ctx.wakeAt was called, but the policy has no tick/);
  });

  it('keeps a valid wake-up (the checks do not refuse what they should not)', async () => {
    const engine = new Engine({ policies: [waking(Date.parse('2017-11-21T00:00:00Z'), true)] });
    await engine.record(opened);
    expect(engine.nextWakeAt(C)).toBe(Date.parse('2017-11-21T00:00:00Z'));
    await engine.advanceTo('2017-11-22T00:00:00Z');
    expect(engine.state(C, 'waker')).toEqual({ woke: 1 });
  });

  it('names the policy and customer when summary throws', async () => {
    const summarising = definePolicy({
      name: 'summing',
      kinds: ['summing.x'],
      initialState: () => ({}),
      evolve() {},
      summary() {
        throw new Error('summary boom');
      },
    });
    const engine = new Engine({ policies: [summarising] });
    await engine.record(opened);
    let error: unknown;
    try {
      engine.summary(C);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'summing', customerId: C });
    expect((error as Error).message).toBe('policy "summing" failed on the summary of customer "cust": summary boom');
    expect(() => engine.snapshot()).toThrow(PolicyError);
  });

  it('names the policy and customer when initialState throws', async () => {
    const broken = definePolicy({
      name: 'broken-start',
      kinds: ['broken-start.x'],
      initialState: (): object => {
        throw new Error('init boom');
      },
      evolve() {},
    });
    const error = await rejection(new Engine({ policies: [broken] }).record(opened));
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'broken-start', customerId: C });
    expect((error as Error).message).toBe('policy "broken-start" failed on its initial state (initialState) of customer "cust": init boom');
  });

  it('refuses a policy object not made with definePolicy, naming its place and, as the plugin loader does, the fix', () => {
    const handMade = { name: 'hand-made', kinds: ['hand-made.x'], initialState: () => ({}), evolve() {} };
    const build = () => new Engine({ policies: [handMade as never] });
    expect(build).toThrow(UsageError);
    expect(build).toThrow(new UsageError('policies[0] is not a policy made with definePolicy (got a plain object named "hand-made": wrap it in definePolicy({ … }) from "heed")', { path: 'policies[0]', rule: 'invalid-type' }));
    const makePolicy = () => handMade;
    expect(() => new Engine({ policies: [makePolicy as never] })).toThrow(
      new UsageError('policies[0] is not a policy made with definePolicy (got a function "makePolicy": pass the policy, not a function that makes one)', { path: 'policies[0]', rule: 'invalid-type' }),
    );
    // Anything else as every other wrong value is shown (describeValue): a string as itself, an object by its keys.
    expect(() => new Engine({ policies: [undefined as never] })).toThrow(new UsageError('policies[0] must be a policy made with definePolicy, got undefined', { path: 'policies[0]', rule: 'invalid-type' }));
    expect(() => new Engine({ policies: ['inattention' as never] })).toThrow(new UsageError('policies[0] must be a policy made with definePolicy, got "inattention"', { path: 'policies[0]', rule: 'invalid-type' }));
    expect(() => new Engine({ policies: [{ evolve() {} } as never] })).toThrow(new UsageError('policies[0] must be a policy made with definePolicy, got an object with keys evolve', { path: 'policies[0]', rule: 'invalid-type' }));
    expect(() => new Engine({ policies: [[handMade] as never] })).toThrow(new UsageError('policies[0] must be a policy made with definePolicy, got an array inside the array', { path: 'policies[0]', rule: 'invalid-type' }));
  });
});

describe('engine: a plugin whose summary is not JSON data fails as the policy, where it is read', () => {
  // Summaries are written as JSON (`heed replay --format json`, the summaries table): unchecked,
  // a BigInt or a cycle failed later as "Do not know how to serialize a BigInt" naming no policy
  // or customer, and a Map was written as {}.
  const summarising = (value: () => unknown) =>
    definePolicy({ name: 'summing', kinds: ['summing.x'], initialState: () => ({}), evolve() {}, summary: () => ({ total: value() }) });

  it.each([
    ['a BigInt', () => 10n, 'summary.total is a BigInt, which is not JSON data'],
    ['a Map', () => new Map([['a', 1]]), 'summary.total is an instance of Map, which is not JSON data'],
    ['a Date', () => new Date(0), 'summary.total is a Date (give toIso(ms) or epoch ms), which is not JSON data'],
    ['a cycle', () => {
      const node: Record<string, unknown> = {};
      node['self'] = node;
      return node;
    }, `summary.total${'.self'.repeat(63)} is nested more than 64 levels deep (a cycle?), which is not JSON data`],
    ['NaN', () => Number.NaN, 'summary.total is NaN, which JSON cannot hold (it would be written as null)'],
  ])('%s', async (_label, value, message) => {
    const engine = new Engine({ policies: [summarising(value)] });
    await engine.record(opened);
    expect(() => engine.summary(C)).toThrow(PolicyError);
    expect(() => engine.summary(C)).toThrow(`policy "summing" failed on the summary of customer "cust": ${message}`);
    expect(() => engine.snapshot()).toThrow(PolicyError);
  });

  it('keeps a summary of JSON data, and one that is left out (undefined)', async () => {
    const engine = new Engine({ policies: [summarising(() => ({ n: 1, list: ['a', null, true] })), definePolicy({ name: 'quiet', kinds: ['quiet.x'], initialState: () => ({}), evolve() {}, summary: () => undefined })] });
    await engine.record(opened);
    expect(engine.summary(C)).toEqual({ summing: { total: { n: 1, list: ['a', null, true] } }, quiet: undefined });
  });

  it('refuses a copy of a policy made by spreading it: the copy skipped definePolicy\'s checks, so it does not carry its mark', async () => {
    // Spread, a built-in policy's marks would come along: a policy "promise" reporting the core
    // "promise.broken" with details of its own, which definePolicy refuses to declare.
    const promises = builtinPolicies.find((p) => p.name === 'promises');
    const copy = {
      ...promises,
      name: 'promise',
      evolve(_state: unknown, event: { time: number }, ctx: PolicyContext) {
        ctx.report({ kind: 'promise.broken', subject: 'p', detectedAt: event.time, severity: 'breach', message: 'broken', evidence: [], details: { mine: true } });
      },
    };
    expect(() => new Engine({ policies: [...builtinPolicies, copy as never] })).toThrow(
      new UsageError('policies[5] is not a policy made with definePolicy (got a plain object named "promise": wrap it in definePolicy({ … }) from "heed")', { path: 'policies[5]', rule: 'invalid-type' }),
    );
    // The fix the message gives checks the copy as any definition: no core kind, and not built-in.
    expect(() => definePolicy(copy as never)).toThrow(/policy "promise": 3 problems: kinds\[0\] "promise.at-risk" is a core kind that the built-in policy "promises" reports/);
    const own = definePolicy({ ...(copy as object), kinds: ['promise.reminder'] } as never);
    expect(isBuiltinPolicy(own)).toBe(false);
    // A plugin's copy, changed after definePolicy checked it, is refused the same way.
    expect(() => new Engine({ policies: [{ ...own, kinds: ['promise.broken'] } as never] })).toThrow(/policies\[0\] is not a policy made with definePolicy \(got a plain object named "promise"/);
  });

  it('refuses an object deriving from a policy through its prototype: it inherits the mark, not the checks of what it overrides', () => {
    const promises = builtinPolicies.find((p) => p.name === 'promises')!;
    const derived = [{ __proto__: promises, kinds: ['promise.broken', 'promise.mine'] }, Object.create(promises, { evolve: { value() {} } })];
    for (const policy of derived) {
      expect(isPolicy(policy)).toBe(false);
      expect(() => new Engine({ policies: [policy as never] })).toThrow(
        new UsageError('policies[0] is not a policy made with definePolicy (got a plain object named "promises": wrap it in definePolicy({ … }) from "heed")', { path: 'policies[0]', rule: 'invalid-type' }),
      );
    }
  });
});

describe("the policy mark cannot be copied or written by hand: only definePolicy's policies pass", () => {
  const mark = Symbol.for('heed.policy');
  const definition = {
    name: 'forged',
    kinds: ['forged.seen'],
    options: definePolicy({ name: 'x', kinds: ['x.y'], initialState: () => ({}), evolve() {} }).options,
    initialState: () => ({}),
    evolve() {},
  };
  const refused = (name: string) =>
    new UsageError(
      `policies[0] is not a policy made with definePolicy (got a plain object named "${name}" with a policy mark definePolicy did not give it, copied from a policy or set by hand: pass the policy definePolicy returned, or wrap the object in definePolicy({ … }) from "heed")`,
      { path: 'policies[0]', rule: 'invalid-type' },
    );

  it('refuses a hand-built object that sets the registry-wide mark itself, as the Engine and the plugin loader would otherwise run it unchecked', () => {
    const forged = Object.defineProperty({ ...definition }, mark, { value: true });
    expect(isPolicy(forged)).toBe(false);
    expect(() => new Engine({ policies: [forged as never] })).toThrow(refused('forged'));
    // Nor does a stand-in for another copy's check that says yes to anything, or one that throws.
    for (const check of [() => true, () => { throw new Error('no'); }]) expect(isPolicy(Object.defineProperty({ ...definition }, mark, { value: check }))).toBe(false);
  });

  it('refuses a copy of a policy with every own property, the mark included (Object.getOwnPropertyDescriptors)', () => {
    const promises = builtinPolicies.find((p) => p.name === 'promises')!;
    const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(promises));
    expect(Object.getOwnPropertySymbols(copy)).toContain(mark);
    expect(isPolicy(copy)).toBe(false);
    expect(() => new Engine({ policies: [copy as never] })).toThrow(refused('promises'));
    // ...and a mark taken from a real policy onto an object of one's own.
    const taken = Object.defineProperty({ ...definition }, mark, Object.getOwnPropertyDescriptor(promises, mark)!);
    expect(isPolicy(taken)).toBe(false);
  });

  it("still takes every policy definePolicy made, built-in or a plugin's", () => {
    const own = definePolicy({ ...definition, options: undefined } as never);
    expect([...builtinPolicies, own].every((p) => isPolicy(p))).toBe(true);
    expect(() => new Engine({ policies: [...builtinPolicies, own] })).not.toThrow();
  });
});
