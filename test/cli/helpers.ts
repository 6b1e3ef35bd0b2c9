import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { AnyPolicy } from '../../src/index.js';
import { run } from '../../src/cli/run.js';
import { tempDir } from '../temp-dir.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const bin = join(root, 'dist/cli/main.js');
export const examples = join(root, 'examples');
export const denverConfig = join(examples, 'heed.config.json');

export interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Spawn the built `heed` binary, as a user's shell would (stdout and stderr are pipes, not TTYs). */
export function heed(args: readonly string[], options: { stdin?: string; cwd?: string; env?: Record<string, string> } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, HEED_REPLAY_BUCKETS: undefined, HEED_REPLAY_WORKERS: undefined, ...options.env };
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** The same command in-process through the `run` seam: chosen policies, fake terminals, and an environment (empty unless given). */
export async function heedInProcess(
  args: readonly string[],
  options: { policies?: readonly AnyPolicy[]; stdin?: string; tty?: { stdout?: boolean; stderr?: boolean }; env?: Record<string, string> } = {},
): Promise<Result> {
  const stdout = collector(options.tty?.stdout === true);
  const stderr = collector(options.tty?.stderr === true);
  const code = await run(
    args,
    { stdin: Readable.from([options.stdin ?? '']), stdout: stdout.stream, stderr: stderr.stream, isTTY: { stdout: options.tty?.stdout === true, stderr: options.tty?.stderr === true }, env: options.env ?? {} },
    options.policies === undefined ? {} : { policies: options.policies },
  );
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function collector(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 80 });
  const chunks: string[] = [];
  stream.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  return { stream, text: () => chunks.join('') };
}

/** A scratch directory with the given files, removed when the test file ends. */
export function scratch(files: Record<string, string> = {}): string {
  const dir = tempDir('heed-cli-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A JSONL line. */
export const line = (event: Record<string, unknown>) => `${JSON.stringify(event)}\n`;
