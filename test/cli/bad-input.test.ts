import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELD_PROBLEMS } from '../../src/cli/problem-list.js';
import { heed, line, scratch } from './helpers.js';

/**
 * Invalid input or configuration: exit 1, every problem as `file:line: message` on stderr, and
 * nothing written to stdout or to --out.
 */
const open = { id: 'e1', customerId: 'c1', type: 'MatterOpened', at: '2024-01-02T09:00:00Z', data: { matterId: 'm' } };
const bad = [
  '// a comment line is skipped\n',
  line(open), // 2
  '{"customerId":"c1","type":"MatterOpened","at":\n', // 3: malformed JSON
  line(open), // 4: an identical retry of line 2: skipped, not a problem
  line({ customerId: 'c1', type: 'MatterOpend', at: '2024-01-02T10:00:00Z', data: { matterId: 'x' } }), // 5: unknown type
  line({ customerId: 'c1', at: '2024-01-02T10:00:00Z', data: { matterId: 'x' } }), // 6: missing field
  line({ customerId: 'c1', type: 'MatterResolved', at: '2024-02-30T09:00:00Z', data: { matterId: 'm' } }), // 7: bad date
  line({ customerId: 'c1', type: 'MatterResolved', at: '2024-01-03T09:00:00Z', data: { matterId: 'm' } }), // 8
  line({ customerId: 'c1', type: 'MatterResolved', at: '2024-01-04T09:00:00Z', data: { matterId: 'm' } }), // 9: lifecycle
  line({ ...open, data: { matterId: 'other' } }), // 10: same id, different payload
  line({ customerId: 'c2', type: 'MatterOpened', at: '2024-01-02T09:00:00Z', data: null }), // 11: data not an object
  '\n',
].join('');

const expectedLines = (file: string) => [
  `${file}:3: not valid JSON`,
  `${file}:5: type: unknown event type "MatterOpend". Did you mean "MatterOpened"?`,
  `${file}:6: type: required field is missing`,
  `${file}:7: at: expected an ISO-8601 date-time`,
  `${file}:9: data.matterId: cannot resolve matter "m": it is resolved (line 8; record MatterReopened first)`,
  `${file}:10: id: event id "e1" is used by an earlier event (${file}:2) with a different payload`,
  // One problem: not also "data.matterId: required field is missing".
  `${file}:11: data: expected object, got null`,
];

function expectProblems(stderr: string, prefixes: readonly string[], summary: string): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(prefixes.length + 1);
  prefixes.forEach((prefix, i) => expect(lines[i]).toContain(prefix));
  expect(lines.at(-1)).toBe(summary);
}

describe.concurrent('bad input', () => {
  it.each(['replay', 'validate'])('%s lists every problem with its line, in line order, and exits 1', async (verb) => {
    const dir = scratch({ 'bad.jsonl': bad });
    const file = join(dir, 'bad.jsonl');
    const result = await heed([verb, file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expectProblems(result.stderr, expectedLines(file), `heed: 7 problems in ${file}; nothing was written`);
  });

  it('writes out control characters the input quotes (an escape sequence in an id) instead of sending them to the terminal', async () => {
    const dir = scratch({ 'evil.jsonl': line({ customerId: 'c\u001b[2J', type: 'MatterResolved', at: '2024-01-03T09:00:00Z', data: { matterId: 'm\u001b]0;x\u0007' } }) });
    const result = await heed(['validate', join(dir, 'evil.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(result.stderr).toContain('matter "m\\u001b]0;x\\u0007" was never opened');
  });

  it('suggests the field meant for an unknown field of the data, on its problem line', async () => {
    const result = await heed(['validate', '-'], { stdin: line({ customerId: 'c1', type: 'PromiseMade', at: '2024-01-02T09:00:00Z', data: { promiseId: 'p', what: 'w', dueAtt: '2024-01-03T09:00:00Z' } }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      '<stdin>:1: data.dueBy: required field is missing (expected string)\n<stdin>:1: data.dueAtt: unknown field (not part of PromiseMade; free-form context belongs in meta). Did you mean "dueBy"?\nheed: 2 problems in stdin; nothing was written\n',
    );
  });

  it('reads stdin (-) the same way and names it <stdin>', async () => {
    const result = await heed(['replay', '-'], { stdin: bad });
    expect(result.code).toBe(1);
    expectProblems(result.stderr, expectedLines('<stdin>'), 'heed: 7 problems in stdin; nothing was written');
  });

  it('writes nothing to --out, for replay and for report', async () => {
    const dir = scratch({ 'bad.jsonl': bad });
    const replay = await heed(['replay', join(dir, 'bad.jsonl'), '--format', 'json', '--out', join(dir, 'out.json')]);
    const report = await heed(['report', join(dir, 'bad.jsonl'), '--out', join(dir, 'report.html')]);
    expect([replay.code, report.code]).toEqual([1, 1]);
    expect(existsSync(join(dir, 'out.json')) || existsSync(join(dir, 'report.html'))).toBe(false);
  });

  it('does not report an identical retried line, even one that would break the lifecycle if counted', async () => {
    const dir = scratch({ 'retry.jsonl': line(open) + line(open) + line({ ...open, id: 'e2', type: 'MatterResolved', at: '2024-01-03T09:00:00Z' }) + line(open) });
    const result = await heed(['validate', join(dir, 'retry.jsonl')]);
    expect(result).toEqual({ code: 0, stdout: 'ok: 2 events, 1 customer, no problems\n', stderr: '' });
  });

  it('reports a lifecycle error once when its line is retried identically', async () => {
    const resolve = (id: string, at: string) => line({ id, customerId: 'c1', type: 'MatterResolved', at, data: { matterId: 'm' } });
    const dir = scratch({ 'twice.jsonl': line(open) + resolve('r1', '2024-01-03T09:00:00Z') + resolve('r2', '2024-01-04T09:00:00Z') + resolve('r2', '2024-01-04T09:00:00Z') });
    const file = join(dir, 'twice.jsonl');
    const result = await heed(['validate', file]);
    expect(result.code).toBe(1);
    expectProblems(result.stderr, [`${file}:3: data.matterId: cannot resolve matter "m": it is resolved (line 2; record MatterReopened first)`], `heed: 1 problem in ${file}; nothing was written`);
  });

  it('checks the lifecycle in time order across lines, naming the line of the offending event', async () => {
    // Line 1 resolves a matter that (in time) is opened only later, by line 2.
    const dir = scratch({
      'order.jsonl': line({ customerId: 'c', type: 'MatterResolved', at: '2024-01-01T09:00:00Z', data: { matterId: 'm' } }) + line({ customerId: 'c', type: 'MatterOpened', at: '2024-01-02T09:00:00Z', data: { matterId: 'm' } }),
    });
    const file = join(dir, 'order.jsonl');
    const result = await heed(['replay', file]);
    expect(result.code).toBe(1);
    expectProblems(result.stderr, [`${file}:1: data.matterId: `], `heed: 1 problem in ${file}; nothing was written`);
    expect(result.stderr).toContain('matter "m" was never opened');
  });

  it('lists problems of several files in argument order', async () => {
    const dir = scratch({ 'b.jsonl': '{oops\n', 'a.jsonl': '\n\n[1]\n' });
    const [b, a] = [join(dir, 'b.jsonl'), join(dir, 'a.jsonl')];
    const result = await heed(['validate', b, a]);
    expect(result.code).toBe(1);
    expectProblems(result.stderr, [`${b}:1: not valid JSON`, `${a}:3: an event must be a JSON object, got an array`], 'heed: 2 problems in 2 files; nothing was written');
  });

  it.each(['replay', 'validate', 'report'])('%s counts a file given twice once in the summary, and says it was given twice', async (verb) => {
    const opened = line({ customerId: 'c', type: 'MatterOpened', at: '2024-01-02T09:00:00Z', data: { matterId: 'm' } });
    const dir = scratch({ 'a.jsonl': opened, 'b.jsonl': '{oops\n' });
    const [a, b] = [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')];
    const out = verb === 'report' ? ['--out', join(dir, 'report.html')] : [];
    const twice = await heed([verb, a, a, ...out]);
    expect(twice.code).toBe(1);
    expectProblems(twice.stderr, [`${a}:1: data.matterId: matter "m" was already opened (line 1 of ${a} read before: it was given twice)`], `heed: 1 problem in ${a} (given twice); nothing was written`);
    // Among other files, and spelt another way (./a.jsonl): the same file all the same.
    const among = await heed([verb, a, b, `${dir}/./a.jsonl`, a, ...out]);
    expect(among.code).toBe(1);
    expect(among.stderr.trimEnd().split('\n').at(-1)).toBe(`heed: 3 problems in 2 files (${a} given 3 times); nothing was written`);
  });

  it.each(['replay', 'validate', 'report'])('%s says a file spelt two ways (a.jsonl ./a.jsonl) was given twice, as its summary counts it, rather than pointing at the other spelling', async (verb) => {
    const opened = line({ customerId: 'c', type: 'MatterOpened', at: '2024-01-02T09:00:00Z', data: { matterId: 'm' } });
    const dir = scratch({ 'a.jsonl': opened });
    const out = verb === 'report' ? ['--out', 'report.html'] : [];
    const result = await heed([verb, 'a.jsonl', './a.jsonl', ...out], { cwd: dir });
    expect(result.code).toBe(1);
    expectProblems(
      result.stderr,
      ['./a.jsonl:1: data.matterId: matter "m" was already opened (line 1 of a.jsonl read before: it was given twice)'],
      'heed: 1 problem in a.jsonl (given twice); nothing was written',
    );
  });

  it('lists every problem, however many, in line order (CONTRACT §4): the same with buckets spilled and with worker threads', async () => {
    // 70 problems over several customers (so several buckets): malformed lines, unknown types and,
    // found only once each stream is read, lifecycle errors early in the file.
    const lines: string[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 70; i++) {
      const n = lines.length + 1;
      if (i % 3 === 0) {
        lines.push('{\n');
        expected.push(`${n}: not valid JSON`);
      } else if (i % 3 === 1) {
        lines.push(line({ customerId: `c${i}`, type: 'MatterResolved', at: '2024-01-02T09:00:00Z', data: { matterId: 'm' } }));
        expected.push(`${n}: data.matterId: matter "m" was never opened in this stream`);
      } else {
        lines.push(line(open));
        lines.push(line({ customerId: `c${i}`, type: 'MatterOpend', at: '2024-01-02T10:00:00Z', data: { matterId: 'x' } }));
        expected.push(`${n + 1}: type: unknown event type "MatterOpend"`);
      }
    }
    const dir = scratch({ 'many.jsonl': lines.join('') });
    const file = join(dir, 'many.jsonl');
    const plain = await heed(['validate', file]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toBe('');
    expectProblems(plain.stderr, expected.map((text) => `${file}:${text}`), `heed: 70 problems in ${file}; nothing was written`);
    for (const env of [{ HEED_REPLAY_BUCKETS: '4' }, { HEED_REPLAY_BUCKETS: '4', HEED_REPLAY_WORKERS: '2' }]) {
      for (const verb of ['validate', 'replay']) {
        const result = await heed([verb, file], { env });
        expect({ verb, env, ...result }).toEqual({ verb, env, code: 1, stdout: '', stderr: plain.stderr });
      }
    }
  });

  it('lists every problem past the ones held in memory (spilled as sorted runs): a lifecycle error on line 1 first, the same with workers', async () => {
    // Line 1 resolves a matter never opened (found only after every line is read), then more
    // malformed lines than are held in memory, in one bucket, then one more lifecycle error.
    const count = HELD_PROBLEMS * 2 + 100;
    const resolve = line({ customerId: 'c', type: 'MatterResolved', at: '2024-01-01T09:00:00Z', data: { matterId: 'm' } });
    const dir = scratch({ 'early.jsonl': resolve + '{\n'.repeat(count) + resolve });
    const file = join(dir, 'early.jsonl');
    const result = await heed(['validate', file]);
    const lines = result.stderr.trimEnd().split('\n');
    expect(result.code).toBe(1);
    expect(lines).toHaveLength(count + 3);
    expect(lines[0]).toBe(`${file}:1: data.matterId: matter "m" was never opened in this stream`);
    expect(lines.slice(1, count + 1).map((text) => text.split(': ')[0])).toEqual(Array.from({ length: count }, (_, i) => `${file}:${i + 2}`));
    expect(lines[count + 1]).toBe(`${file}:${count + 2}: data.matterId: matter "m" was never opened in this stream`);
    expect(lines.at(-1)).toBe(`heed: ${count + 2} problems in ${file}; nothing was written`);
    const workers = await heed(['validate', file], { env: { HEED_REPLAY_BUCKETS: '2', HEED_REPLAY_WORKERS: '2' } });
    expect(workers).toEqual(result);
    const report = await heed(['report', file, '--out', join(dir, 'report.html')]);
    expect(report).toEqual(result);
  });

  it('reports a UTF-16 file (PowerShell 5 writes one with >) as one problem naming its encoding, not one "not valid JSON" per line', async () => {
    const dir = scratch({ 'ok.jsonl': line(open) });
    const utf16 = join(dir, 'utf16.jsonl');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(line(open).repeat(3), 'utf16le')]));
    const bigEndian = join(dir, 'utf16be.jsonl');
    writeFileSync(bigEndian, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(line(open), 'utf16le').swap16()]));
    for (const verb of ['replay', 'validate']) {
      const result = await heed([verb, utf16, join(dir, 'ok.jsonl'), bigEndian]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const why = 'encoded as UTF-16 (it starts with a UTF-16 byte order mark); heed reads UTF-8: convert it first (iconv -f UTF-16 -t UTF-8)';
      expectProblems(result.stderr, [`${utf16}:1: ${why}`, `${bigEndian}:1: ${why}`], 'heed: 2 problems in 3 files; nothing was written');
    }
  });

  it('reports a file that does not exist, and a directory, and goes on to list the rest', async () => {
    const dir = scratch({ 'bad.jsonl': '{\n' });
    const result = await heed(['replay', join(dir, 'nope.jsonl'), dir, join(dir, 'bad.jsonl')]);
    expect(result.code).toBe(1);
    expectProblems(
      result.stderr,
      [`${join(dir, 'nope.jsonl')}: file not found`, `${dir}: is a directory, not a JSONL file`, `${join(dir, 'bad.jsonl')}:1: not valid JSON`],
      'heed: 3 problems in 3 files; nothing was written',
    );
  });
});

describe.concurrent('bad configuration', () => {
  it('exits 1 naming the file, line and option of every problem, before reading any input', async () => {
    const config = '{\n  "calendar": { "timeZone": "Mars/Olympus" },\n  "policies": {\n    "nonsense": {}\n  }\n}\n';
    const dir = scratch({ 'heed.json': config, 'ok.jsonl': line(open) });
    const file = join(dir, 'heed.json');
    for (const verb of ['replay', 'validate', 'report']) {
      const result = await heed([verb, join(dir, 'ok.jsonl'), '--config', file, ...(verb === 'report' ? ['--out', join(dir, 'r.html')] : [])]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expectProblems(
        result.stderr,
        [
          `${file}:2: calendar.timeZone: `,
          `${file}:4: policies.nonsense: unknown policy "nonsense": no policy of that name is loaded (loaded: "inattention", "promises", "burden", "survey", "feedback"); list its plugin in "plugins", or give --plugin <module>`,
        ],
        `heed: 2 problems in ${file}; nothing was written`,
      );
    }
    expect(existsSync(join(dir, 'r.html'))).toBe(false);
  });

  it('exits 1 for a null section, located like any other problem', async () => {
    const dir = scratch({ 'null.json': '{\n  "calendar": null,\n  "policies": { "inattention": null }\n}\n' });
    const file = join(dir, 'null.json');
    const result = await heed(['validate', '-', '--config', file]);
    expect(result.code).toBe(1);
    expectProblems(
      result.stderr,
      [`${file}:2: calendar: expected object, got null`, `${file}:3: policies.inattention: expected object, got null`],
      `heed: 2 problems in ${file}; nothing was written`,
    );
  });

  it('exits 1 for a configuration file that is missing or not JSON', async () => {
    const dir = scratch({ 'broken.json': '{ "calendar": \n' });
    const missing = await heed(['replay', '-', '--config', join(dir, 'missing.json')]);
    const broken = await heed(['replay', '-', '--config', join(dir, 'broken.json')]);
    expect([missing.code, broken.code]).toEqual([1, 1]);
    expect(missing.stderr).toContain(`${join(dir, 'missing.json')}: file not found`);
    expect(broken.stderr).toContain(`${join(dir, 'broken.json')}:2: not valid JSON`);
  });
});
