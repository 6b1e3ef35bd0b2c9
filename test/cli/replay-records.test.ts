import { describe, expect, it } from 'vitest';
import { indented, indentedObjects } from '../../src/cli/replay-records.js';

/** What each value prints as two levels deep in JSON.stringify(…, null, 2): the reference. */
const reference = (value: unknown) => {
  const text = JSON.stringify({ findings: [value] }, null, 2);
  return text.slice('{\n  "findings": [\n    '.length, text.length - '\n  ]\n}'.length);
};

const tricky = [
  '},\n    {',
  '"quoted" \\ back\\slash',
  'ünïcødé 🐢 \u2028\u2029',
  '\u0000\u0001\u001f\u007f',
  '\ud800 lone high',
  'lone low \udc00',
  '',
];

describe('indentedObjects', () => {
  it('prints each object as JSON.stringify does two levels deep, whatever its strings hold', () => {
    const values: object[] = Array.from({ length: 700 }, (_, i) => ({
      kind: tricky[i % tricky.length],
      n: i % 3 === 0 ? -0 : i / 7,
      nested: { list: i % 5 === 0 ? [] : [tricky[(i + 1) % tricky.length], { deep: null }], empty: {} },
      skipped: undefined,
    }));
    values.push({}, { '},\n    {': 1 });
    const texts = indentedObjects(values);
    expect(texts).toEqual(values.map(reference));
    expect(texts).toEqual(values.map(indented));
  });

  it('falls back to one call per value when a batch does not cut into its members', () => {
    const values: object[] = [{ a: 1 }, ['not', 'an object'], { toJSON: () => 'text' }, { b: [{ c: 2 }] }];
    expect(indentedObjects(values)).toEqual(values.map(reference));
  });
});
