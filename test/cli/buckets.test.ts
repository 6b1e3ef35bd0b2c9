import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../temp-dir.js';
import { bucketOf, LineBuckets, spillBucketsFromEnv } from '../../src/cli/buckets.js';
import { LineCodec } from '../../src/cli/line-codec.js';
import { bucketKey, Latest, routeLine } from '../../src/cli/route-line.js';
import { Calendar, EventRegistry } from '../../src/index.js';
import { parseLine } from '../../src/events/jsonl.js';

const calendar = new Calendar({ timeZone: 'America/Denver' });
const options = { registry: new EventRegistry(), calendar };
const contact = (customerId: string, day: number, extra: object = {}) =>
  JSON.stringify({ customerId, type: 'ContactMade', at: `2017-11-${String(day).padStart(2, '0')}T09:00:00Z`, data: { direction: 'inbound', channel: 'phone' }, ...extra });

describe('LineCodec', () => {
  it('gives back exactly what parsing the line where it was read gives: the event, or its problems', () => {
    const codec = new LineCodec(options);
    const lines = [contact('c1', 1), contact('c 🐢 "q"', 2, { id: 'x', meta: { ['__proto__']: 1, n: -0 } }), '{"customerId":', '{"customerId":"c","type":"Nope","at":"2017-13-01"}'];
    lines.forEach((text, index) => {
      for (const file of ['a.jsonl', '<stdin>', 'dir with space/b.jsonl']) {
        const record = codec.encode(text, index + 7, file);
        expect(record).not.toContain('\n');
        expect(codec.decode(record)).toEqual(parseLine(text, index + 7, file, options));
      }
    });
  });
});

describe('routeLine', () => {
  const expected = (text: string) => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return { customerId: undefined, at: undefined };
    }
    const { customerId, at } = (typeof raw === 'object' && raw !== null ? raw : {}) as { customerId?: unknown; at?: unknown };
    return { customerId: typeof customerId === 'string' ? customerId : undefined, at: typeof at === 'string' ? at : undefined };
  };

  /** Exact for whatever a line has at the top level (an event without them is invalid and reported later). */
  const agrees = (text: string) => {
    const want = expected(text);
    const got = routeLine(text);
    if (want.customerId !== undefined) expect(got.customerId).toBe(want.customerId);
    if (want.at !== undefined) expect(got.at).toBe(want.at);
  };

  it('finds the top-level customerId and at however the line is written', () => {
    const lines = [
      contact('c1', 1),
      '{"at":"2017-11-20","customerId":"c2","type":"MatterOpened"}',
      '{ "customerId" : "c3", "at" : "2017-11-20T06:00:00-07:00" }',
      '{"meta":{"customerId":"fake","at":"2001-01-01T00:00:00Z"},"customerId":"real","at":"2017-11-20T00:00:00Z"}',
      '{"custom\\u0065rId":"real","meta":{"customerId":"fake"},"at":"2017-11-20T00:00:00Z"}',
      '{"x\\"customerId":"fake","customerId":"real","at":"2017-11-20T00:00:00Z"}',
      '{"customerId":"a\\"b","at":"2017-11-20T00:00:00Z"}',
      '{"customerId":"caf\\u00e9","at":"2017-11-20T00:00:00Z"}',
      '{"customerId":"café","at":"2017-11-20T00:00:00Z"}',
      '{"customerId":7,"at":"2017-11-20T00:00:00Z"}',
      '{"customerId":"c","at":"not a time","data":{"what":"at"}}',
      '{"customerId":"c"}',
      '["customerId","at"]',
      'null',
      '{"customerId":"c","at":"2017-11-20T00:00:00Z"',
    ];
    for (const text of lines) agrees(text);
    // The usual line takes the shortcut; a line without a top-level customerId is invalid anyway, so where it goes does not matter.
    expect(routeLine('{"meta":{"customerId":"nested"},"at":"2017-11-20"}').customerId).toBe('nested');
  });

  it('agrees with JSON.parse on any event written any way', () => {
    const key = fc.constantFrom('customerId', 'at', 'custom\\u0065rId', 'a\\u0074', 'x', 'meta');
    const value = fc.oneof(fc.constantFrom('c1', 'at', 'customerId', '2017-11-20', '2017-11-20T00:00:00Z', 'a\\"b', 'caf\\u00e9'), fc.string({ maxLength: 4 }));
    const member = fc.tuple(key, value, fc.constantFrom('', ' '), fc.boolean()).map(([k, v, space, nested]) =>
      nested ? `"meta":{"${k}":"${v}"}` : `"${k}"${space}:${space}"${v.replaceAll('"', '')}"`,
    );
    fc.assert(
      fc.property(fc.array(member, { maxLength: 6 }), (members) => {
        agrees(`{${members.join(',')}}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Latest', () => {
  it('is the latest instant of all the `at` values it saw, however written (all valid: with an invalid one nothing is evaluated)', () => {
    const at = fc.oneof(
      fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')),
      fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('2017-11-20', '2017-11-20T23:30:00-07:00', '2031-01-01T00:00:00+14:00', '2017-11-20T06:00Z', '2017-11-20T06:00:00.5Z'),
    );
    fc.assert(
      fc.property(fc.array(at, { maxLength: 12 }), (values) => {
        const latest = new Latest(calendar);
        for (const value of values) latest.add(value);
        const times = values.map((value) => calendar.parseInstant(value)).filter((t) => t !== undefined);
        expect(latest.time()).toBe(times.length === 0 ? undefined : Math.max(...times));
      }),
    );
  });
});

describe('LineBuckets', () => {
  it('keeps a small input in memory, as one bucket in input order', () => {
    const buckets = new LineBuckets({ makeDir: () => expect.unreachable(), knownBytes: 100, stdin: false });
    ['a', 'b', 'a'].forEach((customer, i) => buckets.add(customer, `record ${i}`));
    expect(buckets.spilled).toBe(false);
    expect([...buckets.buckets()]).toEqual([['record 0', 'record 1', 'record 2']]);
  });

  it('spreads lines without a customer id over the buckets, so a broken export does not fill one bucket', () => {
    const dir = tempDir('heed-buckets-');
    const buckets = new LineBuckets({ makeDir: () => dir, knownBytes: 30_000, stdin: false, bucketChars: 5_000 });
    // Every line misspells the key: routeLine finds no customer in any of them.
    const lines = Array.from({ length: 600 }, (_, i) => JSON.stringify({ customer_id: `c${i % 37}`, type: 'ContactMade', at: '2017-11-20T09:00:00Z', pad: 'x'.repeat(20) }));
    lines.forEach((text, i) => buckets.add(bucketKey(routeLine(text), i + 1), text));
    const sizes = [...buckets.buckets()].map((bucket) => bucket.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(600);
    expect(buckets.count).toBeGreaterThan(2);
    expect(Math.max(...sizes)).toBeLessThan(600 / 2);
    // A line with a customer id keeps it as its key.
    expect(bucketKey(routeLine(contact('c1', 1)), 7)).toBe('c1');
  });

  it('spills past its size into files: each customer whole in one bucket, in input order, files deleted once read', () => {
    const dir = tempDir('heed-buckets-');
    const buckets = new LineBuckets({ makeDir: () => dir, knownBytes: 30_000, stdin: false, bucketChars: 5_000 });
    const records = Array.from({ length: 600 }, (_, i) => ({ customer: `c${i % 37}`, record: `${i} ${'x'.repeat(40)} é🐢` }));
    for (const { customer, record } of records) buckets.add(customer, record);
    expect(buckets.spilled).toBe(true);
    expect(buckets.count).toBe(6);
    const owner = new Map<string, number>();
    const seen: string[] = [];
    let index = 0;
    for (const bucket of buckets.buckets()) {
      expect(readdirSync(dir)).toHaveLength(buckets.count - 1 - index);
      for (const record of bucket) {
        const customer = `c${Number(record.split(' ')[0]) % 37}`;
        expect(owner.get(customer) ?? index).toBe(index);
        owner.set(customer, index);
        expect(bucketOf(customer, buckets.count)).toBe(index);
      }
      // Input order within a bucket.
      const numbers = bucket.map((record) => Number(record.split(' ')[0]));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      seen.push(...bucket);
      index++;
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(seen.sort()).toEqual(records.map((r) => r.record).sort());
  });

  it('spills a stdin of unknown size into many buckets, and hashes customer ids stably', () => {
    const dir = tempDir('heed-buckets-');
    const buckets = new LineBuckets({ makeDir: () => dir, knownBytes: 0, stdin: true, bucketChars: 100 });
    for (let i = 0; i < 20; i++) buckets.add(`c${i}`, 'x'.repeat(10));
    expect(buckets.count).toBe(64);
    expect(bucketOf('c00001', 22)).toBe(bucketOf('c00001', 22));
    expect(new Set(Array.from({ length: 1000 }, (_, i) => bucketOf(`c${i}`, 8))).size).toBe(8);
  });

  it('reads the bucket count to force only from a whole number', () => {
    expect(spillBucketsFromEnv({ HEED_REPLAY_BUCKETS: '3' })).toBe(3);
    for (const value of [undefined, '', '0', '-1', '2.5', 'x', '100000']) expect(spillBucketsFromEnv(value === undefined ? {} : { HEED_REPLAY_BUCKETS: value })).toBeUndefined();
  });
});
