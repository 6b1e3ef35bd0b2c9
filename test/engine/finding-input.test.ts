import { describe, expect, it } from 'vitest';
import { Engine, PolicyError, definePolicy, type FindingInput } from '../../src/index.js';

const C = 'cust';
const opened = { id: 'e1', customerId: C, type: 'MatterOpened', at: '2017-11-20T09:00:00Z', data: { matterId: 'm' } };

const good = (time: number): FindingInput => ({
  kind: 'check.seen',
  subject: 'm',
  detectedAt: time,
  severity: 'warning',
  message: 'seen',
  evidence: ['e1'],
  details: { n: 1 },
});

/** A policy that reports `good(time)` with `change` applied, from evolve. */
function reporting(change: Record<string, unknown>) {
  return definePolicy({
    name: 'check',
    kinds: ['check.seen'],
    initialState: () => ({}),
    evolve(_state, event, ctx) {
      ctx.report({ ...good(event.time), ...change } as FindingInput);
    },
  });
}

async function failure(change: Record<string, unknown>): Promise<unknown> {
  return new Engine({ policies: [reporting(change)] }).record(opened).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('engine: the findings a policy reports are checked against the contract', () => {
  it('keeps a well-formed finding, with the optional fields in every allowed form', async () => {
    for (const change of [{}, { start: 'x' }, { start: 5 }, { matterId: null }, { matterId: 'm' }, { ongoing: false }, { evidence: [] }]) {
      const engine = new Engine({ policies: [reporting(change)] });
      await engine.record(opened);
      expect(engine.findings().map((f) => [f.kind, f.severity])).toEqual([['check.seen', 'warning']]);
    }
  });

  it.each([
    [{ kind: 'check.other' }, /finding kind "check.other", which the policy does not declare \(declared: check.seen\)/],
    [{ severity: 'urgent' }, /whose severity must be one of info, warning, breach, critical \(got "urgent"\)/],
    [{ severity: undefined }, /whose severity must be one of .* \(got undefined\)/],
    [{ detectedAt: Number.NaN }, /whose detectedAt must be a finite epoch-ms number \(got NaN\)/],
    [{ detectedAt: '2017-11-20T09:00:00Z' }, /whose detectedAt must be a finite epoch-ms number \(got "2017-11-20T09:00:00Z"\)/],
    [{ subject: 7 }, /whose subject must be a string \(got 7\)/],
    [{ start: Number.POSITIVE_INFINITY }, /whose start must be a string or a finite number when given \(got Infinity\)/],
    [{ matterId: 3 }, /whose matterId must be a string or null when given \(got 3\)/],
    [{ message: undefined }, /whose message must be a string \(got undefined\)/],
    [{ evidence: 'e1' }, /whose evidence must be an array of event ids \(got "e1"\)/],
    [{ evidence: ['e1', 2] }, /whose evidence\[1\] must be an event id \(a string\) \(got 2\)/],
    [{ details: null }, /whose details must be an object \(got null\)/],
    [{ details: [] }, /whose details must be an object \(got an array\)/],
    [{ ongoing: 'yes' }, /whose ongoing must be a boolean when given \(got "yes"\)/],
  ])('refuses %o, naming the policy, the customer, the event, the field and the rule', async (change, rule) => {
    const error = await failure(change);
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'check', customerId: C, eventId: 'e1' });
    expect((error as Error).message).toMatch(/^policy "check" failed on event "e1" of customer "cust": reported/);
    expect((error as Error).message).toMatch(rule);
  });

  it('keeps and emits no finding when the only report of the run is refused', async () => {
    const engine = new Engine({ policies: [reporting({ severity: 'urgent' })] });
    const emitted: unknown[] = [];
    engine.on('finding', (change) => emitted.push(change));
    await expect(engine.record(opened)).rejects.toBeInstanceOf(PolicyError);
    expect(emitted).toEqual([]);
    expect(() => engine.findings()).toThrow(PolicyError); // the customer's evaluation failed: no partial answer
  });

  it('checks what refresh restates too, and names the refresh', async () => {
    const restating = definePolicy({
      name: 'restating',
      kinds: ['restating.open'],
      initialState: () => ({ since: 0 }),
      evolve(state, event, ctx) {
        state.since = event.time;
        ctx.report({ kind: 'restating.open', subject: 'm', detectedAt: event.time, severity: 'info', message: 'open', evidence: [], details: {}, ongoing: true });
      },
      refresh(state, ctx) {
        ctx.report({ kind: 'restating.open', subject: 'm', detectedAt: state.since, severity: 'loud' as never, message: 'open', evidence: [], details: {}, ongoing: true });
      },
    });
    const engine = new Engine({ policies: [restating] });
    await engine.record(opened);
    await engine.advanceTo('2017-11-21T00:00:00Z');
    let error: unknown;
    try {
      engine.findings();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'restating', customerId: C, eventId: undefined });
    expect((error as Error).message).toMatch(/^policy "restating" failed on a refresh \(restating ongoing findings as of the clock\) of customer "cust": reported a "restating.open" finding whose severity must be one of/);
  });
});
