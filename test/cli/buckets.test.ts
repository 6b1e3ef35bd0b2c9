import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { bucketOf, EventBuckets, spillBucketsFromEnv } from '../../src/cli/buckets.js';
import { EventCodec } from '../../src/cli/event-codec.js';
import { Calendar, EventRegistry, type ValidEvent } from '../../src/index.js';

const registry = new EventRegistry().register('Nudged', z.strictObject({ when: z.string().transform((s) => new Date(s)) }), 'plugin');
const options = { registry, calendar: new Calendar({ timeZone: 'America/Denver' }) };

/** Validate lines as the CLI's first pass does (file and line kept on each event). */
function events(lines: readonly object[], file = 'in.jsonl'): { event: ValidEvent; text: string }[] {
  return lines.map((raw, index) => {
    const text = JSON.stringify(raw).replace('"waitMinutes":0', '"waitMinutes":-0');
    const result = registry.validate(JSON.parse(text), options.calendar, { file, line: index + 1 });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    return { event: result.event, text };
  });
}

/** Equal, field order included (what JSON output and hidden classes would see). */
function same(a: ValidEvent, b: ValidEvent): void {
  expect(b).toEqual(a);
  expect(Object.keys(b)).toEqual(Object.keys(a));
  expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  expect(Object.is((b.data as { waitMinutes?: number }).waitMinutes, (a.data as { waitMinutes?: number }).waitMinutes)).toBe(true);
  expect(b.type === a.type).toBe(true);
}

const sample = events([
  { customerId: 'c1', type: 'MatterOpened', at: '2017-11-20', data: { matterId: 'm' } }, // date only, default severity
  { id: 'x', customerId: 'c1', type: 'ContactMade', at: '2017-11-20T09:00:00-07:00', data: { direction: 'inbound', channel: 'phone', waitMinutes: 0 } },
  { customerId: 'c2', type: 'ContactMade', at: '2017-11-21T09:00:00Z', data: { direction: 'outbound', channel: 'email' }, meta: { ['__proto__']: 1, s: '\ud800 lone', n: [1.5e300, null] } },
  { customerId: 'c2 🐢 "q"\n', type: 'Nudged', at: '2017-11-22T09:00:00Z', data: { when: '2017-11-23T00:00:00Z' } }, // plugin type: Date in data
]);

describe('EventCodec', () => {
  it('gives back the very event that was validated: fields, order, time, source, -0, plugin payloads', () => {
    const codec = new EventCodec(options);
    for (const { event, text } of sample) {
      const line = codec.encode(event, text);
      expect(line).not.toContain('\n');
      same(event, codec.decode(line));
    }
    expect((codec.decode(codec.encode(sample[3]!.event, sample[3]!.text)).data as { when: unknown }).when).toBeInstanceOf(Date);
  });
});

describe('EventBuckets', () => {
  it('keeps a small input in memory, as one bucket in input order', () => {
    const buckets = new EventBuckets({ codec: new EventCodec(options), makeDir: () => expect.unreachable(), knownBytes: 100, stdin: false });
    for (const { event, text } of sample) buckets.add(event, text);
    expect(buckets.spilled).toBe(false);
    expect([...buckets.buckets()]).toEqual([sample.map((s) => s.event)]);
  });

  it('spills past its size into files: each customer whole in one bucket, in input order, files deleted once read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-buckets-'));
    const many = events(
      Array.from({ length: 300 }, (_, i) => ({ customerId: `c${i % 37}`, type: 'ContactMade', at: `2017-11-${String(1 + (i % 28)).padStart(2, '0')}T09:00:00Z`, data: { direction: 'inbound', channel: 'phone', waitMinutes: i % 3 === 0 ? 0 : i } })),
    );
    const buckets = new EventBuckets({ codec: new EventCodec(options), makeDir: () => dir, knownBytes: 30_000, stdin: false, bucketChars: 5_000 });
    for (const { event, text } of many) buckets.add(event, text);
    expect(buckets.spilled).toBe(true);
    expect(buckets.count).toBe(6);
    const seen: ValidEvent[] = [];
    const owner = new Map<string, number>();
    let index = 0;
    for (const bucket of buckets.buckets()) {
      expect(readdirSync(dir)).toHaveLength(buckets.count - 1 - index);
      for (const event of bucket) {
        expect(owner.get(event.customerId) ?? index).toBe(index);
        owner.set(event.customerId, index);
      }
      seen.push(...bucket);
      index++;
    }
    expect(readdirSync(dir)).toEqual([]);
    // Within a customer, input order; and every event back exactly.
    const byLine = (list: readonly ValidEvent[]) => [...list].sort((a, b) => (a.source?.line ?? 0) - (b.source?.line ?? 0));
    byLine(seen).forEach((event, i) => same(many[i]!.event, event));
    for (const customer of owner.keys()) {
      const lines = seen.filter((e) => e.customerId === customer).map((e) => e.source?.line ?? 0);
      expect(lines).toEqual([...lines].sort((a, b) => a - b));
    }
    expect(existsSync(dir)).toBe(true);
  });

  it('hashes customer ids stably, and reads the bucket count to force only from a whole number', () => {
    expect(bucketOf('c00001', 22)).toBe(bucketOf('c00001', 22));
    expect(new Set(Array.from({ length: 1000 }, (_, i) => bucketOf(`c${i}`, 8))).size).toBe(8);
    expect(spillBucketsFromEnv({ HEED_REPLAY_BUCKETS: '3' })).toBe(3);
    for (const value of [undefined, '', '0', '-1', '2.5', 'x', '100000']) expect(spillBucketsFromEnv(value === undefined ? {} : { HEED_REPLAY_BUCKETS: value })).toBeUndefined();
  });
});
