import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FirstProblems } from '../../src/cli/first-problems.js';
import { ValidationError } from '../../src/errors.js';

/** The kept problems are exactly the first `limit` of all of them in file:line order, whatever order they came in. */
describe('FirstProblems', () => {
  const files = ['b.jsonl', 'a.jsonl'];
  const problem = (file: number, line: number | undefined, tag: number) =>
    new ValidationError({ file: files[file] as string, ...(line === undefined ? {} : { line }), path: '', rule: 'r', message: `m${tag}` });

  it('keeps the first problems in file then line order, stable at one location, and counts all', () => {
    const entry = fc.record({ file: fc.integer({ min: 0, max: 1 }), line: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5 }), (entries, limit, batch) => {
        const all = entries.map((e, tag) => problem(e.file, e.line, tag));
        const kept = new FirstProblems(limit, files);
        for (let from = 0; from < all.length; from += batch) kept.add(all.slice(from, from + batch));
        const expected = [...all].sort((x, y) => files.indexOf(x.file ?? '') - files.indexOf(y.file ?? '') || (x.line ?? 0) - (y.line ?? 0)).slice(0, limit);
        expect(kept.problems.map(String)).toEqual(expected.map(String));
        expect(kept.count).toBe(all.length);
      }),
    );
  });
});
