import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachLine, LineSplitter } from '../../src/cli/lines.js';

/** The CLI splits lines itself (no promise per line); it must number them exactly as readline did. */
async function readlineLines(chunks: readonly (Buffer | string)[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const text of createInterface({ input: Readable.from(chunks), crlfDelay: Infinity })) lines.push(text);
  return lines;
}

function splitterLines(chunks: readonly (Buffer | string)[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter();
  for (const chunk of chunks) splitter.push(chunk, (text) => lines.push(text));
  splitter.end((text) => lines.push(text));
  return lines;
}

/** Text cut into chunks at the given byte offsets (so a UTF-8 sequence or a \r\n may be cut). */
function cut(bytes: Buffer, at: readonly number[]): Buffer[] {
  const offsets = [...new Set(at.map((n) => n % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const offset of [...offsets, bytes.length]) {
    chunks.push(bytes.subarray(start, offset));
    start = offset;
  }
  return chunks;
}

describe('LineSplitter', () => {
  it('splits as readline does: \\n, \\r\\n, a lone \\r, breaks cut between chunks, no empty last line', async () => {
    const cases: (Buffer | string)[][] = [
      [Buffer.from('a\r'), Buffer.from('\nb')],
      [Buffer.from('a\rb\r\r\nc\n\n')],
      [Buffer.from('{"a":1}'), Buffer.from([0xe2])], // an incomplete character at the end is dropped
      [Buffer.from('x\n\n')],
      [Buffer.from('')],
      ['str\nchunk\r', '', '\nx'],
      [Buffer.from('a\r'), Buffer.from('\r'), Buffer.from('\n')],
      [Buffer.from('é'.repeat(3)).subarray(0, 3), Buffer.from('é'.repeat(3)).subarray(3), Buffer.from('\n')],
    ];
    for (const chunks of cases) expect(splitterLines(chunks)).toEqual(await readlineLines(chunks));
  });

  it('agrees with readline on any text cut anywhere', async () => {
    const text = fc.array(fc.constantFrom('a', 'b', '\n', '\r', 'é', '🐢', '{}', ' '), { maxLength: 40 }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 6 }), async (value, at) => {
        const chunks = cut(Buffer.from(value, 'utf8'), at);
        expect(splitterLines(chunks)).toEqual(await readlineLines(chunks));
      }),
      { numRuns: 300 },
    );
  });

  it('forEachLine numbers the lines from 1 and reports the bytes read', async () => {
    const seen: [string, number][] = [];
    const progress: number[] = [];
    await forEachLine(Readable.from([Buffer.from('a\nb'), Buffer.from('\r\nc')]), (text, line) => seen.push([text, line]), (bytes) => progress.push(bytes));
    expect(seen).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(progress).toEqual([3, 6]);
  });
});
