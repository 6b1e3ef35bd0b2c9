import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Calendar, EventRegistry, eventJsonSchema } from '../../src/index.js';
import { parseDateTime } from '../../src/time/instant.js';

type Node = { type?: string; pattern?: string; format?: string; anyOf?: Node[]; properties?: Record<string, Node> };

const registry = new EventRegistry();
const utc = new Calendar();
const schema = eventJsonSchema(registry) as unknown as { properties: { at: Node }; oneOf: { title: string; properties: { data: Node } }[] };

/** The printed schema's verdict on a string at this node. Only `format: "date"` may remain: it says what the pattern says. */
function schemaAccepts(node: Node, value: string): boolean {
  if (node.anyOf !== undefined) return node.anyOf.some((branch) => schemaAccepts(branch, value));
  expect(node.format === undefined || node.format === 'date').toBe(true);
  expect(node.pattern).toBeDefined();
  return node.type === 'string' && new RegExp(node.pattern ?? '', 'u').test(value);
}

function dataField(type: string, field: string): Node {
  const node = schema.oneOf.find((v) => v.title === type)?.properties.data.properties?.[field];
  if (node === undefined) throw new Error(`no ${type}.data.${field} in the schema`);
  return node;
}

/** The parser's verdict: the whole event through the registry, the value in the one field. */
function parserAccepts(type: string, field: string, value: string): boolean {
  const base: Record<string, Record<string, unknown>> = {
    PromiseMade: { promiseId: 'p', what: 'call', dueBy: '9999-12-31T23:59:59Z' },
    PromiseRevised: { promiseId: 'p', dueBy: '9999-12-31T23:59:59Z' },
    SurveySent: { surveyId: 's' },
  };
  const event = field === 'at'
    ? { customerId: 'c', type: 'RelationshipStarted', at: value }
    : { customerId: 'c', type, at: '2024-01-01T00:00:00Z', data: { ...base[type], [field]: value } };
  return registry.validate(event, utc).ok;
}

const INSTANT_FIELDS = [
  ['PromiseMade', 'dueBy'],
  ['PromiseMade', 'windowStart'],
  ['PromiseRevised', 'dueBy'],
  ['PromiseRevised', 'windowStart'],
  ['SurveySent', 'expiresAt'],
] as const;

const EXAMPLES = [
  '2024-01-02T10:00:00Z',
  '2024-01-02T10:00Z', // no seconds: heed accepts, RFC 3339 does not
  '2024-01-02T10:00:00.123456789+05:30',
  '2024-01-02T10:00:00-0700', // offset without a colon
  '2024-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '2024-01-02t10:00:00z', // lowercase: RFC 3339 allows it, heed does not
  '2024-01-02 10:00:00Z',
  '2024-01-02T10:00:00',
  '2024-01-02T24:00:00Z',
  '2024-01-02T10:00:60Z',
  '2024-01-02T10:00:00.1234567890Z',
  '2024-01-02T10:00:00+24:00',
  '2023-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2024-04-31T00:00:00Z',
  '2024-13-01T00:00:00Z',
  '2024-01-02',
  '2024-02-30',
];

describe('the printed JSON Schema of instants agrees with the parser', () => {
  it('marks no instant format: "date-time", which RFC 3339 validators would assert against heed', () => {
    expect(JSON.stringify(schema)).not.toContain('"date-time"');
  });

  it.each(INSTANT_FIELDS)('%s.data.%s', (type, field) => {
    const node = dataField(type, field);
    for (const value of EXAMPLES) expect([value, schemaAccepts(node, value)]).toEqual([value, parserAccepts(type, field, value)]);
  });

  it('at (date-time or date)', () => {
    for (const value of EXAMPLES) expect([value, schemaAccepts(schema.properties.at, value)]).toEqual([value, parserAccepts('', 'at', value)]);
  });

  it('on generated near-valid date-times, out-of-range parts included', () => {
    const pattern = new RegExp(dataField('PromiseMade', 'dueBy').pattern ?? '', 'u');
    const two = (n: number) => String(n).padStart(2, '0');
    const text = fc
      .record({
        year: fc.constantFrom(0, 1900, 2000, 2023, 2024, 2100, 9999),
        month: fc.integer({ min: 0, max: 13 }),
        day: fc.integer({ min: 0, max: 32 }),
        hour: fc.integer({ min: 0, max: 25 }),
        minute: fc.integer({ min: 0, max: 60 }),
        second: fc.option(fc.integer({ min: 0, max: 61 })),
        fraction: fc.option(fc.stringMatching(/^\d{1,10}$/)),
        zone: fc.oneof(fc.constantFrom('Z', 'z', ''), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 60 }), fc.boolean()).map(([s, h, m, colon]) => `${s}${two(h)}${colon ? ':' : ''}${two(m)}`)),
      })
      .map((p) => `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}${p.second === null ? '' : `:${two(p.second)}${p.fraction === null ? '' : `.${p.fraction}`}`}${p.zone}`);
    fc.assert(fc.property(text, (value) => pattern.test(value) === (parseDateTime(value) !== undefined)), { numRuns: 2000 });
  });
});

describe('the printed JSON Schema of sizes agrees with the parser', () => {
  // JSON Schema counts code points, not JavaScript's UTF-16 units: an emoji is one character to both.
  const full = eventJsonSchema(registry) as unknown as { properties: Record<string, { maxLength?: number }> };
  it.each([
    ['customerId', 200],
    ['id', 200],
  ])('%s: at most %i characters, an emoji counting one', (field, max) => {
    expect(full.properties[field]?.maxLength).toBe(max);
    const event = (value: string) => ({ customerId: 'c', type: 'RelationshipStarted', at: '2024-01-01T00:00:00Z', [field]: value });
    expect(registry.validate(event('😀'.repeat(max)), utc).ok).toBe(true);
    expect(registry.validate(event('😀'.repeat(max + 1)), utc).ok).toBe(false);
    expect(registry.validate(event('x'.repeat(max + 1)), utc).ok).toBe(false);
  });

  it('free text: at most 10,000 characters, an emoji counting one', () => {
    expect(dataField('MatterOpened', 'title')).toMatchObject({ maxLength: 10_000 });
    const event = (title: string) => ({ customerId: 'c', type: 'MatterOpened', at: '2024-01-01T00:00:00Z', data: { matterId: 'm', title } });
    expect(registry.validate(event('😀'.repeat(10_000)), utc).ok).toBe(true);
    expect(registry.validate(event('😀'.repeat(10_001)), utc).ok).toBe(false);
  });
});

describe('the printed schema’s description', () => {
  it('points to what a user of the package has (the README), not the repository’s design notes, which neither the package nor the repository holds', () => {
    const { description } = eventJsonSchema(registry) as { description: string };
    expect(description).toBe('One customer-relationship event (one JSONL line). See the README of the heed package, § Events.');
  });
});
