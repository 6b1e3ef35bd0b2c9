import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import {
  assessNextStep,
  builtinPolicies,
  Calendar,
  definePolicy,
  Engine,
  EventRegistry,
  InMemoryEventStore,
  replay,
  UsageError,
  VALIDATION_RULES,
} from '../src/index.js';
import { Upcasters } from '../src/postgres.js';
import { policySpec } from '../src/testing/index.js';
import { ledger } from './fixtures/ledger-policy.js';
import { caught, rejected, details } from './usage-error-helpers.js';

/**
 * A UsageError about a value of the caller's carries `path` (the argument or option at fault),
 * `rule` (in VALIDATION_RULES' names) and, where the call is about a stream, `customerId`: a
 * program branches on them without parsing the message.
 */
const [first, second] = builtinPolicies;

describe('the Engine constructor and its policy look-ups', () => {
  it('an entry of policies that is not a policy: path policies[i], rule invalid-type', () => {
    expect(details(caught(() => new Engine({ policies: [first as never, 42 as never] })))).toEqual({ path: 'policies[1]', rule: 'invalid-type', customerId: undefined });
  });

  it('a policy installed twice: path the second entry, rule duplicate', () => {
    const e = caught(() => new Engine({ policies: [first as never, second as never, first as never] }));
    expect(e.message).toBe(`policy "${first?.name}" is installed twice`);
    expect(details(e)).toEqual({ path: 'policies[2]', rule: 'duplicate', customerId: undefined });
  });

  it('state or policyOptions of a policy not installed: path policyName, rule unknown-policy', async () => {
    const engine = new Engine();
    await engine.record({ customerId: 'c', type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm' } });
    for (const run of [() => engine.state('c', 'nope'), () => engine.policyOptions('nope')]) {
      const e = caught(run);
      expect(e.message).toBe('no policy named "nope" is installed');
      expect(details(e)).toEqual({ path: 'policyName', rule: 'unknown-policy', customerId: undefined });
    }
  });

  it('state of a policy not installed is refused for a customer with no events too, not answered undefined', () => {
    const engine = new Engine();
    const e = caught(() => engine.state('nobody-yet', 'nope'));
    expect(e.message).toBe('no policy named "nope" is installed');
    expect(details(e)).toEqual({ path: 'policyName', rule: 'unknown-policy', customerId: undefined });
    expect(engine.state('nobody-yet', 'inattention')).toBeUndefined();
  });

  it('a plugin policy not among policies: rule unknown-policy', () => {
    const plugin = { specifier: './p.js', policies: [first] };
    expect(details(caught(() => new Engine({ policies: [second as never], plugins: [plugin as never] })))).toEqual({
      path: 'plugins[0].policies[0]',
      rule: 'unknown-policy',
      customerId: undefined,
    });
  });

  it('duplicate is a documented rule', () => {
    expect(Object.keys(VALIDATION_RULES)).toContain('duplicate');
  });
});

describe('instants given to the API: rule invalid-instant', () => {
  it('advanceTo and asOf: path instant; replay: path asOf', async () => {
    const engine = new Engine();
    expect(details(await rejected(() => engine.advanceTo('soon')))).toEqual({ path: 'instant', rule: 'invalid-instant', customerId: undefined });
    expect(details(await rejected(() => engine.asOf('soon')))).toEqual({ path: 'instant', rule: 'invalid-instant', customerId: undefined });
    expect(details(await rejected(() => replay([], { asOf: 'soon' })))).toEqual({ path: 'asOf', rule: 'invalid-instant', customerId: undefined });
  });

  it('a replay as of an instant before a stored event of a customer it records: path asOf, rule too-small, the customer', async () => {
    const store = new InMemoryEventStore();
    await new Engine({ store }).record({ id: 'x', customerId: 'c', type: 'MatterOpened', at: '2024-03-05T09:00:00Z', data: { matterId: 'm' } });
    const input = [{ customerId: 'c', type: 'ContactMade', at: '2024-03-01T09:00:00Z', data: { channel: 'email', direction: 'outbound' } }];
    expect(details(await rejected(() => replay(input, { store, asOf: '2024-03-02T00:00:00Z' })))).toEqual({ path: 'asOf', rule: 'too-small', customerId: 'c' });
  });
});

describe('assessNextStep', () => {
  const engine = new Engine();
  const proposal = { customerId: 'c', method: 'onsite-visit' };
  it('at: path at, rule invalid-instant, the customer', () => {
    expect(details(caught(() => assessNextStep(engine, { ...proposal, at: 'soon' })))).toEqual({ path: 'at', rule: 'invalid-instant', customerId: 'c' });
  });

  it.each([
    ['expectedEffortMinutes', -1, 'too-small'],
    ['expectedDowntimeHours', Number.NaN, 'invalid-type'],
    ['maxEffortHours', '8', 'invalid-type'],
    ['maxEffortHours', Number.POSITIVE_INFINITY, 'too-big'],
    ['maxMethodFailures', 1.5, 'invalid-type'],
    ['maxMethodFailures', 0, 'too-small'],
  ])('%s %s: path the field, rule %s, the customer', (field, value, rule) => {
    expect(details(caught(() => assessNextStep(engine, { ...proposal, [field]: value })))).toEqual({ path: field, rule, customerId: 'c' });
  });
});

describe('definePolicy', () => {
  const valid = { name: 'sample', kinds: ['sample.seen'], initialState: () => ({}), evolve() {} };
  const define = (overrides: Record<string, unknown>) => () => definePolicy({ ...valid, ...overrides } as never);
  it.each([
    [{ name: 42 }, 'name', 'invalid-type'],
    [{ name: undefined }, 'name', 'required'],
    [{ name: 'Bad Name' }, 'name', 'invalid-format'],
    [{ kinds: 'sample.seen' }, 'kinds', 'invalid-type'],
    [{ kinds: ['sample.seen', 7] }, 'kinds[1]', 'invalid-type'],
    [{ kinds: [] }, 'kinds', 'too-small'],
    [{ kinds: ['sample.seen', 'promise.broken'] }, 'kinds[1]', 'invalid-value'],
    [{ kinds: ['other.seen'] }, 'kinds[0]', 'invalid-format'],
    [{ evolve: undefined }, 'evolve', 'required'],
    [{ evolve: 'no' }, 'evolve', 'invalid-type'],
    [{ tik() {} }, 'tik', 'unknown-field'],
    [{ options: {} }, 'options', 'invalid-type'],
    [{ events: [] }, 'events', 'invalid-type'],
    [{ events: { MyEvent: {} } }, 'events.MyEvent', 'invalid-type'],
  ])('%j: path %s, rule %s', (overrides, path, rule) => {
    expect(details(caught(define(overrides)))).toEqual({ path, rule, customerId: undefined });
  });

  it('no definition object: rule invalid-type', () => {
    expect(details(caught(() => definePolicy(undefined as never)))).toEqual({ path: undefined, rule: 'invalid-type', customerId: undefined });
  });
});

describe('event types a policy registers', () => {
  const schema = z.strictObject({});
  it('a type name of the wrong form: path events.<type>, rule invalid-format', () => {
    expect(details(caught(() => new EventRegistry().register('9lives', schema, 'p')))).toEqual({ path: 'events.9lives', rule: 'invalid-format', customerId: undefined });
  });

  it("a core type, or another policy's: rule plugin-event-type", () => {
    const registry = new EventRegistry().register('Mine', schema, 'p');
    expect(details(caught(() => registry.register('Mine', z.strictObject({}), 'q')))).toEqual({ path: 'events.Mine', rule: 'plugin-event-type', customerId: undefined });
    expect(details(caught(() => registry.register('MatterOpened', schema, 'q')))).toEqual({ path: 'events.MatterOpened', rule: 'plugin-event-type', customerId: undefined });
  });
});

describe('policySpec', () => {
  const spec = policySpec(ledger);
  const event = { type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm' } };
  it('an argument that is no array: path the method, rule invalid-type', async () => {
    expect(details(caught(() => spec.given(event as never)))).toMatchObject({ path: 'given', rule: 'invalid-type' });
    expect(details(caught(() => spec.given([]).when(event as never)))).toMatchObject({ path: 'when', rule: 'invalid-type' });
    expect(details(await rejected(() => spec.given([event]).thenFindings(event as never)))).toMatchObject({ path: 'thenFindings', rule: 'invalid-type' });
  });

  it('at(): path at; an instant it cannot read invalid-instant, one before the last event too-small, a second at() duplicate', async () => {
    expect(details(await rejected(() => spec.given([event]).at('soon').thenNoFindings()))).toMatchObject({ path: 'at', rule: 'invalid-instant' });
    expect(details(await rejected(() => spec.given([event]).at('2024-02-01').thenNoFindings()))).toMatchObject({ path: 'at', rule: 'too-small' });
    expect(details(caught(() => spec.given([event]).at('2024-04-01').at('2024-05-01')))).toMatchObject({ path: 'at', rule: 'duplicate' });
  });

  it('an expected instant it cannot read: path thenFindings[i].<field>, rule invalid-instant', async () => {
    const e = await rejected(() => spec.given([event]).thenFindings([{ detectedAt: 'soon' }]));
    expect(details(e)).toMatchObject({ path: 'thenFindings[0].detectedAt', rule: 'invalid-instant' });
  });
});

describe('the calendar', () => {
  const calendar = new Calendar();
  it.each([
    ['2024-3-1', 'invalid-format'],
    ['2024-02-30', 'real-date'],
  ])('isWorkingDay(%s): path date, rule %s', (date, rule) => {
    expect(details(caught(() => calendar.isWorkingDay(date)))).toEqual({ path: 'date', rule, customerId: undefined });
  });

  it.each([
    [-1, 'too-small'],
    [Number.NaN, 'invalid-type'],
    [Number.POSITIVE_INFINITY, 'too-big'],
  ])('addBusinessMs(t, %s): path ms, rule %s', (ms, rule) => {
    expect(details(caught(() => calendar.addBusinessMs(0, ms)))).toEqual({ path: 'ms', rule, customerId: undefined });
  });
});

describe('the stream a store call is about: customerId', () => {
  it('a read option refused by readStream carries the stream', async () => {
    const store = new InMemoryEventStore();
    expect(details(await rejected(() => store.readStream('c', { limit: -1 })))).toEqual({ path: 'limit', rule: 'too-small', customerId: 'c' });
    expect(details(await rejected(() => store.readStream('c', { limt: 1 } as never)))).toEqual({ path: 'limt', rule: 'unknown-field', customerId: 'c' });
  });

  it('an upcaster failing as an event is read carries its customer', () => {
    const event = { type: 'Thing', customerId: 'c', id: 'e1', at: '2024-03-01T09:00:00Z' };
    const throwing = new Upcasters([{ type: 'Thing', fromVersion: 1, upcast: () => { throw new Error('boom'); } }]);
    expect(caught(() => throwing.upgrade(event, {}, 1)).customerId).toBe('c');
    const gap = new Upcasters([
      { type: 'Thing', fromVersion: 1, upcast: (d) => d },
      { type: 'Thing', fromVersion: 3, upcast: (d) => d },
    ]);
    expect(caught(() => gap.upgrade(event, {}, 1)).customerId).toBe('c');
    const bad = new Upcasters([{ type: 'MatterOpened', fromVersion: 1, upcast: () => ({}) }]);
    expect(caught(() => bad.upgrade({ ...event, type: 'MatterOpened' }, {}, 1)).customerId).toBe('c');
  });
});
