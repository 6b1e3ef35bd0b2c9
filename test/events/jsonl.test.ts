import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../temp-dir.js';
import { Calendar, EventRegistry, parseJsonl, readLines, UsageError, type LineResult } from '../../src/index.js';

const good = (n: number) => JSON.stringify({ customerId: 'c', type: 'MatterOpened', at: '2017-11-20', data: { matterId: `m${n}` } });

async function collect(source: string | Readable, file: string): Promise<LineResult[]> {
  const out: LineResult[] = [];
  for await (const r of readLines(source, file)) out.push(r);
  return out;
}

describe('JSONL reading', () => {
  it('numbers lines as an editor does, skipping blank lines and // comments', () => {
    const text = ['// a comment', good(1), '', '   ', good(2), '  // indented comment', '{bad json'].join('\n');
    const { events, errors } = parseJsonl(text, 'j.jsonl');
    expect(events.map((e) => e.source)).toEqual([
      { file: 'j.jsonl', line: 2 },
      { file: 'j.jsonl', line: 5 },
    ]);
    expect(errors.map((e) => [e.line, e.rule])).toEqual([[7, 'invalid-json']]);
    expect(String(errors[0])).toMatch(/^j\.jsonl:7: not valid JSON: /);
  });

  it('handles CRLF line endings and a byte-order mark', () => {
    const { events, errors } = parseJsonl(`\ufeff${good(1)}\r\n${good(2)}\r\n`, 'win.jsonl');
    expect(errors).toEqual([]);
    expect(events.map((e) => e.source?.line)).toEqual([1, 2]);
  });

  it('streams a file line by line with the same results as parsing the text', async () => {
    const dir = tempDir('heed-jsonl-');
    const path = join(dir, 'j.jsonl');
    const text = [good(1), '// skip', '[]', good(3)].join('\n');
    writeFileSync(path, text);
    const streamed = await collect(path, 'j.jsonl');
    expect(streamed.map((r) => [r.line, r.ok])).toEqual([
      [1, true],
      [3, false],
      [4, true],
    ]);
    const parsed = parseJsonl(text, 'j.jsonl');
    expect(streamed.flatMap((r) => (r.ok ? [r.event] : []))).toEqual(parsed.events);
  });

  it('reads from a stream such as stdin', async () => {
    const results = await collect(Readable.from([`${good(1)}\n${good(2).slice(0, 20)}`, `${good(2).slice(20)}\n`]), '<stdin>');
    expect(results.map((r) => [r.line, r.ok])).toEqual([
      [1, true],
      [2, true],
    ]);
  });
});

describe('reading options', () => {
  it('refuses an option name it does not know (a misspelt calendar left date-only times at 00:00 UTC), naming it and the known ones', () => {
    expect(() => parseJsonl(good(1), 'j.jsonl', { calender: new Calendar() } as never)).toThrow(
      new UsageError('parseJsonl: unknown option "calender" (the options are "registry", "calendar"). Did you mean "calendar"?', { path: 'calender', rule: 'unknown-field' }),
    );
    // When called, not when first iterated: the mistake is reported where it was made.
    expect(() => readLines(Readable.from([good(1)]), 'j.jsonl', { registery: new EventRegistry() } as never)).toThrow(
      new UsageError('readLines: unknown option "registery" (the options are "registry", "calendar"). Did you mean "registry"?', { path: 'registery', rule: 'unknown-field' }),
    );
    expect(parseJsonl(good(1), 'j.jsonl', { registry: new EventRegistry(), calendar: new Calendar() }).events).toHaveLength(1);
  });
});
