import type { Readable, Writable } from 'node:stream';
import type { AnyPolicy } from '../policies/define-policy.js';

/**
 * Everything the command touches outside its arguments. The binary passes the process's streams;
 * tests pass their own, so both run exactly the same code (`run`).
 */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Whether each output is a terminal: colour only on a terminal stdout, progress only on a terminal stderr. */
  readonly isTTY: { readonly stdout: boolean; readonly stderr: boolean };
  /** The environment: NO_COLOR and FORCE_COLOR (`colorOnStdout`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Whether the table on stdout is coloured: on a terminal, unless NO_COLOR is set to anything
 * (no-color.org). FORCE_COLOR set colours a pipe too (`| less -R`), or with `0`/`false` turns colour
 * off; NO_COLOR wins over it, as in picocolors, so a user's "no colour" is never overridden.
 * Checked here because `createColors(enabled)` does no environment check of its own.
 */
export function colorOnStdout(io: CliIo): boolean {
  const { NO_COLOR: noColor, FORCE_COLOR: forceColor } = io.env;
  if (noColor !== undefined && noColor !== '') return false;
  if (forceColor !== undefined && forceColor !== '') return forceColor !== '0' && forceColor !== 'false';
  return io.isTTY.stdout;
}

export interface RunOptions {
  /** Policies to run. Default: the built-in policies. */
  readonly policies?: readonly AnyPolicy[];
}

/** Exit codes (CONTRACT.md §4). Findings are not failures. */
export const exitCodes = { ok: 0, invalid: 1, usage: 2 } as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/**
 * Write text (or its bytes) and wait until the stream has taken it (back-pressure on pipes and slow
 * consumers). A pipe whose reader has gone (`heed … 2>&1 | head -1`) takes nothing more, and that
 * is not the command's failure: the write counts as done, so the exit code stays the command's.
 * (The binary ends at once when it is stdout that closed: main.ts.)
 */
export function write(stream: Writable, text: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    if (text.length === 0 || readerGone(stream)) return resolve();
    stream.write(text, (error) => (error && !readerGone(stream, error) ? reject(error) : resolve()));
  });
}

/** Whether `error` (or the error that ended `stream`) is a pipe closed by its reader. */
export function readerGone(stream: Writable, error?: unknown): boolean {
  const code = (e: unknown) => (e as NodeJS.ErrnoException | null | undefined)?.code;
  return code(error) === 'EPIPE' || code(stream.errored) === 'EPIPE';
}
