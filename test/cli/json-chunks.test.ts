import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonChunks } from '../../src/cli/json-chunks.js';
import { parseJsonl, replay } from '../../src/index.js';
import { denverConfig, examples } from './helpers.js';

/** `--format json` is streamed piece by piece; joined, the pieces must be exactly JSON.stringify's text. */
const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('jsonChunks', () => {
  it('joins to JSON.stringify(snapshot, null, 2) for the snapshot of every example journey', async () => {
    const text = ['deer-claim', 'mixed', 'computer-repair', 'phone-upgrade', 'rental'].map((name) => readFileSync(join(examples, `journeys/${name}.jsonl`), 'utf8')).join('\n');
    const { events, errors } = parseJsonl(text, 'examples');
    expect(errors).toEqual([]);
    const config = JSON.parse(readFileSync(denverConfig, 'utf8')) as object;
    const { snapshot } = await replay(events, { config });
    expect(snapshot.findings.length).toBeGreaterThan(10);
    expect([...jsonChunks(snapshot)].join('')).toBe(pretty(snapshot));
    // Thousands of findings: still the same text, in pieces far smaller than the whole.
    const big = { ...snapshot, findings: Array.from({ length: 60 }, () => snapshot.findings).flat() };
    const pieces = [...jsonChunks(big)];
    const whole = pretty(big);
    expect(pieces.join('')).toBe(whole);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(whole.length / 10);
  });

  it('joins to JSON.stringify for long arrays and objects cut into several batches, at every depth', () => {
    const odd = (i: number) => [i, `s${i}`, undefined, () => i, { n: i, u: undefined }, [i, undefined], null][i % 7];
    const list = Array.from({ length: 1000 }, (_, i) => odd(i));
    // Integer-like keys sort first in an object; members without a JSON form are left out.
    const record = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [i % 3 === 0 ? String(i) : `k${i}`, odd(i)]));
    const holes = Object.fromEntries(Array.from({ length: 700 }, (_, i) => [`u${i}`, i === 650 ? 1 : undefined]));
    for (const value of [list, record, holes, { list, record, holes }, [[list], { record }]]) {
      for (const levels of [0, 1, 2, 3, 4]) expect([...jsonChunks(value, levels)].join('')).toBe(pretty(value));
    }
  });

  it('joins to JSON.stringify(value, null, 2) for any JSON value, at any walking depth', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 4 }), (value, levels) => {
        expect([...jsonChunks(value, levels)].join('')).toBe(pretty(value));
      }),
    );
  });

  it('leaves out, or turns into null, what JSON.stringify does: undefined, functions, symbols, toJSON', () => {
    const odd = {
      a: undefined,
      b: () => 1,
      c: [undefined, () => 1, Symbol('s'), 1, [], {}],
      d: { toJSON: () => 'dated' },
      e: { toJSON: () => undefined },
      f: { nested: 'line\nbreak "quoted"', deeper: { list: [1, { x: null }] } },
      g: Object.assign(Object.create(null) as object, { k: 'no prototype' }),
      h: new Date(0),
      [Symbol('hidden')]: 1,
    };
    for (const levels of [0, 1, 2, 3, 4]) {
      expect([...jsonChunks(odd, levels)].join('')).toBe(pretty(odd));
      expect([...jsonChunks([odd, undefined, odd], levels)].join('')).toBe(pretty([odd, undefined, odd]));
    }
    expect([...jsonChunks({}, 2)].join('')).toBe('{}\n');
    expect([...jsonChunks([], 2)].join('')).toBe('[]\n');
  });
});
