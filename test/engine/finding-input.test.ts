import { describe, expect, it } from 'vitest';
import { Engine, PolicyError, definePolicy, type FindingInput } from '../../src/index.js';
import { refreshRefusal } from './refresh-refusal.js';

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
    [{ severity: 'urgent' }, /whose severity must be one of info, warning, breach, critical, got "urgent"/],
    [{ severity: undefined }, /whose severity must be one of .*, got undefined/],
    [{ detectedAt: Number.NaN }, /whose detectedAt must be a finite epoch-ms number, got NaN/],
    [{ detectedAt: '2017-11-20T09:00:00Z' }, /whose detectedAt must be a finite epoch-ms number, got "2017-11-20T09:00:00Z"/],
    [{ subject: 7 }, /whose subject must be a string, got 7/],
    [{ start: Number.POSITIVE_INFINITY }, /whose start must be a string or a finite number when given, got Infinity/],
    [{ matterId: 3 }, /whose matterId must be a string or null when given, got 3/],
    [{ message: undefined }, /whose message must be a string, got undefined/],
    [{ evidence: 'e1' }, /whose evidence must be an array of event ids, got "e1"/],
    [{ evidence: ['e1', 2] }, /whose evidence\[1\] must be an event id \(a string\), got 2/],
    [{ details: null }, /whose details must be an object, got null/],
    [{ details: [] }, /whose details must be an object, got an array/],
    [{ ongoing: 'yes' }, /whose ongoing must be a boolean when given, got "yes"/],
    // A function is named as one, not printed as its source (which may run to pages).
    [{ message: () => 'seen' }, /whose message must be a string, got a function$/],
    [{ subject: 7n }, /whose subject must be a string, got 7n/],
    // Detected after the instant being evaluated: the wall clock, which would change every run.
    [{ detectedAt: Date.parse('2017-11-20T09:00:00.001Z') }, /whose detectedAt 2017-11-20T09:00:00.001Z is after the instant being evaluated \(ctx.now, 2017-11-20T09:00:00.000Z\): use ctx.now/],
    // Details that JSON cannot hold as they are, each named by its path.
    [{ details: { when: new Date(0) } }, /whose details.when is a Date \(give toIso\(ms\) or epoch ms\), which is not JSON data/],
    [{ details: { big: 10n } }, /whose details.big is a BigInt, which is not JSON data/],
    [{ details: { n: Number.NaN } }, /whose details.n is NaN, which JSON cannot hold/],
    [{ details: { list: [1, undefined] } }, /whose details.list\[1\] is undefined, which JSON would write as null/],
    [{ details: { nested: { f: () => 1 } } }, /whose details.nested.f is a function, which is not JSON data/],
    [{ details: { m: new Map() } }, /whose details.m is an instance of Map, which is not JSON data/],
    [{ details: circular() }, /whose details(\.self)+ is nested more than 64 levels deep \(a cycle\?\)/],
  ])('refuses %o, naming the policy, the customer, the event, the field and the rule', async (change, rule) => {
    const error = await failure(change);
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ policy: 'check', customerId: C, eventId: 'e1' });
    expect((error as Error).message).toMatch(/^policy "check" failed on event "e1" of customer "cust": reported/);
    expect((error as Error).message).toMatch(rule);
  });

  it('names every problem of a finding at once, each by its field, so its author fixes them in one round', async () => {
    const error = await failure({ kind: 'check.other', severity: 'urgent', message: undefined, evidence: ['e1', 2, 3], details: { when: new Date(0) } });
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).toBe(
      'policy "check" failed on event "e1" of customer "cust": reported a "check.other" finding with 6 problems: ' +
        'kind "check.other" is not one the policy declares (declared: check.seen); severity must be one of info, warning, breach, critical, got "urgent"; ' +
        'message must be a string, got undefined; evidence[1] must be an event id (a string), got 2; evidence[2] must be an event id (a string), got 3; ' +
        'details.when is a Date (give toIso(ms) or epoch ms), which is not JSON data',
    );
    // One problem reads as before.
    const one = await failure({ detectedAt: Number.NaN });
    expect((one as Error).message).toBe('policy "check" failed on event "e1" of customer "cust": reported a "check.seen" finding whose detectedAt must be a finite epoch-ms number, got NaN');
  });

  it('names every problem of its evidence and matterId at once too, alone or with problems of the other fields', async () => {
    const stream = "which is not an event of this customer's stream: evidence lists ids of events recorded for the customer (event.id)";
    const matter = "which is not a matter of this customer's stream: matterId names a matter opened for the customer (MatterOpened's data.matterId), or null for the whole relationship";
    const links = await failure({ evidence: ['ghost', 'e1', 'e1', 'spook', 'e1'], matterId: 'nowhere' });
    expect(links).toBeInstanceOf(PolicyError);
    expect((links as Error).message).toBe(
      'policy "check" failed on event "e1" of customer "cust": reported a "check.seen" finding with 5 problems: ' +
        `evidence[0] names "ghost", ${stream}; evidence[2] names "e1" again (as evidence[1]): list each event once; ` +
        `evidence[3] names "spook", ${stream}; evidence[4] names "e1" again (as evidence[1]): list each event once; ` +
        `matterId names "nowhere", ${matter}`,
    );
    // With a field's problem, found when the finding is reported: all of them in one message.
    const both = await failure({ severity: 'urgent', evidence: ['ghost', 7], matterId: 'nowhere' });
    expect((both as Error).message).toBe(
      'policy "check" failed on event "e1" of customer "cust": reported a "check.seen" finding with 4 problems: ' +
        `severity must be one of info, warning, breach, critical, got "urgent"; evidence[1] must be an event id (a string), got 7; evidence[0] names "ghost", ${stream}; matterId names "nowhere", ${matter}`,
    );
    // One problem reads as before.
    const one = await failure({ matterId: 'nowhere' });
    expect((one as Error).message).toBe(`policy "check" failed on event "e1" of customer "cust": reported a "check.seen" finding whose matterId names "nowhere", ${matter}`);
  });

  it('refuses a core kind from a plugin named like its namespace: definePolicy let it declare only kinds of its own', async () => {
    // `promise` is not the built-in `promises`: it may declare `promise.reminder`, never `promise.broken`,
    // so reporting the core kind is an undeclared kind, whose details would not be the typed ones.
    const impostor = definePolicy({
      name: 'promise',
      kinds: ['promise.reminder'],
      initialState: () => ({}),
      evolve(_state, event, ctx) {
        ctx.report({ kind: 'promise.broken', subject: 'p', detectedAt: event.time, severity: 'breach', message: 'broken', evidence: [event.id], details: { mine: true } });
      },
    });
    const error = await new Engine({ policies: [impostor] }).record(opened).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).toMatch(/^policy "promise" failed on event "e1" of customer "cust": reported finding kind "promise.broken", which the policy does not declare \(declared: promise.reminder\)/);
  });

  it('keeps details that are JSON data as they are written, an undefined property left out as JSON does', async () => {
    const details = { s: 'x', n: 1.5, b: false, z: null, list: [1, 'a', { deep: [null] }], gone: undefined, bare: Object.assign(Object.create(null) as object, { k: 1 }) };
    const engine = new Engine({ policies: [reporting({ details })] });
    await engine.record(opened);
    expect(JSON.parse(JSON.stringify(engine.findings()[0]?.details))).toEqual({ s: 'x', n: 1.5, b: false, z: null, list: [1, 'a', { deep: [null] }], bare: { k: 1 } });
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
    const error = await refreshRefusal(opened, '2017-11-21T00:00:00Z', () => ({}), { severity: 'loud' as never });
    expect(error.message).toMatch(/^policy "restating" failed on a refresh \(restating ongoing findings as of the clock\) of customer "cust": reported a "restating.open" finding whose severity must be one of/);
  });
});

function circular(): Record<string, unknown> {
  const node: Record<string, unknown> = {};
  node.self = node;
  return node;
}
