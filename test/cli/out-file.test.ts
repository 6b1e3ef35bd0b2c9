import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, denverConfig, examples, heed, scratch, type Result } from './helpers.js';

/**
 * `--out` is written whole or not at all ("nothing half-done"): a write that fails partway must
 * neither clobber an existing file nor leave a partial or temporary file behind.
 */
const deer = join(examples, 'journeys/deer-claim.jsonl');

/**
 * Run the binary with a 1 KiB file size limit (RLIMIT_FSIZE), so any write past the first KiB of a
 * file fails with EFBIG: a real failure partway through writing, like a full disk. SIGXFSZ is
 * ignored so the write returns an error instead of killing the process.
 */
function heedWithFileLimit(args: readonly string[]): Promise<Result> {
  const command = `trap '' XFSZ; ulimit -f 1; exec "$0" "$@"`;
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/bash', ['-c', command, process.execPath, bin, ...args], { env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

describe.concurrent('--out', () => {
  it('leaves an existing file untouched, and nothing else behind, when the write fails partway', async () => {
    const dir = scratch({ 'report.html': 'the previous report\n' });
    const out = join(dir, 'report.html');
    const result = await heedWithFileLimit(['report', deer, '--config', denverConfig, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${out}: cannot write: EFBIG`);
    expect(result.stderr).not.toContain('.tmp');
    expect(readFileSync(out, 'utf8')).toBe('the previous report\n');
    expect(readdirSync(dir)).toEqual(['report.html']);
  });

  it('leaves no file at all when a new file cannot be written whole', async () => {
    const dir = scratch();
    const result = await heedWithFileLimit(['replay', deer, '--config', denverConfig, '--format', 'json', '--out', join(dir, 'out.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(dir, 'out.json')}: cannot write: EFBIG`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('into a directory that does not exist: exit 1 naming the file, and nothing created', async () => {
    const dir = scratch();
    const out = join(dir, 'missing/out.json');
    const result = await heed(['replay', deer, '--format', 'json', '--out', out]);
    expect(result).toEqual({ code: 1, stdout: '', stderr: expect.stringContaining(`${out}: cannot write: ENOENT: no such file or directory, open '${out}'`) as string });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('onto an existing directory: exit 1 saying it is a directory, and nothing written into it', async () => {
    const dir = scratch({ 'kept.txt': 'kept\n' });
    const result = await heed(['replay', deer, '--format', 'json', '--out', dir]);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `${dir}: cannot write: it is a directory\nheed: 1 problem in ${dir}; nothing was written\n` });
    expect(readdirSync(dir)).toEqual(['kept.txt']);
    expect(readdirSync(dirname(dir)).filter((name) => name.startsWith(`.${basename(dir)}.`))).toEqual([]);
  });

  it('onto an existing directory: refused before the input is even read (replay and report)', async () => {
    const dir = scratch({ 'bad.jsonl': 'not json\n' });
    const input = join(dir, 'bad.jsonl');
    for (const verb of ['replay', 'report']) {
      // The input is invalid: had it been read, its problem would be what is reported.
      const result = await heed([verb, input, '--out', dir]);
      expect(result).toEqual({ code: 1, stdout: '', stderr: `${dir}: cannot write: it is a directory\nheed: 1 problem in ${dir}; nothing was written\n` });
    }
  });

  it('replaces an existing file with the complete new text', async () => {
    const dir = scratch();
    const out = join(dir, 'out.json');
    writeFileSync(out, 'old');
    const [toFile, toStdout] = await Promise.all([heed(['replay', deer, '--format', 'json', '--out', out]), heed(['replay', deer, '--format', 'json'])]);
    expect(toFile.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(toStdout.stdout);
    expect(readdirSync(dir)).toEqual(['out.json']);
  });
});

describe('--out to a file that is not a regular file', () => {
  it('writes into a FIFO in place instead of renaming a temporary file over it', async () => {
    const dir = scratch();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // Opening a FIFO for reading blocks until a writer opens it: read it in a child process.
    const reader = new Promise<string>((resolve, reject) => {
      const cat = spawn('cat', [fifo]);
      let text = '';
      cat.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      cat.on('error', reject);
      cat.on('close', () => resolve(text));
    });
    const [result, toStdout] = await Promise.all([heed(['replay', deer, '--format', 'json', '--out', fifo]), heed(['replay', deer, '--format', 'json'])]);
    expect(result.code).toBe(0);
    expect(await reader).toBe(toStdout.stdout);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });
});
