import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/index.js';
import { fixturePolicies } from '../fixtures/contract-kinds-policy.js';
import { denverConfig, examples, heedInProcess } from './helpers.js';

/**
 * The command in-process through `run(argv, io, { policies })`, with stand-in policies that report
 * contract kinds: how findings are printed (sorted, grouped, coloured only on a terminal) and the
 * progress bar (only on a terminal stderr).
 */
const mixed = join(examples, 'journeys/mixed.jsonl');
const deer = join(examples, 'journeys/deer-claim.jsonl');
const policies = fixturePolicies;
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

async function json(args: readonly string[] = []) {
  const result = await heedInProcess(['replay', mixed, deer, '--config', denverConfig, '--format', 'json', ...args], { policies });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { asOf: string; findings: Finding[]; summaries: Record<string, Record<string, unknown>> };
}

describe('run(argv, io, { policies })', () => {
  it('prints the findings in the contract order: detectedAt, then customer, then kind', async () => {
    const { findings } = await json();
    expect(findings.length).toBeGreaterThan(5);
    const keys = findings.map((f) => [f.detectedAt, f.customerId, f.kind].join(' '));
    expect(keys).toEqual([...keys].sort());
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'promise.broken', customerId: 'bakery-oven', details: expect.objectContaining({ promiseId: 'visit' }) }));
  });

  it('uses the policies it is given: their summaries appear per customer', async () => {
    const { summaries } = await json();
    expect(summaries['bakery-oven']).toEqual({ fixture: { failures: 2, promises: 1 } });
  });

  it('--until leaves out what had not happened yet', async () => {
    const before = await json(['--until', '2024-03-05T10:00:00-07:00']);
    expect(before.asOf).toBe('2024-03-05T17:00:00.000Z');
    expect(before.findings.filter((f) => f.customerId === 'bakery-oven')).toEqual([]);
    const after = await json(['--until', '2024-03-05T12:00:00-07:00']);
    expect(after.findings.map((f) => `${f.customerId} ${f.kind}`)).toContain('bakery-oven promise.broken');
  });

  it('groups the table by customer, each finding under its customer, within 80 columns', async () => {
    const { findings } = await json();
    const result = await heedInProcess(['replay', mixed, deer, '--config', denverConfig], { policies });
    const lines = result.stdout.split('\n');
    const headings = lines.flatMap((l, i) => (l.startsWith('── ') ? [{ customer: l.slice(3).split(' ')[0] ?? '', at: i }] : []));
    expect(headings.map((h) => h.customer)).toEqual([...new Set(findings.map((f) => f.customerId))].sort());
    for (const finding of findings) {
      const heading = headings.findIndex((h) => h.customer === finding.customerId);
      const end = headings[heading + 1]?.at ?? lines.length;
      const block = lines.slice(headings[heading]?.at, end).join(' ').replace(/\s+/g, ' ');
      expect(block).toContain(finding.message);
    }
    for (const text of lines) expect(text.length).toBeLessThanOrEqual(80);
    expect(result.stdout).not.toMatch(/\u001b\[/);
  });

  it('colours the table only when stdout is a terminal, with the same text', async () => {
    const plain = await heedInProcess(['replay', mixed, '--config', denverConfig], { policies });
    const tty = await heedInProcess(['replay', mixed, '--config', denverConfig], { policies, tty: { stdout: true } });
    expect(tty.stdout).toMatch(/\u001b\[31mBREACH/);
    expect(stripAnsi(tty.stdout)).toBe(plain.stdout);
    const jsonOnTty = await heedInProcess(['replay', mixed, '--format', 'json'], { policies, tty: { stdout: true } });
    expect(jsonOnTty.stdout).not.toMatch(/\u001b\[/);
  });

  it.each([
    ['NO_COLOR=1 on a terminal', false, { NO_COLOR: '1' }, true],
    ['NO_COLOR=1 despite FORCE_COLOR=1', false, { NO_COLOR: '1', FORCE_COLOR: '1' }, true],
    ['an empty NO_COLOR on a terminal (unset, per no-color.org)', true, { NO_COLOR: '' }, true],
    ['FORCE_COLOR=1 into a pipe', true, { FORCE_COLOR: '1' }, false],
    ['FORCE_COLOR=0 on a terminal', false, { FORCE_COLOR: '0' }, true],
  ])('%s: coloured %s, with the same text', async (_name, coloured, env, terminal) => {
    const plain = await heedInProcess(['replay', mixed, '--config', denverConfig], { policies });
    const result = await heedInProcess(['replay', mixed, '--config', denverConfig], { policies, env, tty: { stdout: terminal } });
    expect(/\u001b\[/.test(result.stdout)).toBe(coloured);
    expect(stripAnsi(result.stdout)).toBe(plain.stdout);
  });

  it('shows a progress bar on stderr only when stderr is a terminal, and never on stdout', async () => {
    const args = ['replay', mixed, deer, '--config', denverConfig, '--format', 'json'];
    const quiet = await heedInProcess(args, { policies });
    const tty = await heedInProcess(args, { policies, tty: { stderr: true } });
    expect(quiet.stderr).toBe('');
    expect(stripAnsi(tty.stderr)).toMatch(/reading [█░]{30} \d+% \| \d+ events/);
    expect(tty.stdout).toBe(quiet.stdout);
  });

  it('returns 2 for a usage error and 1 for invalid input without throwing', async () => {
    expect((await heedInProcess(['replay'], { policies })).code).toBe(2);
    expect((await heedInProcess(['replay', '-'], { policies, stdin: '{"customerId":"c"}\n' })).code).toBe(1);
  });
});
