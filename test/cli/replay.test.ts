import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, denverConfig, examples, heed, line, scratch } from './helpers.js';

/** `heed replay`, `validate`, `schema` and `report` on valid input, through the built binary. */
const deer = join(examples, 'journeys/deer-claim.jsonl');
const mixed = join(examples, 'journeys/mixed.jsonl');
const ansi = /\u001b\[/;

describe.concurrent('heed replay', () => {
  it('prints a table by default: 80 columns, no colour when stdout is not a terminal', async () => {
    const [result, json] = await Promise.all([heed(['replay', deer, '--config', denverConfig]), heed(['replay', deer, '--config', denverConfig, '--format', 'json'])]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toMatch(ansi);
    expect(result.stdout.split('\n')[0]).toBe('heed: as of Sat 10 Feb 2018 11:05 (America/Denver)');
    const findings = (JSON.parse(json.stdout) as { findings: unknown[] }).findings.length;
    expect(result.stdout.split('\n')[1]).toBe(`1 customer · 61 events · ${findings} findings`);
    for (const text of result.stdout.split('\n')) expect(text.length).toBeLessThanOrEqual(80);
  });

  it('reads NO_COLOR and FORCE_COLOR from the environment', async () => {
    const [forced, refused] = await Promise.all([
      heed(['replay', deer, '--config', denverConfig], { env: { FORCE_COLOR: '1' } }),
      heed(['replay', deer, '--config', denverConfig], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }),
    ]);
    expect(forced.stdout).toMatch(ansi);
    expect(refused.stdout).not.toMatch(ansi);
  });

  it('--format json prints the contract object, as of the latest event', async () => {
    const result = await heed(['replay', deer, mixed, '--config', denverConfig, '--format', 'json']);
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(snapshot)).toEqual(['asOf', 'customers', 'events', 'findings', 'summaries']);
    expect(snapshot).toMatchObject({ asOf: '2024-04-10T16:00:00.000Z', customers: 4, events: 110 });
    expect(Object.keys(snapshot['summaries'] as object)).toEqual(['bakery-oven', 'deer-claim', 'fiber-outage', 'gym-cancel']);
    // The contract's order: detectedAt, then customerId, then kind (built-in policies, several customers).
    const findings = snapshot['findings'] as { detectedAt: string; customerId: string; kind: string }[];
    expect(new Set(findings.map((f) => f.customerId)).size).toBe(4);
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    const order = (a: (typeof findings)[number], b: (typeof findings)[number]) => cmp(a.detectedAt, b.detectedAt) || cmp(a.customerId, b.customerId) || cmp(a.kind, b.kind);
    expect(findings.map((f) => `${f.detectedAt} ${f.customerId} ${f.kind}`)).toEqual([...findings].sort(order).map((f) => `${f.detectedAt} ${f.customerId} ${f.kind}`));
  });

  it('is deterministic: two runs give the same bytes, in every format, whatever the file order', async () => {
    for (const format of ['json', 'jsonl', 'table']) {
      const args = ['--config', denverConfig, '--format', format];
      const [a, b, reversed] = await Promise.all([heed(['replay', deer, mixed, ...args]), heed(['replay', deer, mixed, ...args]), heed(['replay', mixed, deer, ...args])]);
      expect(a.code).toBe(0);
      expect(b.stdout).toBe(a.stdout);
      expect(reversed.stdout).toBe(a.stdout);
    }
  }, 90_000); // nine processes, three at a time: on a loaded 2-core machine this outlasts the default

  it('reads standard input when the file is -', async () => {
    const fromFile = await heed(['replay', deer, '--config', denverConfig, '--format', 'json']);
    const fromStdin = await heed(['replay', '-', '--config', denverConfig, '--format', 'json'], { stdin: readFileSync(deer, 'utf8') });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  });

  it('--until evaluates as of that instant: later events are left out', async () => {
    const result = await heed(['replay', deer, '--config', denverConfig, '--format', 'json', '--until', '2017-12-12']);
    const snapshot = JSON.parse(result.stdout) as { asOf: string; events: number; findings: { detectedAt: string }[] };
    expect(result.code).toBe(0);
    expect(snapshot.asOf).toBe('2017-12-12T07:00:00.000Z'); // midnight in Denver
    const before = readFileSync(deer, 'utf8').split('\n').filter((l) => l.startsWith('{') && (JSON.parse(l) as { at: string }).at < '2017-12-12');
    expect(snapshot.events).toBe(before.length);
    for (const finding of snapshot.findings) expect(finding.detectedAt <= snapshot.asOf).toBe(true);
  });

  it('--format jsonl prints one finding per line, the same findings as json', async () => {
    const [json, jsonl] = await Promise.all(['json', 'jsonl'].map((format) => heed(['replay', deer, mixed, '--config', denverConfig, '--format', format])));
    const findings = (JSON.parse(json?.stdout ?? '') as { findings: unknown[] }).findings;
    const lines = (jsonl?.stdout ?? '').split('\n').filter((l) => l !== '');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(findings);
  });

  it('--out writes the output to a file and nothing to stdout', async () => {
    const dir = scratch();
    const out = join(dir, 'findings.json');
    const [toFile, toStdout] = await Promise.all([
      heed(['replay', deer, '--config', denverConfig, '--format', 'json', '--out', out]),
      heed(['replay', deer, '--config', denverConfig, '--format', 'json']),
    ]);
    expect(toFile).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe(toStdout.stdout);
  });

  it('ends quietly with 0 when the reader closes the pipe early (heed replay … | head)', async () => {
    const file = join(scratch(), 'many.jsonl');
    const events = Array.from({ length: 3000 }, (_, i) => [
      line({ customerId: `c${i}`, type: 'MatterOpened', at: '2024-01-02T09:00:00Z', data: { matterId: 'm' } }),
      line({ customerId: `c${i}`, type: 'PromiseMade', at: '2024-01-02T09:05:00Z', data: { promiseId: 'p', what: 'Call back', dueBy: '2024-01-02T12:00:00Z', matterId: 'm' } }),
      line({ customerId: `c${i}`, type: 'ContactMade', at: '2024-01-09T09:00:00Z', data: { direction: 'inbound', channel: 'phone' } }),
    ]);
    writeFileSync(file, events.flat().join(''));
    const child = spawn(process.execPath, [bin, 'replay', file, '--format', 'jsonl']);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8'))));
    child.stdout.destroy(); // like head after its first line
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(first).toMatch(/^\{"kind":/);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('exits 1 when --out cannot be written', async () => {
    const result = await heed(['replay', deer, '--out', join(scratch(), 'no/such/dir/out.txt')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no\/such\/dir\/out\.txt: cannot write: ENOENT/);
  });
});

describe.concurrent('heed validate, schema and report', () => {
  it('validate says how much it checked and exits 0', async () => {
    const result = await heed(['validate', deer, mixed, '--config', denverConfig]);
    expect(result).toEqual({ code: 0, stdout: 'ok: 110 events, 4 customers, no problems\n', stderr: '' });
  });

  it('schema prints the JSON Schema of the event format', async () => {
    const result = await heed(['schema']);
    const schema = JSON.parse(result.stdout) as { $schema: string; required: string[]; properties: { type: { enum: string[] } } };
    expect(result.code).toBe(0);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['customerId', 'type', 'at']);
    expect(schema.properties.type.enum).toEqual(expect.arrayContaining(['MatterOpened', 'PromiseMade', 'SurveySent', 'FeedbackAnswered']));
  });

  it('schema --out writes the same schema to a file', async () => {
    const out = join(scratch(), 'schema.json');
    const [toFile, toStdout] = await Promise.all([heed(['schema', '--out', out]), heed(['schema'])]);
    expect(toFile.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(toStdout.stdout);
  });

  it('schema exits 1 when --out cannot be written', async () => {
    const result = await heed(['schema', '--out', join(scratch(), 'missing/schema.json')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/missing\/schema\.json: cannot write: ENOENT/);
  });

  it('report writes one HTML file and says so on stderr, byte-identical across runs', async () => {
    const dir = scratch();
    const [a, b] = [join(dir, 'a.html'), join(dir, 'b.html')];
    const [json, ...results] = await Promise.all([
      heed(['replay', deer, mixed, '--config', denverConfig, '--format', 'json']),
      ...[a, b].map((out) => heed(['report', deer, mixed, '--config', denverConfig, '--out', out])),
    ]);
    const findings = (JSON.parse(json?.stdout ?? '') as { findings: unknown[] }).findings.length;
    for (const [i, result] of results.entries()) {
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`heed: wrote ${i === 0 ? a : b} (4 customers, ${findings} findings)\n`);
    }
    const html = readFileSync(a, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(readFileSync(b, 'utf8')).toBe(html);
  });
});
