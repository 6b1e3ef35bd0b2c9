import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../temp-dir.js';
import { ByteBatch } from '../../src/cli/byte-batch.js';
import { mergeRuns } from '../../src/cli/merge-runs.js';
import { compareRecords, memoryRun, RunReader, writeRun, type OutputRecord } from '../../src/cli/runs.js';

const dir = tempDir('heed-runs-');

const text = (record: OutputRecord): string => (typeof record.text === 'string' ? record.text : Buffer.from(record.text).toString('utf8'));

function readAll(path: string): OutputRecord[] {
  const reader = new RunReader(path);
  const records: OutputRecord[] = [];
  for (let record = reader.next(); record !== undefined; record = reader.next()) records.push(record);
  return records;
}

describe('run files', () => {
  // Keys the merge compares must come back exactly, lone surrogates included; texts are output bytes.
  const tricky = ['', 'c1', 'ünïcødé 🐢', 'line\nbreak "quoted" \\', '\u2028\u0000\u001f', '\ud800', 'a\udc00b', '\uffff'];
  const records: OutputRecord[] = [
    ...tricky.map((key, i) => ({ a: key, b: tricky[(i + 3) % tricky.length] as string, c: `k${i}`, text: `{"x": ${JSON.stringify(key)}}` })),
    // Larger than a read: a record split across refills.
    { a: '2017-11-20T00:00:00.000Z', b: 'big', c: 'kind', text: 'é'.repeat(300_000) },
    { a: '2017-11-20T00:00:00.000Z', b: 'bytes', c: '', text: Buffer.from('already encoded ✓\n', 'utf8') },
    { a: 'z', b: '', c: '', text: '' },
  ];

  it('give back every record: keys exactly, text as its UTF-8 bytes', () => {
    const path = join(dir, 'tricky.run');
    writeRun(path, records);
    const back = readAll(path);
    expect(back.map(({ a, b, c }) => ({ a, b, c }))).toEqual(records.map(({ a, b, c }) => ({ a, b, c })));
    expect(back.map((record) => Buffer.from(record.text as Uint8Array))).toEqual(records.map((record) => Buffer.from(record.text as string)));
  });

  it('keep each text valid after later reads', () => {
    const path = join(dir, 'many.run');
    const many = Array.from({ length: 5_000 }, (_, i) => ({ a: String(i).padStart(5, '0'), b: 'c', c: 'k', text: `record ${i} ${'x'.repeat(i % 300)}\n` }));
    writeRun(path, many);
    expect(readAll(path).map(text)).toEqual(many.map((record) => record.text));
  });

  it('refuse a file cut inside a record', () => {
    const path = join(dir, 'cut.run');
    writeRun(path, [{ a: 'a', b: 'b', c: 'c', text: 'hello' }]);
    const whole = readFileSync(path);
    for (const cut of [10, whole.length - 1]) {
      writeFileSync(path, whole.subarray(0, cut));
      expect(() => readAll(path)).toThrow('a run file ends inside a record');
    }
  });

  it('merge with in-memory runs into one order, ties kept in run order', () => {
    const x = [
      { a: '1', b: 'a', c: '', text: 'x1 ' },
      { a: '3', b: 'a', c: '', text: 'x3 ' },
    ];
    const y = [
      { a: '1', b: 'a', c: '', text: 'y1 ' },
      { a: '2', b: '\ud800', c: '', text: 'y2 ' },
    ];
    writeRun(join(dir, 'x.run'), x);
    const merged = [...mergeRuns([new RunReader(join(dir, 'x.run')), memoryRun(y)])];
    expect(merged.map(text).join('')).toBe('x1 y1 y2 x3 ');
    expect([...merged].sort(compareRecords).map(text)).toEqual(merged.map(text));
  });
});

describe('ByteBatch', () => {
  it('gathers text and bytes as the UTF-8 a stream would write, lone surrogates as U+FFFD', () => {
    const pieces = ['plain ', '\ud83d\udc22 ', Buffer.from('bytes '), '\ud800 lone', 'x'.repeat(70), 'é'.repeat(40), ''];
    const batch = new ByteBatch(16);
    const out: Buffer[] = [];
    for (const piece of pieces) {
      batch.add(piece);
      if (batch.full) out.push(batch.take());
    }
    if (!batch.empty) out.push(batch.take());
    expect(Buffer.concat(out)).toEqual(Buffer.concat(pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece))));
    // Every buffer handed out is its own: later pieces never overwrite it.
    expect(out.map((bytes) => bytes.length).every((length) => length > 0)).toBe(true);
    expect(out[0]?.toString('utf8')).toBe('plain \ud83d\udc22 bytes ');
  });
});
