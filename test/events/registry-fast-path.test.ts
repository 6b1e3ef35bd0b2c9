import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  Calendar,
  channels,
  coreEventSchemas,
  directions,
  EventRegistry,
  envelopeSchema,
  importances,
  matterStatuses,
  outcomes,
  purposes,
  severities,
} from '../../src/index.js';

// The registry recognises well-formed envelopes by hand and asks zod only about the others. The
// hand check must never accept what envelopeSchema refuses, nor refuse what it accepts.
describe('registry: envelope fast path', () => {
  const registry = new EventRegistry();
  const calendar = new Calendar();
  const text = fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 5 }), fc.string({ minLength: 199, maxLength: 202 }));
  const objectish = fc.oneof(
    fc.constant(undefined),
    fc.constant({}),
    fc.constant({ plan: 'basic' }),
    fc.constant([]),
    fc.constant(null),
    fc.constant('text'),
    fc.constant(new Date(0)),
    fc.constant(Object.create(null) as object),
  );
  const envelope = fc.record(
    {
      id: fc.oneof(fc.constant(undefined), text, fc.integer()),
      customerId: fc.oneof(text, fc.integer()),
      type: fc.constant('RelationshipStarted'),
      at: fc.constant('2017-11-20T10:00:00Z'),
      data: fc.constantFrom(undefined, {}, { plan: 'basic' }),
      meta: objectish,
      extra: fc.constant('x'),
    },
    { requiredKeys: ['type', 'at'] },
  );

  it('accepts exactly the envelopes envelopeSchema accepts', () => {
    fc.assert(
      fc.property(envelope, (raw) => {
        expect(registry.validate(raw, calendar).ok).toBe(envelopeSchema.safeParse(raw).success);
      }),
      { numRuns: 500 },
    );
  });

  it('copies meta, so changing the caller\'s object later does not change the event', () => {
    const meta = { source: 'crm' };
    const result = registry.validate({ customerId: 'c', type: 'RelationshipStarted', at: '2017-11-20', meta }, calendar);
    meta.source = 'changed';
    expect(result.ok && result.event.meta).toEqual({ source: 'crm' });
  });

  it('still explains a malformed envelope with zod\'s problems, located', () => {
    const result = registry.validate({ id: '', customerId: 'c', type: 'RelationshipStarted', at: '2017-11-20', colour: 'red' }, calendar, { index: 3 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => `${e.index} ${e.customerId} ${e.path} ${e.rule}`).sort()).toEqual(['3 c colour unknown-field', '3 c id too-small']);
  });
});

// Valid payloads are read by the schemas compiled with z.compile; anything else by zod's runtime
// parser. The compiled reading must accept exactly what the runtime accepts, with the same output
// (values, defaults, the ContactMade purpose, key order), so findings cannot depend on the path.
describe('registry: compiled payload schemas', () => {
  const values = [
    undefined, null, true, 0, -1, 1.5, 3, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, {}, [],
    '', 'x', 'm1', 'a'.repeat(200), 'a'.repeat(201), '😀'.repeat(150), '2017-11-20T10:00:00Z', '2017-11-21T17:00:00-07:00',
    '2017-11-19T10:00:00Z', '2017-11-20', '2017-02-30T10:00:00Z',
    ...severities, ...matterStatuses, ...directions, ...channels, ...purposes, ...importances, ...outcomes,
  ];
  const shapeOf = (schema: z.ZodType): Record<string, unknown> => {
    const def = (schema as unknown as { _zod: { def: { type: string; shape?: Record<string, unknown>; in?: z.ZodType } } })._zod.def;
    return def.type === 'pipe' && def.in !== undefined ? shapeOf(def.in) : (def.shape ?? {});
  };
  const entries = (value: unknown): unknown => (typeof value === 'object' && value !== null ? Object.entries(value) : value);

  it.each(Object.entries(coreEventSchemas))('%s: same verdict and output as the runtime parser', (_type, schema) => {
    const compiled = z.compile(schema as z.ZodType);
    // Mostly values each field accepts on its own (so most payloads are valid or nearly), sometimes any value, rarely an unknown key.
    const fields = Object.entries(shapeOf(schema as z.ZodType)).map(([key, field]) => {
      const accepted = values.filter((value) => (field as z.ZodType).safeParse(value).success);
      return [key, fc.oneof({ arbitrary: fc.constantFrom(...accepted), weight: 12 }, { arbitrary: fc.constantFrom(...values), weight: 1 })] as const;
    });
    const payload = fc
      .tuple(fc.record(Object.fromEntries(fields), { requiredKeys: [] }), fc.integer({ min: 0, max: 19 }), fc.constantFrom(...values))
      .map(([data, dice, extra]) => (dice === 0 ? { ...data, extra } : data));
    let valid = 0;
    fc.assert(
      fc.property(payload, (data) => {
        const runtime = (schema as z.ZodType).safeParse(data);
        const fast = compiled.safeParse(data);
        expect(fast.success).toBe(runtime.success);
        if (fast.success && runtime.success) {
          valid++;
          expect(entries(fast.data)).toStrictEqual(entries(runtime.data));
        }
      }),
      { numRuns: 1500 },
    );
    expect(valid).toBeGreaterThan(150); // the property saw valid payloads, not only refusals
  });
});
