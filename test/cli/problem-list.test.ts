import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProblemList } from '../../src/cli/problem-list.js';
import { ValidationError } from '../../src/errors.js';
import { tempDir } from '../temp-dir.js';

/**
 * Every problem is listed, in file then line order, stable at one location, whatever order they
 * came in, however many were spilled to runs and however the runs were merged.
 */
describe('ProblemList', () => {
  const files = ['b.jsonl', 'a.jsonl'];
  const problem = (file: number, line: number | undefined, tag: number) =>
    new ValidationError({ file: files[file] as string, ...(line === undefined ? {} : { line }), path: '', rule: 'r', message: `m${tag}` });
  const sorted = (all: readonly ValidationError[]) =>
    [...all].sort((x, y) => files.indexOf(x.file ?? '') - files.indexOf(y.file ?? '') || (x.line ?? 0) - (y.line ?? 0)).map((p) => `${String(p)}\n`);
  const text = (lines: Iterable<string | Uint8Array>) => [...lines].map((l) => (typeof l === 'string' ? l : Buffer.from(l).toString('utf8')));
  const entry = fc.record({ file: fc.integer({ min: 0, max: 1 }), line: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }) });
  const shape = { held: fc.integer({ min: 1, max: 6 }), mergeWidth: fc.integer({ min: 2, max: 4 }), batch: fc.integer({ min: 1, max: 5 }) };

  it('lists every problem in file then line order, stable at one location, past what it holds in memory', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 80 }), fc.record(shape), (entries, { held, mergeWidth, batch }) => {
        const dir = tempDir('heed-problems-');
        const all = entries.map((e, tag) => problem(e.file, e.line, tag));
        const list = new ProblemList(files, { dir: () => dir, held, mergeWidth });
        for (let from = 0; from < all.length; from += batch) list.add(all.slice(from, from + batch));
        expect(list.count).toBe(all.length);
        // Held ones only, in memory: no more than `held` - 1 are not in a run file.
        expect(readdirSync(dir).length).toBe(Math.floor(all.length / held));
        expect(text(list.lines())).toEqual(sorted(all));
      }),
      { numRuns: 60 },
    );
  });

  it('takes over the problems of lists handed to it (a worker per bucket) as if they had been added to it', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 80 }), fc.integer({ min: 1, max: 4 }), fc.record(shape), (entries, buckets, { held, mergeWidth }) => {
        const dir = tempDir('heed-problems-');
        const all = entries.map((e, tag) => problem(e.file, e.line, tag));
        // Whole-file problems are found while reading (this thread); a line's, in its bucket (a worker).
        const direct = all.filter((p) => p.line === undefined);
        const byBucket = Array.from({ length: buckets }, (_, b) => all.filter((p) => p.line !== undefined && (p.line + files.indexOf(p.file ?? '')) % buckets === b));
        const list = new ProblemList(files, { dir: () => dir, held, mergeWidth });
        list.add(direct);
        byBucket.forEach((problems, b) => {
          const worker = new ProblemList(files, { dir: () => dir, name: `b${b}`, held, mergeWidth });
          for (const p of problems) worker.add([p]);
          list.addHanded(worker.hand());
          expect(worker.count).toBe(0);
        });
        expect(list.count).toBe(all.length);
        expect(text(list.lines())).toEqual(sorted([...direct, ...byBucket.flat()]));
      }),
      { numRuns: 60 },
    );
  });

  it('puts a whole-file problem before the lines of its file, and files in argument order', () => {
    const list = new ProblemList(files, { dir: () => tempDir('heed-problems-') });
    list.add([problem(1, 3, 0), problem(0, 12, 1), problem(1, undefined, 2), problem(0, 2, 3)]);
    expect(text(list.lines())).toEqual(['b.jsonl:2: m3\n', 'b.jsonl:12: m1\n', 'a.jsonl: m2\n', 'a.jsonl:3: m0\n']);
  });
});
