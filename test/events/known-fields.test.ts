import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { knownFields, knownFieldsHint } from '../../src/events/known-fields.js';

describe('knownFields: the keys allowed where an unknown key was found', () => {
  const inner = z.strictObject({ a: z.number(), b: z.string() });
  const schema = z.strictObject({
    plain: inner,
    wrapped: inner.optional().default({ a: 1, b: 'x' }).readonly(),
    transformed: inner.transform((v) => v.a),
    preprocessed: z.preprocess((v) => v, inner),
    byName: z.record(z.string(), inner),
    list: z.array(inner),
    pair: z.tuple([z.number(), inner]),
    later: z.lazy(() => inner),
  });

  it('looks through wrappers, transforms, records, arrays, tuples and lazy schemas', () => {
    expect(knownFields(schema, [])).toEqual(['plain', 'wrapped', 'transformed', 'preprocessed', 'byName', 'list', 'pair', 'later']);
    for (const path of [['plain'], ['wrapped'], ['transformed'], ['preprocessed'], ['byName', 'x'], ['list', 3], ['pair', 1], ['later']]) {
      expect([path, knownFields(schema, path)]).toEqual([path, ['a', 'b']]);
    }
  });

  it('answers undefined where it cannot tell, so the message says only "unknown field"', () => {
    expect(knownFields(schema, ['missing'])).toBeUndefined();
    expect(knownFields(schema, ['plain', 'a'])).toBeUndefined();
    expect(knownFields({ _def: { typeName: 'ZodObject' } }, [])).toBeUndefined(); // zod 3
    expect(knownFieldsHint({}, ['policies', 'x'], 'x')([], 'y', {})).toBe('');
  });

  it('words the hint with the path of the object, or the root name at the top', () => {
    expect(knownFieldsHint(schema, ['policies', 'demo'], 'demo')(['plain'], 'other', {})).toBe(' (policies.demo.plain has a and b)');
    expect(knownFieldsHint(z.strictObject({ only: z.number() }), [], 'the configuration')([], 'other', {})).toBe(' (the configuration has only)');
    expect(knownFieldsHint(z.strictObject({}), ['policies', 'bare'], 'bare')([], 'x', {})).toBe(' (policies.bare has no fields)');
    // The closest field the object does not have already, by the rule of an unknown event type's suggestion.
    expect(knownFieldsHint(schema, ['policies', 'demo'], 'demo')(['plain'], 'aa', {})).toBe(' (policies.demo.plain has a and b). Did you mean "a"?');
    expect(knownFieldsHint(schema, ['policies', 'demo'], 'demo')(['plain'], 'aa', { a: 1 })).toBe(' (policies.demo.plain has a and b). Did you mean "b"?');
    expect(knownFieldsHint(schema, ['policies', 'demo'], 'demo')(['plain'], 'aa', { a: 1, b: 2 })).toBe(' (policies.demo.plain has a and b)');
  });
});
