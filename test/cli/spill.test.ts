import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../temp-dir.js';
import { generateLines } from '../../bench/generate.js';
import { bucketOf } from '../../src/cli/buckets.js';
import { formatTable } from '../../src/cli/format-table.js';
import { parseJsonl, replay } from '../../src/index.js';
import { bin, denverConfig, examples, heed, line, root, scratch } from './helpers.js';

/**
 * heed replay in bounded memory: a large input is partitioned by customer into temporary bucket
 * files, evaluated one bucket at a time, and its output merged from sorted runs. HEED_REPLAY_BUCKETS
 * forces that path on small inputs, so here it must print exactly what one engine over the whole
 * input prints, byte for byte, in every format, however many buckets.
 */

// Generated journeys (2% of lines backdated, so streams arrive unsorted) plus customers whose ids a
// JavaScript object would list first ("10", "9"), identical retries, and a `-0` (which JSON.stringify
// would print as 0, so that line is written as text and validated again).
const generated = generateLines({ events: 1_500, customers: 60, seed: 7 });
const extra = [
  { id: 'n1', customerId: '10', type: 'MatterOpened', at: '2017-11-21T09:00:00Z', data: { matterId: 'm', title: 'numeric id' } },
  { id: 'n2', customerId: '9', type: 'MatterOpened', at: '2017-11-22T09:00:00Z', data: { matterId: 'm' } },
  { id: 'n3', customerId: '9', type: 'ContactMade', at: '2017-11-21T09:00:00Z', data: { direction: 'inbound', channel: 'phone', waitMinutes: -0 }, meta: { n: -0 } },
  { id: 'n1', customerId: '10', type: 'MatterOpened', at: '2017-11-21T09:00:00Z', data: { matterId: 'm', title: 'numeric id' } },
  { customerId: 'ünïcødé 🐢', type: 'MatterOpened', at: '2017-11-25', data: { matterId: 'm', title: 'line\nbreak "quoted" \u2028' } },
].map((event) => JSON.stringify(event).replace('"waitMinutes":0', '"waitMinutes":-0').replace('"n":0', '"n":-0'));
const half = Math.floor(generated.length / 2);
const dir = scratch({
  'a.jsonl': `${generated.slice(0, half).join('\n')}\n${extra.slice(0, 3).join('\n')}\n`,
  'b.jsonl': `// second file\r\n${extra.slice(3).join('\r\n')}\r\n${generated.slice(half).join('\r\n')}`,
});
const files = [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')];

/** What one engine over the whole input gives, printed as each format prints a snapshot. */
async function expected(format: string, until: string | undefined): Promise<string> {
  const events = files.flatMap((file) => {
    const parsed = parseJsonl(readFileSync(file, 'utf8'), file);
    expect(parsed.errors).toEqual([]);
    return parsed.events;
  });
  // Identical retries are skipped by the store, as the CLI skips them.
  const { snapshot, engine } = await replay(events, until === undefined ? {} : { asOf: until });
  if (format === 'json') return `${JSON.stringify(snapshot, null, 2)}\n`;
  if (format === 'jsonl') return snapshot.findings.map((f) => `${JSON.stringify(f)}\n`).join('');
  return formatTable(snapshot, engine.calendar, false);
}

// Sequential, with room: each case spawns several replays, and the machine may be busy.
describe('heed replay spilled to temporary files', () => {
  it.each([
    ['json', undefined],
    ['jsonl', undefined],
    ['table', undefined],
    ['json', '2017-12-01'],
    ['table', '2017-12-01T12:00:00Z'],
  ])('prints what one engine prints, in memory or in 1 or 5 buckets, in this thread or in worker threads (%s, until %s)', async (format, until) => {
    const args = ['replay', ...files, '--format', format, ...(until === undefined ? [] : ['--until', until])];
    const want = await expected(format, until);
    // As a JavaScript object lists them: "9" before "10", both before the letters.
    if (format === 'json') expect(Object.keys((JSON.parse(want) as { summaries: object }).summaries).slice(0, 3)).toEqual(['9', '10', 'c00001']);
    // In memory; 1 bucket; 5 buckets in this thread; 5 buckets in 3 worker threads.
    const envs = [undefined, { HEED_REPLAY_BUCKETS: '1' }, { HEED_REPLAY_BUCKETS: '5', HEED_REPLAY_WORKERS: '1' }, { HEED_REPLAY_BUCKETS: '5', HEED_REPLAY_WORKERS: '3' }];
    const results = await Promise.all(envs.map((env) => heed(args, env === undefined ? {} : { env })));
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(want);
    }
  }, 120_000);

  it('reads stdin among the files the same way, and validate counts the same', async () => {
    const env = { HEED_REPLAY_BUCKETS: '5' };
    const [fromFiles, mixed, validate, validateSpilled, validateInWorkers] = await Promise.all([
      heed(['replay', ...files, '--format', 'jsonl']),
      heed(['replay', files[0] as string, '-', '--format', 'jsonl'], { stdin: readFileSync(files[1] as string, 'utf8'), env }),
      heed(['validate', ...files]),
      heed(['validate', ...files], { env: { ...env, HEED_REPLAY_WORKERS: '1' } }),
      heed(['validate', ...files], { env: { ...env, HEED_REPLAY_WORKERS: '2' } }),
    ]);
    expect(mixed.stdout).toBe(fromFiles.stdout);
    expect(validate).toEqual({ code: 0, stdout: `ok: ${generated.length + 4} events, 63 customers, no problems\n`, stderr: '' });
    expect(validateSpilled).toEqual(validate);
    expect(validateInWorkers).toEqual(validate);
  }, 120_000);

  it('prints the examples the same spilled or not, in worker threads or not, with their configuration', async () => {
    const journeys = readdirSync(join(examples, 'journeys')).map((name) => join(examples, 'journeys', name));
    for (const format of ['json', 'table']) {
      const args = ['replay', ...journeys, '--config', denverConfig, '--format', format];
      const [memory, spilled, inWorkers] = await Promise.all([
        heed(args),
        heed(args, { env: { HEED_REPLAY_BUCKETS: '4', HEED_REPLAY_WORKERS: '1' } }),
        heed(args, { env: { HEED_REPLAY_BUCKETS: '4', HEED_REPLAY_WORKERS: '2' } }),
      ]);
      expect(memory.code).toBe(0);
      expect(spilled).toEqual(memory);
      expect(inWorkers).toEqual(memory);
    }
  }, 120_000);

  it('a lifecycle problem found only in the second pass: exit 1, every problem listed, nothing written, no temporary file left', async () => {
    // Customer "late" lands in the last of 4 buckets: the buckets before it are evaluated before
    // its lifecycle is checked.
    const late = ['late', 'late-1', 'late-2', 'late-3', 'late-4'].find((id) => bucketOf(id, 4) === 3) as string;
    const bad = [
      line({ customerId: late, type: 'MatterOpened', at: '2017-11-21T09:00:00Z', data: { matterId: 'm' } }),
      line({ customerId: late, type: 'MatterResolved', at: '2017-11-20T09:00:00Z', data: { matterId: 'm' } }),
      line({ customerId: late, type: 'PromiseKept', at: '2017-11-22T09:00:00Z', data: { promiseId: 'never-made' } }),
    ].join('');
    const work = scratch({ 'bad.jsonl': `${generated.join('\n')}\n${bad}` });
    const temp = tempDir('heed-spill-tmp-');
    const file = join(work, 'bad.jsonl');
    const out = join(work, 'out.json');
    const result = await heed(['replay', file, '--format', 'json', '--out', out], { env: { HEED_REPLAY_BUCKETS: '4', HEED_REPLAY_WORKERS: '1', TMPDIR: temp } });
    // The same in worker threads, which evaluate the buckets before the last one's problems are known.
    const inWorkers = await heed(['replay', file, '--format', 'json', '--out', out], { env: { HEED_REPLAY_BUCKETS: '4', HEED_REPLAY_WORKERS: '3', TMPDIR: temp } });
    expect(inWorkers).toEqual(result);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain(`${file}:${generated.length + 2}: data.matterId: matter "m" was never opened`);
    expect(lines[1]).toContain(`${file}:${generated.length + 3}: data.promiseId:`);
    expect(lines[2]).toBe(`heed: 2 problems in ${file}; nothing was written`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work)).toEqual(['bad.jsonl']);
    expect(readdirSync(temp)).toEqual([]);
  }, 120_000);

  it('worker threads use the configuration the CLI read once (a named pipe cannot be read twice)', async () => {
    const journeys = readdirSync(join(examples, 'journeys')).map((name) => join(examples, 'journeys', name));
    const fifo = join(scratch(), 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    // One writer, once: a second open of the pipe by a worker would wait forever (and time out).
    const writer = new Promise<void>((resolve, reject) => createWriteStream(fifo).on('error', reject).end(readFileSync(denverConfig, 'utf8'), resolve));
    const [direct, inWorkers] = await Promise.all([
      heed(['replay', ...journeys, '--config', denverConfig, '--format', 'json']),
      heed(['replay', ...journeys, '--config', fifo, '--format', 'json'], { env: { HEED_REPLAY_BUCKETS: '3', HEED_REPLAY_WORKERS: '2' } }),
      writer,
    ]);
    expect(direct.code).toBe(0);
    expect(inWorkers).toEqual(direct);
  }, 60_000);

  it('counts and lists problems past the kept first ones the same in worker threads', async () => {
    const bad = Array.from({ length: 1_500 }, (_, i) => line({ customerId: `bad-${i}`, type: 'NoSuchType', at: '2017-11-21T09:00:00Z', data: {} })).join('');
    const file = join(scratch({ 'many.jsonl': `${generated.slice(0, 300).join('\n')}\n${bad}` }), 'many.jsonl');
    const [one, three] = await Promise.all([
      heed(['validate', file], { env: { HEED_REPLAY_BUCKETS: '6', HEED_REPLAY_WORKERS: '1' } }),
      heed(['validate', file], { env: { HEED_REPLAY_BUCKETS: '6', HEED_REPLAY_WORKERS: '3' } }),
    ]);
    expect(one.code).toBe(1);
    expect(one.stderr).toContain('1500 problems');
    expect(three).toEqual(one);
  }, 120_000);

  it('removes its temporary files when it succeeds, and when it is interrupted', async () => {
    const temp = tempDir('heed-spill-tmp-');
    const ok = await heed(['replay', ...files, '--format', 'jsonl'], { env: { HEED_REPLAY_BUCKETS: '2', TMPDIR: temp } });
    expect(ok.code).toBe(0);
    expect(readdirSync(temp)).toEqual([]);

    const big = join(scratch(), 'big.jsonl');
    writeFileSync(big, `${generateLines({ events: 20_000, customers: 1_000, seed: 3 }).join('\n')}\n`);
    const child = spawn(process.execPath, [bin, 'replay', big, '--format', 'json'], {
      cwd: root,
      env: { ...process.env, HEED_REPLAY_BUCKETS: '2', HEED_REPLAY_WORKERS: '2', TMPDIR: temp },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Wait for the spill directory to appear, then interrupt the replay.
    const deadline = Date.now() + 60_000;
    while (readdirSync(temp).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readdirSync(temp)).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(readdirSync(temp)).toEqual([]);
  }, 120_000);
});
