import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateLines } from '../../bench/generate.js';
import { parseJsonl, replay } from '../../src/index.js';
import { heed, scratch } from './helpers.js';

/**
 * heed replay evaluates customers in groups of 256, each group in its own engine dropped once its
 * findings are taken. The output must be what one engine gives over the whole input.
 */
describe('heed replay over more customers than one group', () => {
  const lines = generateLines({ events: 9_000, customers: 700, seed: 11 });
  const file = join(scratch(), 'many.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const { events, errors } = parseJsonl(lines.join('\n'), file);

  it.each([undefined, '2015-09-01T00:00:00Z'])('prints exactly the snapshot of a single engine (until %s)', async (until) => {
    expect(errors).toEqual([]);
    const [result, { snapshot }] = await Promise.all([
      heed(['replay', file, '--format', 'json', ...(until === undefined ? [] : ['--until', until])]),
      replay(events, until === undefined ? {} : { asOf: until }),
    ]);
    expect(result.stderr).toBe('');
    expect(snapshot.customers).toBeGreaterThan(256); // two groups at least
    expect(snapshot.findings.length).toBeGreaterThan(1000);
    expect(result.stdout).toBe(`${JSON.stringify(snapshot, null, 2)}\n`);
  });
});
