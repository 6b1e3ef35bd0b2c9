import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Calendar, EventRegistry, envelopeSchema } from '../../src/index.js';

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
    if (!result.ok) expect(result.errors.map((e) => `${e.index} ${e.customerId} ${e.path} ${e.rule}`).sort()).toEqual(['3 c colour unknown-field', '3 c id too_small']);
  });
});
