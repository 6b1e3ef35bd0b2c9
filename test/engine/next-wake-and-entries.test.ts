import { describe, expect, it } from 'vitest';
import { Engine, findingKey } from '../../src/index.js';
import { ledger } from '../fixtures/ledger-policy.js';

const promise = (customerId: string, promiseId: string, at: string, dueBy: string) => ({
  customerId,
  type: 'PromiseMade',
  at,
  data: { promiseId, what: 'call back', dueBy },
});

describe('Engine#nextWakeAt', () => {
  it("gives a customer's earliest pending wake-up, the earliest over all customers, and nothing once it fired", async () => {
    const engine = new Engine({ policies: [ledger] });
    await engine.record([
      promise('a', 'p1', '2017-11-20T10:00:00Z', '2017-11-23T17:00:00Z'),
      promise('a', 'p2', '2017-11-20T11:00:00Z', '2017-11-22T17:00:00Z'),
      promise('b', 'p3', '2017-11-20T12:00:00Z', '2017-11-24T17:00:00Z'),
    ]);
    expect(engine.nextWakeAt('a')).toBe(Date.parse('2017-11-22T17:00:00Z'));
    expect(engine.nextWakeAt('b')).toBe(Date.parse('2017-11-24T17:00:00Z'));
    expect(engine.nextWakeAt()).toBe(Date.parse('2017-11-22T17:00:00Z'));
    await engine.advanceTo('2017-11-23T17:00:00Z');
    expect(engine.nextWakeAt('a')).toBeUndefined();
    expect(engine.nextWakeAt()).toBe(Date.parse('2017-11-24T17:00:00Z'));
    expect(engine.nextWakeAt('nobody')).toBeUndefined();
  });
});

describe('Engine#findingEntries', () => {
  it('lists the findings of findings() in the same order, each with its stable key', async () => {
    const engine = new Engine({ policies: [ledger] });
    await engine.record([
      { customerId: 'a', type: 'MatterOpened', at: '2017-11-20T09:00:00Z', data: { matterId: 'm1' } },
      promise('a', 'p1', '2017-11-20T10:00:00Z', '2017-11-21T17:00:00Z'),
    ]);
    await engine.advanceTo('2017-11-22T00:00:00Z');
    const entries = engine.findingEntries({ customerId: 'a' });
    expect(entries.map((e) => e.finding)).toEqual(engine.findings({ customerId: 'a' }));
    expect(entries.map((e) => e.key)).toEqual([
      findingKey('a', 'fx.open', 'm1', String(Date.parse('2017-11-20T09:00:00Z'))),
      findingKey('a', 'fx.overdue', 'p1', ''),
    ]);
    expect(engine.findingEntries({ kind: 'fx.overdue' }).map((e) => e.finding.kind)).toEqual(['fx.overdue']);
  });
});
