import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coreEventTypes, lifecycleErrors, parseJsonl, readLines, type ValidEvent } from '../../src/index.js';
import { generateLines, writeJourneys } from '../../bench/generate.js';

const lines = generateLines({ events: 6_000, seed: 7 });
const { events, errors } = parseJsonl(lines.join('\n'), 'bench.jsonl');

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe('bench generator', () => {
  it('emits exactly the requested number of events, each valid against the schemas', () => {
    expect(lines).toHaveLength(6_000);
    expect(errors.map(String)).toEqual([]);
    expect(events).toHaveLength(6_000);
  });

  it('emits journeys that respect every lifecycle rule', () => {
    expect(lifecycleErrors(events).map(String)).toEqual([]);
  });

  it('uses every core event type', () => {
    const types = countBy(events, (e) => e.type);
    for (const type of coreEventTypes) expect(types.get(type) ?? 0, type).toBeGreaterThan(0);
  });

  it('spreads events over the customers with a heavy tail of busy ones', () => {
    const perCustomer = countBy(events, (e) => e.customerId);
    expect(perCustomer.size).toBe(600);
    expect(Math.min(...perCustomer.values())).toBeGreaterThanOrEqual(1);
    expect(Math.max(...perCustomer.values())).toBeGreaterThan(5 * (6_000 / 600));
  });

  it('gives most customers several matters and promises at the 1M set\'s density (100 events each)', () => {
    const dense = parseJsonl(generateLines({ events: 10_000, customers: 100, seed: 7 }).join('\n')).events;
    const matters = countBy(dense.filter((e) => e.type === 'MatterOpened'), (e) => e.customerId);
    const promises = countBy(dense.filter((e) => e.type === 'PromiseMade'), (e) => e.customerId);
    expect([...matters.values()].filter((n) => n >= 3).length).toBeGreaterThan(70);
    expect([...promises.values()].filter((n) => n >= 3).length).toBeGreaterThan(70);
    expect(lifecycleErrors(dense)).toEqual([]);
  });

  it('is seeded: the same seed gives the same lines, another seed other lines', () => {
    expect(generateLines({ events: 500, seed: 7 })).toEqual(generateLines({ events: 500, seed: 7 }));
    expect(generateLines({ events: 500, seed: 8 })).not.toEqual(generateLines({ events: 500, seed: 7 }));
  });

  it('writes some events out of time order, so readers must sort each stream', () => {
    const late = events.filter((e, i) => i > 0 && e.time < (events[i - 1] as ValidEvent).time);
    expect(late.length).toBeGreaterThan(0);
    expect(late.length).toBeLessThan(events.length * 0.05);
  });

  describe('writeJourneys', () => {
    let dir: string | undefined;
    afterAll(async () => {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    });

    it('writes the same journeys as a JSONL file the heed reader accepts', async () => {
      dir = await mkdtemp(join(tmpdir(), 'heed-bench-'));
      const file = join(dir, 'journeys.jsonl');
      const written = await writeJourneys(file, { events: 2_000, seed: 7 });
      expect(written).toEqual({ events: 2_000, customers: 200 });
      const read: ValidEvent[] = [];
      for await (const result of readLines(file, 'journeys.jsonl')) {
        expect(result.ok).toBe(true);
        if (result.ok) read.push(result.event);
      }
      expect(read.map((e) => JSON.stringify({ id: e.id, at: e.at }))).toEqual(
        generateLines({ events: 2_000, seed: 7 }).map((l) => {
          const { id, at } = JSON.parse(l) as { id: string; at: string };
          return JSON.stringify({ id, at });
        }),
      );
      expect(lifecycleErrors(read)).toEqual([]);
    });
  });
});
