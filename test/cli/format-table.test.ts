import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTable, TABLE_WIDTH, wrap } from '../../src/cli/format-table.js';
import { displayWidth } from '../../src/display-width.js';
import type { Finding } from '../../src/engine/finding.js';
import { Calendar } from '../../src/time/calendar.js';
import { heedInProcess, line, scratch } from './helpers.js';

/**
 * The table fits an 80-column terminal whatever the ids and messages hold: long ASCII, CJK (two
 * columns a character), emoji (surrogate pairs, ZWJ sequences, flags), combining marks.
 */
const calendar = new Calendar();
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

function expectWithin80Columns(table: string): void {
  for (const text of stripAnsi(table).split('\n')) {
    expect(displayWidth(text), text).toBeLessThanOrEqual(TABLE_WIDTH);
    expect(text).not.toMatch(loneSurrogate);
  }
}

const grapheme = fc.constantFrom('a', 'Z', '7', '-', '.', 'é', 'u\u0308', '洗', '機', 'カ', 'ｈ', '한', '𠀀', '🐢', '👍🏽', '👩‍👩‍👧', '🇩🇪', '❤️', '…');
const text = (maxLength: number, withSpaces: boolean) =>
  fc.array(withSpaces ? fc.oneof(grapheme, fc.constant(' ')) : grapheme, { minLength: 1, maxLength }).map((parts) => parts.join(''));
/** Sentences of words, some all wide (CJK has no spaces), some longer than a line. */
const cjk = fc.array(fc.constantFrom('洗', '機', 'カ', '、', '한'), { minLength: 1, maxLength: 90 }).map((parts) => parts.join(''));
const sentence = fc.array(fc.oneof(text(12, false), cjk), { minLength: 1, maxLength: 30 }).map((words) => words.join(' '));
const finding = fc.record({
  kind: fc.oneof(fc.constant('inattention.gap'), text(60, false)),
  customerId: text(200, false),
  matterId: fc.option(text(120, false), { nil: null }),
  detectedAt: fc.constantFrom('2024-01-03T09:00:00.000Z', '2017-11-21T17:00:00.000Z'),
  severity: fc.constantFrom('info', 'warning', 'breach', 'critical' as const),
  message: fc.oneof(text(400, true), sentence),
  evidence: fc.constant([]),
  details: fc.constant({}),
}) satisfies fc.Arbitrary<Finding>;

describe('formatTable', () => {
  it('keeps every line within 80 display columns, never splitting a character, coloured or not', () => {
    fc.assert(
      fc.property(fc.array(finding, { minLength: 1, maxLength: 6 }), fc.boolean(), (findings, color) => {
        const snapshot = { asOf: '2024-01-10T00:00:00.000Z', customers: findings.length + 1, events: 99, findings, summaries: {} };
        expectWithin80Columns(formatTable(snapshot, calendar, color));
      }),
      { numRuns: 300 },
    );
  });

  it('writes out terminal controls and bidi overrides from the events as \\uXXXX instead of sending them to the terminal', () => {
    const finding: Finding = {
      kind: 'x.bell\u0007',
      customerId: 'evil\u001b[2J',
      matterId: 'm\u202e',
      detectedAt: '2024-01-03T09:00:00.000Z',
      severity: 'warning',
      message: 'hello\u001b]0;pwned\u0007 world\tnext\r\nline \u009b',
      evidence: [],
      details: {},
    };
    const table = formatTable({ asOf: '2024-01-10T00:00:00.000Z', customers: 1, events: 1, findings: [finding], summaries: {} }, calendar, false);
    expect(table.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    for (const shown of ['evil\\u001b[2J', 'x.bell\\u0007', 'm\\u202e', 'hello\\u001b]0;pwned\\u0007 world next line \\u009b']) expect(table).toContain(shown);
    expectWithin80Columns(table);
  });

  it('wraps a message without losing or splitting a character', () => {
    fc.assert(
      fc.property(sentence, (message) => {
        const lines = wrap(message, TABLE_WIDTH - 6);
        for (const piece of lines) expect(displayWidth(piece)).toBeLessThanOrEqual(TABLE_WIDTH - 6);
        expect(lines.join('').replace(/ /g, '')).toBe(message.replace(/ /g, ''));
      }),
      { numRuns: 300 },
    );
  });
});

describe('heed replay --format table', () => {
  const longId = 'c'.repeat(90);
  it.each([
    ['a 90-character customer id', longId, 'Washer', 'm1'],
    ['a long ASCII title without spaces', 'c1', 'x'.repeat(95), 'matter-'.repeat(12)],
    ['a CJK title and matter id', '顧客', '洗濯機が動かない、何度も修理を依頼しているのに全く直らないのでとても困っています。早く直してください。', '修理依頼'.repeat(12)],
    ['an emoji title and customer id', '🐢'.repeat(45), `a${'👍'.repeat(60)}`, `m${'🇩🇪'.repeat(30)}`],
  ])('fits 80 columns with %s', async (_name, customerId, title, matterId) => {
    const dir = scratch({
      'long.jsonl':
        line({ customerId, type: 'MatterOpened', at: '2024-01-01T09:00:00Z', data: { matterId, title } }) +
        line({ customerId, type: 'ContactMade', at: '2024-01-01T10:00:00Z', data: { matterId, direction: 'inbound', channel: 'phone' } }),
    });
    const result = await heedInProcess(['replay', `${dir}/long.jsonl`, '--until', '2024-01-10']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('inattention.gap');
    expectWithin80Columns(result.stdout);
  });

  it('fills the heading of a 90-character customer id to exactly 80 columns', async () => {
    const dir = scratch({ 'long.jsonl': line({ customerId: longId, type: 'MatterOpened', at: '2024-01-01T09:00:00Z', data: { matterId: 'm1' } }) });
    const result = await heedInProcess(['replay', `${dir}/long.jsonl`, '--until', '2024-01-10']);
    const heading = result.stdout.split('\n').find((l) => l.startsWith('── c'));
    expect(heading).toBe(`── ${'c'.repeat(61)}… ─ 1 finding ──`);
    expect(heading?.length).toBe(80);
  });
});
