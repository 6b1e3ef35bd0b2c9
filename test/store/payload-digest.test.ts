import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { payloadDigest } from '../../src/store/payload-digest.js';
import { samePayload } from '../../src/store/same-payload.js';

/** The digest an import remembers instead of the event decides retry-or-conflict exactly like samePayload. */
describe('payloadDigest', () => {
  const leaf = fc.oneof(fc.constantFrom(0, -0, 1, Number.NaN, '', '0', 'a', null, undefined, true, false), fc.string({ maxLength: 3 }), fc.double());
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 })),
  }));
  const payload = fc.record({ type: fc.constantFrom('A', 'B'), time: fc.constantFrom(0, 1), data: value });

  it('is equal for two payloads exactly when samePayload says they are the same', () => {
    fc.assert(
      fc.property(payload, payload, (a, b) => {
        expect(payloadDigest(a) === payloadDigest(b)).toBe(samePayload(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('ignores key order and undefined-valued keys, as samePayload does', () => {
    const a = { type: 'A', time: 1, data: { x: 1, y: [1, { p: 'q', r: undefined }] } };
    const b = { type: 'A', time: 1, data: { y: [1, { p: 'q' }], x: 1, z: undefined } };
    expect(payloadDigest(a)).toBe(payloadDigest(b));
    expect(payloadDigest(a)).not.toBe(payloadDigest({ ...a, data: { x: '1', y: [1, { p: 'q' }] } }));
  });
});
