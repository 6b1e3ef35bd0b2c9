import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { Calendar, Engine, EventRegistry, InvalidInputError, type EventInput } from '../../src/index.js';

const utc = new Calendar();
const at = '2024-01-01T10:00:00Z';
const contact = { direction: 'inbound', channel: 'phone' } as const;

/** The problems of one event as { path, rule, message } rows. */
function problems(raw: unknown, registry = new EventRegistry()) {
  const result = registry.validate(raw, utc);
  if (result.ok) throw new Error('expected validation to fail');
  return result.errors.map(({ path, rule, detail }) => ({ path, rule, message: detail }));
}

// A value that is present but wrong must never read as missing: zod 4 only keeps the offending
// input in an issue when asked to, and without it every wrong type looked like an absent field.
describe('event field messages', () => {
  it('say a present field of the wrong type has the wrong type, naming what it got', () => {
    expect(problems({ customerId: 'c1', type: 'ContactMade', at, data: { ...contact, waitMinutes: '5' } })).toEqual([
      { path: 'data.waitMinutes', rule: 'invalid-type', message: 'expected number, got string "5"' },
    ]);
    expect(problems({ customerId: 'c1', type: 'MatterOpened', at, data: { matterId: 5 } })).toEqual([
      { path: 'data.matterId', rule: 'invalid-type', message: 'expected string, got number 5' },
    ]);
    expect(problems({ customerId: 42, type: 'RelationshipStarted', at })).toEqual([
      { path: 'customerId', rule: 'invalid-type', message: 'expected string, got number 42' },
    ]);
    expect(problems({ customerId: 'c1', type: 'RelationshipStarted', at, meta: 'x' })).toEqual([
      { path: 'meta', rule: 'invalid-type', message: 'expected object, got string "x"' },
    ]);
    expect(problems({ customerId: 'c1', type: 'RelationshipStarted', at, data: null })).toEqual([
      { path: 'data', rule: 'invalid-type', message: 'expected object, got null' },
    ]);
  });

  it('refuse a count or duration past a million as too-big, so a unit mistake cannot push the burden score to Infinity', async () => {
    const fix = { matterId: 'm', method: 'visit', outcome: 'failed' } as const;
    expect(problems({ customerId: 'c1', type: 'FixAttempted', at, data: { ...fix, downtimeHours: 1e308 } })).toEqual([
      { path: 'data.downtimeHours', rule: 'too-big', message: 'must be at most 1000000; got 1e+308' },
    ]);
    expect(problems({ customerId: 'c1', type: 'ContactMade', at, data: { ...contact, transfers: 2 ** 40 } })).toEqual([
      { path: 'data.transfers', rule: 'too-big', message: 'must be at most 1000000; got 1099511627776' },
    ]);
    // At the limit, every amount the burden policy weighs still sums to a finite score.
    const engine = new Engine();
    await engine.record([
      { customerId: 'c1', type: 'MatterOpened', at, data: { matterId: 'm', severity: 'critical' } },
      { customerId: 'c1', type: 'ContactMade', at, data: { ...contact, matterId: 'm', waitMinutes: 1e6, transfers: 1e6, durationMinutes: 1e6 } },
      { customerId: 'c1', type: 'FixAttempted', at, data: { ...fix, customerEffortMinutes: 1e6, downtimeHours: 1e6 } },
      { customerId: 'c1', type: 'CustomerTaskRequested', at, data: { task: 'send logs', matterId: 'm', effortMinutes: 1e6, repeat: true } },
    ]);
    const burden = (engine.summary('c1') as { burden: { score: number } }).burden;
    expect(Number.isFinite(burden.score) && burden.score > 1e6).toBe(true);
  });

  it('say a payload that is not an object is not an object, once, not that each field of the type is missing', () => {
    for (const [data, got] of [
      [null, 'null'],
      ['m1', 'string "m1"'],
      [['m1'], 'an array'],
      [7, 'number 7'],
    ] as const) {
      expect(problems({ customerId: 'c1', type: 'PromiseMade', at, data })).toEqual([{ path: 'data', rule: 'invalid-type', message: `expected object, got ${got}` }]);
    }
    // An absent payload is an empty one: then each required field is missing.
    expect(problems({ customerId: 'c1', type: 'MatterOpened', at }).map((p) => p.path)).toEqual(['data.matterId']);
  });

  it('say a value outside an enum is not allowed, quoting it', () => {
    expect(problems({ customerId: 'c1', type: 'ContactMade', at, data: { direction: 'sideways', channel: 'phone' } })).toEqual([
      { path: 'data.direction', rule: 'invalid-value', message: 'must be one of "inbound", "outbound"; got "sideways"' },
    ]);
    expect(problems({ customerId: 'c1', type: 'MatterOpened', at, data: { matterId: 'm', severity: 'urgent' } })).toEqual([
      { path: 'data.severity', rule: 'invalid-value', message: 'must be one of "low", "normal", "high", "critical"; got "urgent"' },
    ]);
  });

  it('say a field that is absent is missing, with rule required', () => {
    expect(problems({ type: 'MatterOpened', at, data: {} })).toEqual([
      { path: 'customerId', rule: 'required', message: 'required field is missing (expected string)' },
      { path: 'data.matterId', rule: 'required', message: 'required field is missing (expected string)' },
    ]);
    expect(problems({ customerId: 'c1', type: 'ContactMade', at, data: { channel: 'phone' } })).toEqual([
      { path: 'data.direction', rule: 'required', message: 'required field is missing (expected one of "inbound", "outbound")' },
    ]);
  });

  it("word zod's built-in checks in heed's terms in plugin payloads, never zod's own text", () => {
    const registry = new EventRegistry().register(
      'PartsOrdered',
      z.strictObject({ parts: z.array(z.string()).min(1), sku: z.string().regex(/^[A-Z]{3}$/), count: z.number().int().max(10), note: z.string().min(1), kind: z.literal('new') }),
      'parts',
    );
    expect(problems({ customerId: 'c1', type: 'PartsOrdered', at, data: { parts: [], sku: 'abc', count: 12, note: '', kind: 'used' } }, registry)).toEqual([
      { path: 'data.parts', rule: 'too-small', message: 'must have at least 1 item; got 0' },
      { path: 'data.sku', rule: 'invalid-format', message: 'must match the pattern /^[A-Z]{3}$/; got "abc"' },
      { path: 'data.count', rule: 'too-big', message: 'must be at most 10; got 12' },
      { path: 'data.note', rule: 'too-small', message: 'must not be empty' },
      { path: 'data.kind', rule: 'invalid-value', message: 'must be "new"; got "used"' },
    ]);
    expect(problems({ customerId: 'c1', type: 'PartsOrdered', at, data: { parts: ['x'], sku: 'ABC', count: 1.5, note: 'n', kind: 'new' } }, registry)).toEqual([
      { path: 'data.count', rule: 'invalid-type', message: 'expected integer, got number 1.5' },
    ]);
  });

  it('reach the Engine API caller as the same InvalidInputError problems', async () => {
    const error = await new Engine()
      // A number where text belongs is a type error too; cast to show what a caller without types gets.
      .record([{ customerId: 'c1', type: 'PromiseMade', at, data: { promiseId: 'p', what: 7, dueBy: '2024-01-02T10:00:00Z' } } as EventInput])
      .catch((x: unknown) => x);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).errors.map(({ path, rule, detail }) => ({ path, rule, detail }))).toEqual([
      { path: 'data.what', rule: 'invalid-type', detail: 'expected string, got number 7' },
    ]);
  });
});
