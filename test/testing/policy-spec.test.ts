import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { definePolicy, PolicyError, UsageError } from '../../src/index.js';
import { policySpec } from '../../src/testing/index.js';
import { ledger } from '../fixtures/ledger-policy.js';
import { perMatter } from '../fixtures/per-matter-policy.js';

const spec = policySpec(ledger, { customerId: 'c-7' });
const promise = { type: 'PromiseMade', at: '2017-11-20T09:00:00Z', data: { promiseId: 'p', what: 'call', dueBy: '2017-11-21T17:00:00Z' } };

describe('heed/testing policySpec', () => {
  it('matches findings on the given fields only, recursively', async () => {
    const outcome = await spec
      .given([promise])
      .at('2017-11-22')
      .thenFindings([{ kind: 'fx.overdue', customerId: 'c-7', details: { promiseId: 'p' } }]);
    expect(outcome.findings[0]?.details).toEqual({ promiseId: 'p', dueBy: '2017-11-21T17:00:00.000Z' });
  });

  it('fails with an AssertionError carrying actual and expected when a field differs', async () => {
    const error = await spec
      .given([promise])
      .at('2017-11-22')
      .thenFindings([{ kind: 'fx.overdue', severity: 'info' }])
      .catch((x: unknown) => x);
    expect(error).toBeInstanceOf(AssertionError);
    expect(error).toMatchObject({ actual: [{ kind: 'fx.overdue', severity: 'breach' }], expected: [{ kind: 'fx.overdue', severity: 'info' }] });
  });

  it('compares instants as instants: the short forms events accept match heed\'s printed form', async () => {
    await spec
      .given([promise])
      .at('2017-11-22')
      .thenFindings([{ kind: 'fx.overdue', detectedAt: '2017-11-21T17:00:00Z', details: { dueBy: '2017-11-21T18:00+01:00' } }]);
    const error = await spec
      .given([promise])
      .at('2017-11-22')
      .thenFindings([{ kind: 'fx.overdue', detectedAt: '2017-11-21T17:01Z' }])
      .catch((x: unknown) => x);
    expect(error).toBeInstanceOf(AssertionError);
    expect(error).toMatchObject({ expected: [{ kind: 'fx.overdue', detectedAt: '2017-11-21T17:01:00.000Z' }] });
  });

  it('refuses an expected instant that does not parse, naming the finding and field', async () => {
    await expect(spec.given([promise]).at('2017-11-22').thenFindings([{ kind: 'fx.overdue', detectedAt: '2017-11-21 17:00' }])).rejects.toThrow(
      /finding #1 \(fx\.overdue\): detectedAt "2017-11-21 17:00" is not an instant/,
    );
    await expect(spec.given([promise]).at('2017-11-22').thenFindings([{ details: { dueBy: 'tomorrow' } }])).rejects.toThrow(
      /finding #1: details\.dueBy "tomorrow" is not an instant/,
    );
  });

  it('matches details keyed by an id such as "__proto__" (a plugin counting per matter) as any other key', async () => {
    const opened = { type: 'MatterOpened', at: '2017-11-20T09:00:00Z', data: { matterId: '__proto__' } };
    const want = (n: number) => [{ kind: 'per-matter.count', details: { byMatter: Object.fromEntries([['__proto__', n]]) } }];
    await policySpec(perMatter).given([opened]).thenFindings(want(1));
    await expect(policySpec(perMatter).given([opened]).thenFindings(want(2))).rejects.toThrow(AssertionError);
  });

  it('fails when the number of findings differs', async () => {
    await expect(spec.given([promise]).thenFindings([{ kind: 'fx.overdue' }])).rejects.toThrow(/expected 1 finding\(s\) matching, got 0/);
    await expect(spec.given([promise]).at('2017-11-22').thenNoFindings()).rejects.toBeInstanceOf(AssertionError);
  });

  it('records `when` events as a later batch, so they may be backdated, and reports their changes', async () => {
    const outcome = await spec
      .given([promise])
      .when([{ type: 'PromiseKept', at: '2017-11-21T12:00:00Z', data: { promiseId: 'p' } }])
      .at('2017-11-25')
      .thenNoFindings();
    expect(outcome.changes).toEqual([]);
  });

  it('records each `when` as a further batch, in the order written: a second one adds events, it does not replace the first', async () => {
    const kept = { type: 'PromiseKept', at: '2017-11-21T12:00:00Z', data: { promiseId: 'p' } };
    const opened = { type: 'MatterOpened', at: '2017-11-20T10:00:00Z', data: { matterId: 'm' } };
    const resolved = { type: 'MatterResolved', at: '2017-11-21T10:00:00Z', data: { matterId: 'm' } };
    // The second batch is backdated before the first: each is recorded after the ones before it.
    const outcome = await spec.given([promise]).when([kept]).when([opened, resolved]).at('2017-11-25').thenFindings([{ kind: 'fx.open', details: { closed: true } }]);
    expect(outcome.engine.findings({ kind: 'fx.overdue' })).toEqual([]);
    // The changes of every `when`: created by the one that opens the matter, updated by the next.
    const split = await spec.given([]).when([opened]).when([resolved]).run();
    expect(split.changes.map((c) => `${c.type} ${c.finding.kind} closed=${String(c.finding.details['closed'])}`)).toEqual(['created fx.open closed=false', 'updated fx.open closed=true']);
    // Keeping the promise twice: refused only because the first `when` was recorded.
    await spec.given([promise]).when([kept]).when([kept]).thenRejects({ rule: 'promise-settled', path: 'data.promiseId' });
  });

  it('runs the scenario as written when then… is called: a call or a change to an events array after it does not change that run', async () => {
    const kept = { type: 'PromiseKept', at: '2017-11-21T12:00:00Z', data: { promiseId: 'p' } };
    const scenario = spec.given([promise]);
    const first = scenario.thenNoFindings();
    scenario.at('2017-11-22'); // before the first run has settled: it was read by that run
    await first;
    await scenario.thenFindings([{ kind: 'fx.overdue' }]);
    // The events as they were when given: a shared array changed afterwards is not read again.
    const batch = [kept];
    const settled = spec.given([promise]).when(batch).at('2017-11-22');
    batch.pop();
    await settled.thenNoFindings();
  });

  it('records the events as they were when given() or when() was called: changing an event object afterwards, or between then… calls, does not change the scenario', async () => {
    const made = structuredClone(promise);
    const kept = { type: 'PromiseKept', at: '2017-11-21T12:00:00Z', data: { promiseId: 'p' } };
    const scenario = spec.given([made]).when([kept]).at('2017-11-25');
    // Written after given() and when(): a later promise, kept by a promise that was never made.
    made.data.dueBy = '2017-11-24T17:00:00Z';
    kept.data.promiseId = 'ghost';
    await scenario.thenNoFindings();
    const overdue = spec.given([made]).at('2017-11-25');
    await overdue.thenFindings([{ kind: 'fx.overdue', detectedAt: '2017-11-24T17:00:00Z' }]);
    // Between two then… calls, at the top level of the event too.
    made.type = 'PromiseKept';
    made.at = '2017-11-26';
    await overdue.thenFindings([{ kind: 'fx.overdue', detectedAt: '2017-11-24T17:00:00Z' }]);
  });

  it('still refuses values that are not JSON data with the error a run gives: a function, a class instance, a Date, a cycle', async () => {
    class Point {
      constructor(readonly x: number) {}
    }
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    cyclic['again'] = cyclic; // two ways round: a copy walking every path would never end
    const at = (meta: Record<string, unknown>) => spec.given([{ ...promise, meta }]);
    await at({ fn: () => 1 }).thenRejects({ rule: 'not-json', path: 'meta.fn' });
    await at({ point: new Point(1) }).thenRejects({ rule: 'not-json', path: 'meta.point' });
    await at({ when: new Date(0) }).thenRejects({ rule: 'not-json', path: 'meta.when' });
    const error = await at({ loop: cyclic }).run().catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/meta\.loop(\.self)+: is nested more than 64 levels deep \(a cycle\?\), which is not JSON data/);
  });

  it('asserts rejections by rule, and fails if the events were accepted', async () => {
    await spec.given([{ type: 'PromiseKept', at: '2017-11-20', data: { promiseId: 'ghost' } }]).thenRejects({ rule: 'unknown-promise', path: 'data.promiseId' });
    await expect(spec.given([promise]).thenRejects({ rule: 'unknown-promise' })).rejects.toThrow(/expected the events to be rejected/);
    await expect(spec.given([{ type: 'PromiseKept', at: '2017-11-20', data: { promiseId: 'ghost' } }]).thenRejects({ rule: 'other' })).rejects.toThrow(/no problem matched/);
  });

  it('tells a wrong type from a missing field in rejections', async () => {
    await spec.given([{ ...promise, data: { ...promise.data, what: 7 } }]).thenRejects({ rule: 'invalid-type', path: 'data.what' });
    await spec.given([{ ...promise, data: { promiseId: 'p', dueBy: promise.data.dueBy } }]).thenRejects({ rule: 'required', path: 'data.what' });
  });

  it('freezes events, so a policy that writes to one fails its spec with a PolicyError naming the policy, the event and the property', async () => {
    // The bug under test: production does not freeze events (for speed), so a spec must catch it.
    const mutating = definePolicy({
      name: 'mutating',
      kinds: ['mutating.x'],
      initialState: () => ({ promises: 0 }),
      evolve(state, event) {
        if (event.type !== 'PromiseMade') return;
        state.promises++;
        (event.data as { what: string }).what = event.data.what.trim();
      },
    });
    const error = await policySpec(mutating).given([promise]).run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'mutating', customerId: 'customer-1', eventId: 'customer-1:1', cause: expect.any(TypeError) });
    expect((error as Error).message).toMatch(/Cannot assign to read only property 'what'.*are frozen/);
  });

  it('hands out frozen states and summaries: a check that writes to them throws', async () => {
    const outcome = await spec.given([promise]).run();
    expect(() => {
      (outcome.state as { promises: Record<string, unknown> }).promises['q'] = {};
    }).toThrow(TypeError);
    expect(() => {
      (outcome.summary as { promises: number }).promises = 0;
    }).toThrow(TypeError);
  });

  it('thenState and thenSummary fail when the spec\'s customer has no events, rather than run a check typed with the state on undefined', async () => {
    const other = { ...promise, customerId: 'someone-else' };
    for (const check of [(s: typeof spec) => s.given([other]).thenState(() => {}), (s: typeof spec) => s.given([]).thenSummary(() => {})]) {
      const error = await check(spec).catch((x: unknown) => x);
      expect(error).toBeInstanceOf(AssertionError);
      expect((error as Error).message).toMatch(/^no event of customer "c-7" was recorded, so policy "fx" has no state for then(State|Summary) to check$/);
    }
  });

  it('exposes state and summary', async () => {
    await spec.given([promise]).thenState((state: { promises: Record<string, unknown> }) => expect(Object.keys(state.promises)).toEqual(['p']));
    await spec.given([promise]).thenSummary((summary) => expect(summary).toEqual({ promises: 1, matters: 0 }));
  });
});

describe('heed/testing policySpec refuses a call that would let a test pass without testing anything', () => {
  // From JavaScript (or through `any`) nothing stops these; without the checks, one event given
  // as itself was silently not recorded, so `thenNoFindings()` passed whatever the policy does.
  it('given or when with one event rather than an array of them', () => {
    expect(() => spec.given(promise as never)).toThrow(new UsageError('policySpec: given expects an array of events, got an object; write given([event])', { path: 'given', rule: 'invalid-type' }));
    expect(() => spec.given([]).when(promise as never)).toThrow(new UsageError('policySpec: when expects an array of events, got an object; write when([event])', { path: 'when', rule: 'invalid-type' }));
    // Described as every option check describes a value (describe-value.ts): a string as itself.
    expect(() => spec.given('PromiseMade' as never)).toThrow(new UsageError('policySpec: given expects an array of events, got "PromiseMade"; write given([event])', { path: 'given', rule: 'invalid-type' }));
  });

  it('thenFindings with one expectation rather than an array of them', async () => {
    await expect(spec.given([promise]).thenFindings({ kind: 'fx.overdue' } as never)).rejects.toThrow(
      new UsageError('policySpec: thenFindings expects an array of expected findings, got an object; write thenFindings([{ … }])', { path: 'thenFindings', rule: 'invalid-type' }),
    );
  });

  it('at() in a place where it would change nothing: before when(), twice, before the last event, or with no events', async () => {
    const kept = { type: 'PromiseKept', at: '2017-11-21T12:00:00Z', data: { promiseId: 'p' } };
    // The clock is advanced once, after every event: an at() written before when() read as "advance, then record".
    expect(() => spec.given([promise]).at('2017-11-22').when([kept])).toThrow(
      new UsageError('policySpec: at("2017-11-22") comes before when(): the clock is advanced once, after every event; write given([…]).when([…]).at("2017-11-22")', { path: 'at' }),
    );
    expect(() => spec.given([promise]).at('2017-11-22').at('2017-11-25')).toThrow(
      new UsageError('policySpec: at() called twice ("2017-11-22", then "2017-11-25"): the clock is advanced once, after every event; give one instant', { path: 'at', rule: 'duplicate' }),
    );
    // The clock never goes back: findings would be as of the last event, not as of the instant given.
    await expect(spec.given([promise]).when([kept]).at('2017-11-20T12:00:00Z').thenNoFindings()).rejects.toThrow(
      new UsageError(
        'policySpec: at("2017-11-20T12:00:00Z") is before the last event (2017-11-21T12:00:00.000Z): the clock only moves forward, so it would change nothing; give a later instant or leave at() out',
        { path: 'at', rule: 'too-small' },
      ),
    );
    await expect(spec.given([]).at('2017-11-22').thenNoFindings()).rejects.toThrow(new UsageError('policySpec: at("2017-11-22") with no events: there is no journey for the clock to advance', { path: 'at' }));
    await expect(spec.given([promise]).at('next week').run()).rejects.toThrow(/^policySpec: at: expected an ISO-8601 date-time/);
    // At the last event's own instant it is harmless: the findings are as of that instant.
    await spec.given([promise]).at('2017-11-20T09:00:00Z').thenNoFindings();
  });

  it('at() with thenRejects(): whether recording is refused does not depend on the clock, advanced only after it', async () => {
    const ghost = { type: 'PromiseKept', at: '2017-11-20', data: { promiseId: 'ghost' } };
    await expect(spec.given([ghost]).at('2017-11-22').thenRejects({ rule: 'unknown-promise' })).rejects.toThrow(
      new UsageError('policySpec: at("2017-11-22") with thenRejects(): recording is refused or accepted before the clock is advanced, so it would change nothing; leave at() out', { path: 'at' }),
    );
  });

  it('an async check given to thenState or thenSummary: its failure fails the spec instead of being left unawaited', async () => {
    const failing = async () => {
      await Promise.resolve();
      throw new Error('the check failed');
    };
    await expect(spec.given([promise]).thenState(failing)).rejects.toThrow('the check failed');
    await expect(spec.given([promise]).thenSummary(failing)).rejects.toThrow('the check failed');
  });

  it('a misspelt setup field, which would leave the options (or calendar, customer) at their defaults', () => {
    // Worded as every entry point words an unknown option name (src/option-names.ts).
    expect(() => policySpec(ledger, { option: { grace: 'PT1H' } } as never)).toThrow(
      new UsageError('policySpec: unknown setup field "option" (the setup fields are "options", "calendar", "with", "customerId"). Did you mean "options"?', { path: 'option', rule: 'unknown-field' }),
    );
    expect(() => policySpec(ledger, { option: {}, customer: 'c' } as never)).toThrow(/^policySpec: unknown setup fields "option", "customer" \(/);
    expect(() => policySpec(ledger, 'c' as never)).toThrow(new UsageError('policySpec: the setup must be an object, got "c"', { rule: 'invalid-type' }));
  });
});
