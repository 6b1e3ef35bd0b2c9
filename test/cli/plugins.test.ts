import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateLines } from '../../bench/generate.js';
import { PolicyError, type Finding } from '../../src/index.js';
import { pluginProject, pluginSource } from '../plugin-project.js';
import { heed, heedInProcess, line } from './helpers.js';

/**
 * Policy plugins on the command line: `"plugins"` in the configuration file (and `--plugin`) load
 * modules whose policies join the built-in ones in every verb: replay finds their findings,
 * validate accepts their event types, schema lists them, report draws them, and a replay in worker
 * threads loads them there too, with the same output.
 */

const praise = (customerId: string, at: string, text: string, id?: string) =>
  line({ ...(id === undefined ? {} : { id }), customerId, type: 'PraiseReceived', at, data: { text } });
const journey = [
  line({ id: 'open', customerId: 'c1', type: 'MatterOpened', at: '2024-03-01T09:00:00Z', data: { matterId: 'm' } }),
  praise('c1', '2024-03-01T10:00:00Z', 'quick answer', 'p1'),
  praise('c1', '2024-03-02T10:00:00Z', 'fixed it', 'p2'),
  praise('c2', '2024-03-02T11:00:00Z', 'kind agent', 'p3'),
].join('');
const configText = (plugins: readonly string[], policies: object = {}) => `${JSON.stringify({ plugins, policies }, null, 2)}\n`;

function project(extra: Record<string, string> = {}): { dir: string; config: string; events: string } {
  const dir = pluginProject({
    'plugins/praise.js': pluginSource('praise', 'PraiseReceived'),
    'heed.json': configText(['./plugins/praise.js'], { praise: { minimum: 2 } }),
    'events.jsonl': journey,
    ...extra,
  });
  return { dir, config: join(dir, 'heed.json'), events: join(dir, 'events.jsonl') };
}

describe('a plugin from the configuration, in every verb (in-process)', () => {
  it('replay: its findings, with its options from policies.<name>, and its summary', async () => {
    const { config, events } = project();
    const result = await heedInProcess(['replay', events, '--config', config, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { findings: Finding[]; summaries: Record<string, Record<string, unknown>> };
    // minimum: 2, so c2's single praise is not reported.
    expect(out.findings.filter((f) => f.kind.startsWith('praise.'))).toEqual([
      expect.objectContaining({ kind: 'praise.noted', customerId: 'c1', detectedAt: '2024-03-02T10:00:00.000Z', evidence: ['p2'], details: { count: 2, text: 'fixed it' } }),
    ]);
    // Added to the built-in policies, which still run, after them.
    expect(Object.keys(out.summaries['c2'] ?? {})).toEqual(['inattention', 'promises', 'burden', 'survey', 'feedback', 'praise']);
    expect(out.summaries['c2']?.['praise']).toEqual({ count: 1 });
  });

  it('validate accepts its event type with --config, and without it reports the type as unknown', async () => {
    const { dir, config, events } = project({ 'kudos.js': pluginSource('kudos', 'KudosGiven') });
    expect(await heedInProcess(['validate', events, '--config', config])).toEqual({ code: 0, stdout: 'ok: 4 events, 2 customers, no problems\n', stderr: '' });
    const without = await heedInProcess(['validate', events]);
    expect(without.code).toBe(1);
    // With no plugin loaded, the line says how to load one; in worker threads too.
    const advice = 'Custom types come from policy plugins, and none is loaded: give --config <file> with the plugin in its "plugins", or --plugin <module>.';
    expect(without.stderr).toContain(`${events}:2: type: unknown event type "PraiseReceived". ${advice}\n`);
    const workers = await heed(['validate', events], { env: { HEED_REPLAY_BUCKETS: '2', HEED_REPLAY_WORKERS: '2' } });
    expect(workers).toEqual(without);
    // With one loaded that does not register it, the library's words.
    const other = await heedInProcess(['validate', events, '--plugin', join(dir, 'kudos.js')]);
    expect(other.stderr).toContain(`${events}:2: type: unknown event type "PraiseReceived". Custom types must be registered by a policy plugin.\n`);
  });

  it('schema lists its event type with --config or --plugin, and not without', async () => {
    const { dir, config } = project();
    const types = (stdout: string) => (JSON.parse(stdout) as { properties: { type: { enum: string[] } } }).properties.type.enum;
    const [withConfig, withFlag, plain] = await Promise.all([
      heedInProcess(['schema', '--config', config]),
      heedInProcess(['schema', '--plugin', join(dir, 'plugins/praise.js')]),
      heedInProcess(['schema']),
    ]);
    expect(types(withConfig.stdout)).toContain('PraiseReceived');
    expect(withFlag.stdout).toBe(withConfig.stdout);
    expect(types(plain.stdout)).not.toContain('PraiseReceived');
    expect(types(plain.stdout)).toContain('MatterOpened');
  });

  it('report draws its findings', async () => {
    const { dir, config, events } = project();
    const out = join(dir, 'report.html');
    const result = await heedInProcess(['report', events, '--config', config, '--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('praise.noted');
  });

  it('report and replay name where a plugin policy threw, in its file, and keep the policy’s error as the cause', async () => {
    const source = `import { definePolicy } from 'heed';\nexport default definePolicy({\n  name: 'frail',\n  kinds: ['frail.x'],\n  initialState: () => ({}),\n  evolve(_state, event) {\n    if (event.id === 'open') event.data.missing.length;\n  },\n});\n`;
    const { dir, config, events } = project({ 'frail.js': source });
    const at = `${join(dir, 'frail.js')}:7:${source.split('\n')[6]!.indexOf('.length') + 2}`;
    for (const args of [['report', events, '--out', join(dir, 'report.html')], ['replay', events]]) {
      const error: unknown = await heedInProcess([...args, '--config', config, '--plugin', join(dir, 'frail.js')]).catch((e: unknown) => e);
      expect((error as Error).message).toBe(`policy "frail" failed on event "open" of customer "c1": Cannot read properties of undefined (reading 'length') (at ${at})`);
      expect(((error as Error).cause as Error).cause).toBeInstanceOf(TypeError);
    }
  });

  it('names where the evolve or tick that returned a value is defined, for there is no frame of the plugin to give', async () => {
    const reducer = `import { definePolicy } from 'heed';\nexport default definePolicy({\n  name: 'reducer',\n  kinds: ['reducer.x'],\n  initialState: () => ({ seen: [] }),\n  evolve: (state, event) => state.seen.push(event.type),\n});\n`;
    const ticker = `import { definePolicy } from 'heed';\nexport default definePolicy({\n  name: 'ticker',\n  kinds: ['ticker.x'],\n  initialState: () => ({ ticks: 0 }),\n  evolve(_state, event, ctx) {\n    ctx.wakeAt(event.time + 3_600_000);\n  },\n  tick(state) {\n    return ++state.ticks;\n  },\n});\n`;
    const { dir, config, events } = project({ 'reducer.js': reducer, 'ticker.js': ticker });
    const column = (text: string, line: number, token: string) => text.split('\n')[line - 1]!.indexOf(token) + 1;
    const cases = [
      ['reducer.js', `policy "reducer" failed on event "open" of customer "c1": evolve returned a value`, `6:${column(reducer, 6, '(state')}`],
      ['ticker.js', `policy "ticker" failed on a wake-up of customer "c1": tick returned a value`, `9:${column(ticker, 9, 'tick')}`],
    ];
    for (const [file, words, at] of cases) {
      const error: unknown = await heedInProcess(['replay', events, '--config', config, '--plugin', join(dir, file!)]).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(new RegExp(`^${literal(words!)}; change the draft instead .* \\(at ${literal(`${join(dir, file!)}:${at}`)}\\)$`));
      expect((error as Error).cause).toBeInstanceOf(PolicyError);
      // In worker threads, the same line.
      const workers = await heed(['replay', events, '--config', config, '--plugin', join(dir, file!)], { env: { HEED_REPLAY_BUCKETS: '2', HEED_REPLAY_WORKERS: '2' } });
      expect(workers.stderr).toBe(`heed: ${(error as Error).message}\n`);
    }
  });

  it('--plugin adds a module after the configuration’s; options still come from the configuration', async () => {
    const { dir, events } = project({ 'kudos.js': pluginSource('kudos', 'KudosGiven'), 'only-options.json': configText([], { kudos: { minimum: 1 } }) });
    const kudos = line({ customerId: 'c3', type: 'KudosGiven', at: '2024-03-03T09:00:00Z', data: { text: 'great' } });
    const both = await heedInProcess(['replay', events, '-', '--config', join(dir, 'heed.json'), '--plugin', join(dir, 'kudos.js'), '--format', 'jsonl'], { stdin: kudos });
    expect(both.stderr).toBe('');
    expect(both.stdout.split('\n').filter((l) => l.includes('"kudos.noted"') || l.includes('"praise.noted"'))).toHaveLength(2);
    const onlyFlag = await heedInProcess(['validate', '-', '--config', join(dir, 'only-options.json'), '--plugin', join(dir, 'kudos.js')], { stdin: kudos });
    expect(onlyFlag).toEqual({ code: 0, stdout: 'ok: 1 event, 1 customer, no problems\n', stderr: '' });
  });

  it('adds to the policies of the run seam too', async () => {
    const { config, events } = project();
    const result = await heedInProcess(['replay', events, '--config', config, '--format', 'json'], { policies: [] });
    expect((JSON.parse(result.stdout) as { findings: Finding[] }).findings.map((f) => f.kind)).toEqual(['praise.noted']);
  });
});

describe('a plugin that cannot be loaded: exit 1, file:line: plugins[i]: reason, nothing else done', () => {
  it('lists every bad entry of the file, for every verb', async () => {
    const { dir, events } = project({
      'throws.js': `throw new Error('boom at import');\n`,
      'nothing.js': `export const x = 1;\n`,
      'bad.json': configText(['./plugins/praise.js', './missing.js', './throws.js', './nothing.js', './plugins/praise.js'], { praise: { minimum: 0 } }),
    });
    const file = join(dir, 'bad.json');
    const expected = [
      `${file}:4: plugins[1]: cannot find module "./missing.js": no such file: ${join(dir, 'missing.js')}`,
      `${file}:5: plugins[2]: importing "./throws.js" failed: boom at import (at ${join(dir, 'throws.js')}:1:7)`,
      `${file}:6: plugins[3]: "./nothing.js" exports no policies: export a policy made with definePolicy, or an array of them, as the default export or as "policies" (it exports "x")`,
      `${file}:7: plugins[4]: module "./plugins/praise.js" is the same as plugins[0] "./plugins/praise.js"; list each plugin once`,
      `${file}:11: policies.praise.minimum: must be at least 1; got 0`,
      `heed: 5 problems in ${file}; nothing was written`,
    ];
    const out = join(dir, 'out.html');
    for (const args of [['replay', events], ['validate', events], ['report', events, '--out', out], ['schema']]) {
      const result = await heedInProcess([...args, '--config', file]);
      expect(result.code, args[0]).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toEqual(expected);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('names a bad --plugin by the flag', async () => {
    const { dir, events } = project();
    const result = await heedInProcess(['replay', events, '--plugin', join(dir, 'nope.js')]);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `--plugin: cannot find module "${join(dir, 'nope.js')}": no such file: ${join(dir, 'nope.js')}\nheed: 1 problem in --plugin; nothing was written\n` });
  });

  it('blames the configuration file in the closing line only for problems of the file, the flag for its own', async () => {
    // A good heed.json and a bad --plugin: the file has no problem, so the summary must not name it.
    const { dir, config, events } = project({ 'bad.json': configText(['./missing.js']) });
    const nope = join(dir, 'nope.js');
    const flagOnly = await heedInProcess(['replay', events, '--config', config, '--plugin', nope]);
    expect(flagOnly.code).toBe(1);
    expect(flagOnly.stderr).toBe(`--plugin: cannot find module "${nope}": no such file: ${nope}\nheed: 1 problem in --plugin; nothing was written\n`);
    const both = await heedInProcess(['validate', events, '--config', join(dir, 'bad.json'), '--plugin', nope]);
    expect(both.code).toBe(1);
    expect(both.stderr.trimEnd().split('\n').at(-1)).toBe(`heed: 2 problems in ${join(dir, 'bad.json')} and --plugin; nothing was written`);
  });
});

describe('the built heed binary', () => {
  it('loads a plugin that imports heed and zod from its own node_modules, and reports a syntax error in one with Node’s words', async () => {
    const { dir, config, events } = project({ 'broken.js': 'export default {\n', 'broken.json': configText(['./broken.js']) });
    const ok = await heed(['replay', events, '--config', config, '--format', 'jsonl']);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('"kind":"praise.noted"');
    const broken = await heed(['validate', events, '--config', join(dir, 'broken.json')]);
    expect(broken.code).toBe(1);
    // Node 20 gives an ES module's syntax error no file and no line: heed finds them (the end of the input is line 2's start).
    expect(broken.stderr).toContain(`plugins[0]: importing "./broken.js" failed: SyntaxError: Unexpected end of input (at ${join(dir, 'broken.js')}:2:1)\n`);
  });

  it('names the file, line and column of a syntax error in a plugin, an ES module or CommonJS, or in a file a plugin imports', async () => {
    // Module syntax before the error (imports, export lists, import.meta, top-level await) is no obstacle.
    const esm = `import * as z from 'zod';\nimport { definePolicy } from 'heed';\nimport { helper } from './helper.mjs';\nconst here = import.meta.url;\nawait Promise.resolve();\nexport default definePolicy({\n  name: 'typo',\n  kinds: ['typo.x'],\n  initialState: () => ({}),\n  evolve(state, event) {\n    if (event.type === 'MatterOpened') state.seen = ;\n  },\n});\nexport { here };\n`;
    const cjs = `module.exports = {\n  name: 'typo',\n  evolve(state) { state.n = ) },\n};\n`;
    const helperBroken = `export function helper() {\n  return [1, 2;\n}\n`;
    // An await in evolve, which is not async: a module's top-level await is not the error, this one is.
    const syncAwait = `for await (const x of []) x;\nexport default {\n  name: 'waits',\n  evolve(state) {\n    state.n = await Promise.resolve(1);\n  },\n};\n`;
    const { dir, events } = project({
      'plugins/typo.mjs': esm,
      'plugins/helper.mjs': 'export const helper = 1;\n',
      'plugins/typo.cjs': cjs,
      'deep/uses.mjs': `import { helper } from './helper.mjs';\nexport default helper;\n`,
      'deep/helper.mjs': helperBroken,
      'plugins/sync-await.mjs': syncAwait,
      'typo.json': configText(['./plugins/typo.mjs']),
    });
    const column = (text: string, line: number, token: string) => text.split('\n')[line - 1]!.indexOf(token) + 1;
    const esmAt = `${join(dir, 'plugins/typo.mjs')}:11:${column(esm, 11, ';')}`;
    const fromConfig = await heed(['validate', events, '--config', join(dir, 'typo.json')]);
    expect(fromConfig.code).toBe(1);
    expect(fromConfig.stderr).toContain(`${join(dir, 'typo.json')}:3: plugins[0]: importing "./plugins/typo.mjs" failed: SyntaxError: Unexpected token ';' (at ${esmAt})\n`);
    const flags = [
      [join(dir, 'plugins/typo.mjs'), `SyntaxError: Unexpected token ';' (at ${esmAt})`],
      [join(dir, 'plugins/typo.cjs'), `SyntaxError: Unexpected token ')' (at ${join(dir, 'plugins/typo.cjs')}:3:${column(cjs, 3, ') }')})`],
      [join(dir, 'plugins/sync-await.mjs'), `SyntaxError: Unexpected reserved word (at ${join(dir, 'plugins/sync-await.mjs')}:5:${column(syncAwait, 5, 'await')})`],
      [join(dir, 'deep/uses.mjs'), `SyntaxError: Unexpected token ';' (at ${join(dir, 'deep/helper.mjs')}:2:${column(helperBroken, 2, ';')})`],
    ];
    for (const [plugin, words] of flags) {
      const run = await heed(['validate', events, '--plugin', plugin!]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`--plugin: importing "${plugin}" failed: ${words}\nheed: 1 problem in --plugin; nothing was written\n`);
    }
  });

  it('says what to do about the two plugins a new project trips on: ES module syntax in a .js file of a CommonJS package, and a TypeScript file', async () => {
    // `npm init -y` writes "type": "commonjs" (npm 11), and the README's plugins are ES modules in
    // .js files; the README's policies are TypeScript, which Node 20 does not import.
    const { dir, events } = project({
      'package.json': '{ "type": "commonjs" }\n',
      'plugins/typed.ts': pluginSource('typed', 'Typed'),
      'esm.json': configText(['./plugins/praise.js']),
      'ts.json': configText(['./plugins/typed.ts']),
    });
    const esm = await heed(['validate', events, '--config', join(dir, 'esm.json')]);
    expect(esm.code).toBe(1);
    expect(esm.stderr).toContain(
      `${join(dir, 'esm.json')}:3: plugins[0]: importing "./plugins/praise.js" failed: SyntaxError: Cannot use import statement outside a module (${join(dir, 'package.json')} makes .js files CommonJS: give it "type": "module", or name the plugin .mjs)\n`,
    );
    const ts = await heed(['validate', events, '--config', join(dir, 'ts.json')]);
    expect(ts.code).toBe(1);
    expect(ts.stderr).toContain(
      `${join(dir, 'ts.json')}:3: plugins[0]: importing "./plugins/typed.ts" failed: TypeError: Unknown file extension ".ts" for ${join(dir, 'plugins/typed.ts')} (a plugin is a JavaScript module: compile it, with tsc for one, and name the .js file)\n`,
    );
  });

  it('replays with the plugin in worker threads too, and prints the same bytes as in one thread', async () => {
    // The plugin notes each worker thread that imports it, so the test knows the workers ran it.
    const marker = `import { appendFileSync } from 'node:fs';\nimport { isMainThread, threadId } from 'node:worker_threads';\nif (!isMainThread) appendFileSync(new URL('../workers.log', import.meta.url), \`\${threadId}\\n\`);\n`;
    const generated = generateLines({ events: 800, customers: 40, seed: 11 });
    const customers = [...new Set(generated.map((l) => (JSON.parse(l) as { customerId: string }).customerId))];
    const praised = customers.flatMap((c, i) => (i % 3 === 0 ? [praise(c, '2017-12-01T10:00:00Z', 'thanks'), praise(c, '2017-12-02T10:00:00Z', `again ${i}`)] : []));
    const { dir, config } = project({
      'plugins/praise.js': `${marker}${pluginSource('praise', 'PraiseReceived')}`,
      'big.jsonl': `${generated.join('\n')}\n${praised.join('')}`,
    });
    const log = join(dir, 'workers.log');
    for (const format of ['json', 'table']) {
      const args = ['replay', join(dir, 'big.jsonl'), '--config', config, '--format', format];
      const [memory, oneThread] = await Promise.all([heed(args), heed(args, { env: { HEED_REPLAY_BUCKETS: '4', HEED_REPLAY_WORKERS: '1' } })]);
      expect(existsSync(log)).toBe(false);
      const workers = await heed(args, { env: { HEED_REPLAY_BUCKETS: '4', HEED_REPLAY_WORKERS: '2' } });
      expect(readFileSync(log, 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(1);
      expect(memory.stderr).toBe('');
      expect(memory.code).toBe(0);
      expect(memory.stdout).toContain('praise.noted');
      expect(oneThread).toEqual(memory);
      expect(workers).toEqual(memory);
      rmSync(log);
    }
    const validate = ['validate', join(dir, 'big.jsonl'), '--config', config];
    const [inMemory, inWorkers] = await Promise.all([heed(validate), heed(validate, { env: { HEED_REPLAY_BUCKETS: '4', HEED_REPLAY_WORKERS: '2' } })]);
    expect(inMemory).toEqual({ code: 0, stdout: expect.stringMatching(new RegExp(`^ok: \\d+ events, ${customers.length} customers, no problems\n$`)), stderr: '' });
    expect(inWorkers).toEqual(inMemory);
  }, 120_000);

  it('names the same failing customer, in one line, however the replay is cut into buckets and threads', async () => {
    // A plugin whose evolve throws on any event of a customer whose id ends in 1.
    const throwing = `import { definePolicy } from 'heed';
export default definePolicy({
  name: 'fragile',
  kinds: ['fragile.x'],
  initialState: () => ({}),
  evolve(_state, event) {
    if (event.customerId.endsWith('1')) throw new Error(\`kaboom \${event.customerId}\`);
  },
});
`;
    const { dir, runs, first } = await replayCutFourWays('fragile', throwing);
    // Where it threw, in the plugin's file: the first stack frame there, never a stack.
    const at = siteOf(join(dir, 'plugins/fragile.js'), throwing, 'new Error');
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(new RegExp(`^heed: policy "fragile" failed on event "[^"]+" of customer "${first}": kaboom ${first} \\(at ${literal(at)}\\)\n$`));
    }
    expect(new Set(runs.map((run) => run.stderr)).size).toBe(1);
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  }, 120_000);

  it('refuses a finding naming a matter its customer never opened, the same however the replay is cut into buckets and threads', async () => {
    // A plugin reporting on every MatterOpened a finding about that matter, but for a customer whose id ends in 1 about one never opened.
    const naming = `import { definePolicy } from 'heed';
export default definePolicy({
  name: 'naming',
  kinds: ['naming.x'],
  initialState: () => ({}),
  evolve(_state, event, ctx) {
    if (event.type !== 'MatterOpened') return;
    const matterId = event.customerId.endsWith('1') ? 'nowhere' : event.data.matterId;
    ctx.report({ kind: 'naming.x', subject: event.id, matterId, detectedAt: event.time, severity: 'info', message: 'opened', evidence: [event.id], details: {} });
  },
});
`;
    const { dir, runs, first } = await replayCutFourWays('naming', naming);
    // The finding is refused inside heed; where is the plugin's call of ctx.report.
    const at = siteOf(join(dir, 'plugins/naming.js'), naming, 'report(');
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        new RegExp(`^heed: policy "naming" failed on event "[^"]+" of customer "${first}": reported a "naming\\.x" finding whose matterId names "nowhere", which is not a matter of this customer's stream: [^\n]+ \\(at ${literal(at)}\\)\n$`),
      );
    }
    expect(new Set(runs.map((run) => run.stderr)).size).toBe(1);
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  }, 120_000);

  it('names the same customer, in one line without a stack, when a summary throws, however the replay is cut into buckets and threads', async () => {
    // A plugin whose summary throws for any customer whose id ends in 1 (evolve keeps the id in the state).
    const brittle = `import { definePolicy } from 'heed';
export default definePolicy({
  name: 'brittle',
  kinds: ['brittle.x'],
  initialState: () => ({ customerId: '' }),
  evolve(state, event) {
    state.customerId = event.customerId;
  },
  summary(state) {
    if (state.customerId.endsWith('1')) throw new Error(\`kaboom \${state.customerId}\`);
    return {};
  },
});
`;
    const { dir, runs, first } = await replayCutFourWays('brittle', brittle);
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`heed: policy "brittle" failed on the summary of customer "${first}": kaboom ${first} (at ${siteOf(join(dir, 'plugins/brittle.js'), brittle, 'new Error')})\n`);
    }
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  }, 120_000);
});

/** `file:line:column` of the first `marker` in `source` (the text of `file`), 1-based as a stack gives it. */
function siteOf(file: string, source: string, marker: string): string {
  const lines = source.split('\n');
  const index = lines.findIndex((l) => l.includes(marker));
  expect(index).toBeGreaterThanOrEqual(0);
  return `${file}:${index + 1}:${(lines[index] ?? '').indexOf(marker) + 1}`;
}

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * 800 generated events of 40 customers replayed with the plugin `name` (source `text`, failing for
 * customers whose id ends in 1), whole and cut into buckets and worker threads four ways, in
 * parallel; `first` is the failing customer first by id.
 */
async function replayCutFourWays(name: string, text: string) {
  const generated = generateLines({ events: 800, customers: 40, seed: 11 });
  const customers = [...new Set(generated.map((l) => (JSON.parse(l) as { customerId: string }).customerId))];
  const failing = customers.filter((c) => c.endsWith('1'));
  expect(failing.length).toBeGreaterThan(1);
  const { dir, config } = project({ [`plugins/${name}.js`]: text, 'heed.json': configText(['./plugins/praise.js', `./plugins/${name}.js`]), 'big.jsonl': `${generated.join('\n')}\n` });
  const args = ['replay', join(dir, 'big.jsonl'), '--config', config, '--format', 'json', '--out', join(dir, 'out.json')];
  const runs = await Promise.all([
    heed(args),
    heed(args, { env: { HEED_REPLAY_BUCKETS: '4', HEED_REPLAY_WORKERS: '1' } }),
    heed(args, { env: { HEED_REPLAY_BUCKETS: '4', HEED_REPLAY_WORKERS: '2' } }),
    heed(args, { env: { HEED_REPLAY_BUCKETS: '7', HEED_REPLAY_WORKERS: '2' } }),
  ]);
  return { dir, runs, first: [...failing].sort()[0] as string };
}
