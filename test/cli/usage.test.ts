import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, examples, heed, root, scratch } from './helpers.js';

/** Exit code 0 for help and version, 2 (with the usage) for every kind of usage error. */
const deer = join(examples, 'journeys/deer-claim.jsonl');

describe('the heed binary', () => {
  it('is what package.json installs: an executable file with a node shebang that runs by itself', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>; version: string };
    expect(join(root, pkg.bin['heed'] ?? '')).toBe(bin);
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(() => accessSync(bin, constants.X_OK)).not.toThrow();
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' })).toBe(`${pkg.version}\n`);
  });
});

describe('heed --version and --help', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const result = await heed(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('lists the four verbs and the exit codes', async () => {
    const result = await heed(['--help']);
    expect(result.code).toBe(0);
    for (const verb of ['replay', 'validate', 'report', 'schema']) expect(result.stdout).toMatch(new RegExp(`^  ${verb} `, 'm'));
    expect(result.stdout).toContain('Exit codes: 0 success');
  });

  it.each([
    ['replay', ['--config', '--until', '--format', '--out']],
    ['validate', ['--config']],
    ['report', ['--config', '--until', '--out']],
    ['schema', ['--out']],
  ])('%s --help describes its options', async (verb, flags) => {
    const result = await heed([verb, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: heed ${verb}`);
    for (const flag of flags) expect(result.stdout).toContain(flag);
    expect(result.stderr).toBe('');
  });
});

describe('usage errors exit 2 with the usage on stderr and nothing on stdout', () => {
  it.each([
    ['no verb', [], 'Usage: heed [options] [command]'],
    ['an unknown verb', ['bogus'], "unknown command 'bogus'"],
    ['no input file', ['replay'], "missing required argument 'files'"],
    ['validate with no input file', ['validate'], "missing required argument 'files'"],
    ['report with no input file', ['report', '--out', 'r.html'], "missing required argument 'files'"],
    ['schema with an argument', ['schema', 'events.jsonl'], 'too many arguments'],
    ['an unknown option', ['replay', deer, '--frobnicate'], "unknown option '--frobnicate'"],
    ['an unknown format', ['replay', deer, '--format', 'xml'], "argument 'xml' is invalid"],
    ['report without --out', ['report', deer], "required option '-o, --out <file>' not specified"],
    ['stdin named twice', ['replay', '-', '-'], 'standard input (-) can be read only once'],
    ['an --until that is not an instant', ['replay', deer, '--until', 'last tuesday'], '--until: expected an ISO-8601 date-time'],
    // An unset shell variable ("$EXPORT", --out "$OUT"): a name was left out, not a file that is missing.
    ['an empty input file name', ['validate', deer, ''], 'an input file name is empty'],
    ['an empty --out', ['replay', deer, '--out', ''], "option '-o, --out <file>' argument '' is invalid. The file name is empty."],
    ['an empty --out for report', ['report', deer, '--out', ''], "option '-o, --out <file>' argument '' is invalid. The file name is empty."],
    ['an empty --out for schema', ['schema', '--out', ''], "option '-o, --out <file>' argument '' is invalid. The file name is empty."],
    ['an empty --config', ['replay', deer, '--config', ''], "option '-c, --config <file>' argument '' is invalid. The file name is empty."],
    ['an empty --plugin', ['validate', deer, '--plugin', ''], "option '-p, --plugin <module>' argument '' is invalid. The module name is empty."],
  ])('%s', async (_name, args, message) => {
    const result = await heed(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: heed');
  });
});

describe.concurrent('a standard error closed early (heed … 2>&1 | head -1)', () => {
  /** Run the binary with its stderr a pipe whose reader is gone before anything is written to it. */
  function withStderrClosed(args: readonly string[]): Promise<{ code: number | null; stdout: string }> {
    return new Promise((resolve, reject) => {
      const env = { ...process.env, HEED_REPLAY_BUCKETS: undefined, HEED_REPLAY_WORKERS: undefined };
      const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stderr.destroy(); // every write to stderr now fails with EPIPE
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
    });
  }

  it('does not change the exit code: 2 for a usage error, 1 for invalid input, 0 for success', async () => {
    const dir = scratch();
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{\n'.repeat(60));
    const [usage, invalid, ok] = await Promise.all([withStderrClosed(['frobnicate']), withStderrClosed(['validate', bad]), withStderrClosed(['validate', deer])]);
    expect(usage).toEqual({ code: 2, stdout: '' });
    expect(invalid).toEqual({ code: 1, stdout: '' });
    expect(ok).toEqual({ code: 0, stdout: 'ok: 61 events, 1 customer, no problems\n' });
  });
});
