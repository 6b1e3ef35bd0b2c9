import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinPolicies, ConfigError, Engine, loadConfigFile, loadConfigFileWithPlugins, UsageError } from '../../src/index.js';
import { policiesOf } from '../../src/config/load-plugins.js';
import { pluginProject, pluginSource } from '../plugin-project.js';

/**
 * `plugins` in the configuration file: modules of policy plugins, loaded by
 * `loadConfigFileWithPlugins` (and the CLI), added to the built-in policies. Every way a plugin
 * can fail to load is a ConfigError naming the file, the line of its `plugins[i]` entry, the
 * module and the reason.
 */

const config = (plugins: readonly string[], policies: object = {}) =>
  `{\n  "calendar": { "timeZone": "UTC" },\n  "plugins": [\n${plugins.map((p) => `    ${JSON.stringify(p)}`).join(',\n')}\n  ],\n  "policies": ${JSON.stringify(policies)}\n}\n`;

/** The problems of loading `heed.json` in `dir`, as `heed.json:line: path: message` with the directory left out. */
async function problems(dir: string): Promise<{ rule: string; text: string }[]> {
  const file = join(dir, 'heed.json');
  try {
    await loadConfigFileWithPlugins(file);
  } catch (error) {
    if (error instanceof ConfigError) return error.errors.map((e) => ({ rule: e.rule, text: String(e).replaceAll(dir, '<dir>') }));
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfigFileWithPlugins', () => {
  it('adds the plugins’ policies after the built-in ones, with their options validated by their own schemas', async () => {
    const dir = pluginProject({
      'plugins/praise.js': pluginSource('praise', 'PraiseReceived'),
      'heed.json': config(['./plugins/praise.js'], { praise: { minimum: 2 }, promises: { grace: 'PT1H' } }),
    });
    const loaded = await loadConfigFileWithPlugins(join(dir, 'heed.json'));
    expect(loaded.policies.map((p) => p.name)).toEqual([...builtinPolicies.map((p) => p.name), 'praise']);
    expect(loaded.plugins).toEqual([{ specifier: './plugins/praise.js', url: pathToFileURL(join(dir, 'plugins/praise.js')).href, policies: [loaded.policies.at(-1)] }]);
    expect(loaded.config.options.get('praise')).toEqual({ minimum: 2 });
    expect(loaded.config.options.get('promises')).toMatchObject({ grace: { text: 'PT1H' } });
    const engine = new Engine(loaded);
    expect(engine.registry.has('PraiseReceived')).toBe(true);
    await engine.record([
      { customerId: 'c', type: 'PraiseReceived', at: '2024-01-01T10:00:00Z', data: { text: 'thanks' } },
      { customerId: 'c', type: 'PraiseReceived', at: '2024-01-02T10:00:00Z', data: { text: 'thanks again' } },
    ]);
    expect((await engine.findings()).map((f) => [f.kind, f.details['count']])).toEqual([['praise.noted', 2]]);
  });

  it('takes the default export and/or the named export "policies", each a policy or an array; other exports are ignored', async () => {
    const dir = pluginProject({
      'a.js': pluginSource('alpha', 'AlphaHappened', 'policies'),
      'b.js': `${pluginSource('beta', 'BetaHappened')}export const helper = 1;\n`,
      'heed.json': config(['./a.js', './b.js']),
    });
    const loaded = await loadConfigFileWithPlugins(join(dir, 'heed.json'), { policies: [] });
    expect(loaded.policies.map((p) => p.name)).toEqual(['alpha', 'beta']);
  });

  it('reads an imported CommonJS module the same way: module.exports = policy or array, or exports.policies', () => {
    const [one, two] = builtinPolicies;
    expect(policiesOf({ default: one, 'module.exports': one })).toEqual({ ok: true, policies: [one] });
    expect(policiesOf({ default: [one, two] })).toEqual({ ok: true, policies: [one, two] });
    // `exports.policies = [...]`: the default is the exports object, `policies` also a named export.
    expect(policiesOf({ default: { policies: [one] }, policies: [one] })).toEqual({ ok: true, policies: [one] });
    // Both ways, the same policy twice: once.
    expect(policiesOf({ default: one, policies: [one, two] })).toEqual({ ok: true, policies: [one, two] });
  });

  it('finds a package in node_modules, by its package.json exports for import', async () => {
    const dir = pluginProject({
      'node_modules/heed-plugin-praise/package.json': JSON.stringify({ name: 'heed-plugin-praise', type: 'module', exports: { '.': { import: './praise.js' }, './package.json': './package.json' } }),
      'node_modules/heed-plugin-praise/praise.js': pluginSource('praise', 'PraiseReceived'),
      'config/heed.json': config(['heed-plugin-praise']),
    });
    const loaded = await loadConfigFileWithPlugins(join(dir, 'config/heed.json'));
    expect(loaded.plugins.map((p) => [p.specifier, p.url])).toEqual([['heed-plugin-praise', pathToFileURL(join(dir, 'node_modules/heed-plugin-praise/praise.js')).href]]);
  });

  it('loadConfigFile leaves the plugins alone: the caller chose the policies, and the key is only checked', async () => {
    const dir = pluginProject({ 'heed.json': config(['./nowhere.js']) });
    const resolved = await loadConfigFile(join(dir, 'heed.json'));
    expect([...resolved.options.keys()]).toEqual(builtinPolicies.map((p) => p.name));
    writeFileSync(join(dir, 'bad.json'), '{ "plugins": "./praise.js" }');
    await expect(loadConfigFile(join(dir, 'bad.json'))).rejects.toThrow(/plugins: expected array, got string/);
  });

  it('a module that cannot be found: the path it looked for, or the package it did not find', async () => {
    const dir = pluginProject({ 'plugins/praise.js': pluginSource('praise', 'PraiseReceived'), 'heed.json': config(['./plugins/nope.js', 'heed-plugin-nope', 'plugins/praise.js', './plugins']) });
    expect(await problems(dir)).toEqual([
      { rule: 'plugin-not-found', text: '<dir>/heed.json:4: plugins[0]: cannot find module "./plugins/nope.js": no such file: <dir>/plugins/nope.js' },
      {
        rule: 'plugin-not-found',
        text: '<dir>/heed.json:5: plugins[1]: cannot find module "heed-plugin-nope": no package "heed-plugin-nope" in node_modules from <dir> up (install it, or give a path starting with ./)',
      },
      {
        rule: 'plugin-not-found',
        text: '<dir>/heed.json:6: plugins[2]: cannot find module "plugins/praise.js": no package "plugins" in node_modules from <dir> up; for the file <dir>/plugins/praise.js write "./plugins/praise.js"',
      },
      {
        rule: 'plugin-not-found',
        text: `<dir>/heed.json:7: plugins[3]: cannot find module "./plugins": <dir>/plugins is a directory; name the module file itself (import does not open a directory's index)`,
      },
    ]);
  });

  it('a file named without its extension, or by the .js name of a TypeScript source: says which file is there and what to write', async () => {
    const dir = pluginProject({
      'dist/no-reply.js': pluginSource('praise', 'PraiseReceived'),
      'src/no-reply.ts': `export {};\n`,
      'heed.json': config(['./dist/no-reply', './src/no-reply.js', './src/nope.js', 'dist/no-reply', 'src/no-reply.js']),
    });
    expect(await problems(dir)).toEqual([
      {
        rule: 'plugin-not-found',
        text: '<dir>/heed.json:4: plugins[0]: cannot find module "./dist/no-reply": no such file: <dir>/dist/no-reply (<dir>/dist/no-reply.js is there: write "./dist/no-reply.js"; import does not guess an extension)',
      },
      {
        rule: 'plugin-not-found',
        text: '<dir>/heed.json:5: plugins[1]: cannot find module "./src/no-reply.js": no such file: <dir>/src/no-reply.js (<dir>/src/no-reply.ts is there: a plugin is a JavaScript module: compile it, with tsc for one, and name the .js file)',
      },
      { rule: 'plugin-not-found', text: '<dir>/heed.json:6: plugins[2]: cannot find module "./src/nope.js": no such file: <dir>/src/nope.js' },
      // Without ./ a package name, as import reads it (the flag's "as the shell names it" files are existing ones).
      { rule: 'plugin-not-found', text: '<dir>/heed.json:7: plugins[3]: cannot find module "dist/no-reply": no package "dist" in node_modules from <dir> up; for the file <dir>/dist/no-reply.js write "./dist/no-reply.js"' },
      {
        rule: 'plugin-not-found',
        text: '<dir>/heed.json:8: plugins[4]: cannot find module "src/no-reply.js": no package "src" in node_modules from <dir> up; <dir>/src/no-reply.ts is there: a plugin is a JavaScript module: compile it, with tsc for one, and name the .js file',
      },
    ]);
  });

  it('a module that throws when imported: where in the plugin it threw, past heed’s own frames', async () => {
    const dir = pluginProject({
      'throws.js': `const settings = {};\nJSON.parse(settings.text);\n`,
      'bad-definition.js': `import { definePolicy } from 'heed';\n\nexport default definePolicy({ name: 'ok-name', kinds: ['ok-name.x'], initialState: () => ({}), evolv() {} });\n`,
      'heed.json': config(['./throws.js', './bad-definition.js']),
    });
    const found = await problems(dir);
    expect(found[0]?.text).toBe('<dir>/heed.json:4: plugins[0]: importing "./throws.js" failed: SyntaxError: "undefined" is not valid JSON (at <dir>/throws.js:2:6)');
    expect(found[1]?.text).toMatch(/^<dir>\/heed\.json:5: plugins\[1\]: importing "\.\/bad-definition\.js" failed: UsageError: policy "ok-name": 2 problems: unknown field "evolv" .*; evolve must be a function, got undefined \(at <dir>\/bad-definition\.js:3:\d+\)$/);
  });

  it('a module that throws when imported, or does not parse', async () => {
    const dir = pluginProject({
      'throws.js': `throw new Error('no database connection');\n`,
      'broken.js': `export default {\n`,
      'bad-definition.js': `import { definePolicy } from 'heed';\nexport default definePolicy({ name: 'Bad Name', kinds: ['x.y'], initialState: () => ({}), evolve() {} });\n`,
      'heed.json': config(['./throws.js', './broken.js', './bad-definition.js']),
    });
    const found = await problems(dir);
    expect(found.map((p) => p.rule)).toEqual(['plugin-import-failed', 'plugin-import-failed', 'plugin-import-failed']);
    expect(found[0]?.text).toBe('<dir>/heed.json:4: plugins[0]: importing "./throws.js" failed: no database connection (at <dir>/throws.js:1:7)');
    // The parser's own words (vitest's transform here; Node's SyntaxError from the binary, test/cli/plugins.test.ts).
    expect(found[1]?.text).toMatch(/^<dir>\/heed\.json:5: plugins\[1\]: importing "\.\/broken\.js" failed: \S/);
    expect(found[2]?.text).toMatch(/^<dir>\/heed\.json:6: plugins\[2\]: importing "\.\/bad-definition\.js" failed: UsageError: policy name "Bad Name" must be lowercase/);
  });

  it('a module whose policy declares a core finding kind: refused when imported, naming the entry, the module, the kind and its built-in policy', async () => {
    const dir = pluginProject({
      'promise.js': `import { definePolicy } from 'heed';\nexport default definePolicy({ name: 'promise', kinds: ['promise.broken'], initialState: () => ({}), evolve() {} });\n`,
      'heed.json': config(['./promise.js']),
    });
    expect(await problems(dir)).toEqual([
      {
        rule: 'plugin-import-failed',
        // The column is the call's, which vitest's transform of the module moves.
        text: expect.stringMatching(
          /^<dir>\/heed\.json:4: plugins\[0\]: importing "\.\/promise\.js" failed: UsageError: policy "promise" declares finding kind "promise\.broken", a core kind that the built-in policy "promises" reports: a plugin reports kinds of its own, namespaced as "promise\.<what>" \(at <dir>\/promise\.js:2:\d+\)$/,
        ),
      },
    ]);
  });

  it('a module that exports no policy, or something not made with definePolicy', async () => {
    const dir = pluginProject({
      'nothing.js': `export const helper = () => 1;\n`,
      'empty.js': `export const policies = [];\n`,
      'plain.js': `export default { name: 'praise', kinds: ['praise.noted'], initialState: () => ({}), evolve() {} };\n`,
      'factory.js': `export default function makePolicy() {}\n`,
      'mixed.js': `${pluginSource('alpha', 'AlphaHappened', 'named')}export const policies = [thePolicy, 'beta'];\n`,
      'null.js': `export default null;\n`,
      'heed.json': config(['./nothing.js', './empty.js', './plain.js', './factory.js', './mixed.js', './null.js']),
    });
    expect(await problems(dir)).toEqual([
      {
        rule: 'plugin-no-policies',
        text: '<dir>/heed.json:4: plugins[0]: "./nothing.js" exports no policies: export a policy made with definePolicy, or an array of them, as the default export or as "policies" (it exports "helper")',
      },
      { rule: 'plugin-no-policies', text: '<dir>/heed.json:5: plugins[1]: "./empty.js" exports no policies: its "policies" export is an empty array' },
      {
        rule: 'plugin-not-a-policy',
        text: '<dir>/heed.json:6: plugins[2]: the default export of "./plain.js" is not a policy made with definePolicy (got a plain object named "praise": wrap it in definePolicy({ … }) from "heed")',
      },
      {
        rule: 'plugin-not-a-policy',
        text: '<dir>/heed.json:7: plugins[3]: the default export of "./factory.js" is not a policy made with definePolicy (got a function "makePolicy": export the policy, not a function that makes one)',
      },
      // No advice to give: worded as every other wrong value is, "must be X, got Y" (a string as itself).
      { rule: 'plugin-not-a-policy', text: '<dir>/heed.json:8: plugins[4]: the "policies" export[1] of "./mixed.js" must be a policy made with definePolicy, got "beta"' },
      { rule: 'plugin-not-a-policy', text: '<dir>/heed.json:9: plugins[5]: the default export of "./null.js" must be a policy made with definePolicy, got null' },
    ]);
  });

  it("a module that exports an object marked as a policy by hand, while a policy made by the package's own copy of heed loads", async () => {
    const dir = pluginProject({
      // `heed` here is the built package, another copy than the one loading it: its policies pass.
      'real.js': pluginSource('alpha', 'AlphaHappened'),
      'forged.js': `export default Object.defineProperty({ name: 'praise', kinds: ['praise.noted'], initialState: () => ({}), evolve() {} }, Symbol.for('heed.policy'), { value: true });\n`,
      'heed.json': config(['./real.js', './forged.js']),
    });
    expect(await problems(dir)).toEqual([
      {
        rule: 'plugin-not-a-policy',
        text: '<dir>/heed.json:5: plugins[1]: the default export of "./forged.js" is not a policy made with definePolicy (got a plain object named "praise" with a policy mark definePolicy did not give it, copied from a policy or set by hand: pass the policy definePolicy returned, or wrap the object in definePolicy({ … }) from "heed")',
      },
    ]);
  });

  it('a name or an event type already taken (by a built-in policy, the core, another plugin), or a module listed twice', async () => {
    const dir = pluginProject({
      'praise.js': pluginSource('praise', 'PraiseReceived'),
      'praise-too.js': pluginSource('praise', 'PraiseAgain'),
      'burden.js': pluginSource('burden', 'BurdenFelt'),
      'core-type.js': pluginSource('shadow', 'MatterOpened'),
      'same-type.js': pluginSource('kudos', 'PraiseReceived'),
      'heed.json': config(['./praise.js', './praise-too.js', './burden.js', './core-type.js', './same-type.js', './praise.js']),
    });
    expect(await problems(dir)).toEqual([
      {
        rule: 'plugin-name-clash',
        text: `<dir>/heed.json:5: plugins[1]: "./praise-too.js" has a policy named "praise", the name of policy "praise" of plugins[0] "./praise.js"; a plugin's policies need names of their own`,
      },
      {
        rule: 'plugin-name-clash',
        text: `<dir>/heed.json:6: plugins[2]: "./burden.js" has a policy named "burden", the name of the built-in policy; a plugin's policies need names of their own`,
      },
      { rule: 'plugin-event-type', text: '<dir>/heed.json:7: plugins[3]: "./core-type.js": policy "shadow" registers event type "MatterOpened", which is a core event type' },
      {
        rule: 'plugin-event-type',
        text: '<dir>/heed.json:8: plugins[4]: "./same-type.js": policy "kudos" registers event type "PraiseReceived", which is already registered by policy "praise"',
      },
      { rule: 'plugin-duplicate', text: '<dir>/heed.json:9: plugins[5]: module "./praise.js" is the same as plugins[0] "./praise.js"; list each plugin once' },
    ]);
  });

  it("lists the plugins' problems with the rest of the file's; a plugin's policy name is known, its options checked", async () => {
    const dir = pluginProject({
      'praise.js': pluginSource('praise', 'PraiseReceived'),
      'heed.json': config(['./praise.js', ''], { praise: { minimun: 2 }, nonsense: {} }),
    });
    expect(await problems(dir)).toEqual([
      { rule: 'too-small', text: '<dir>/heed.json:5: plugins[1]: must not be empty' },
      // One line: praise's problem comes first in it, as it is checked after the unknown policy.
      { rule: 'unknown-field', text: '<dir>/heed.json:7: policies.praise.minimun: unknown field (policies.praise has minimum). Did you mean "minimum"?' },
      {
        rule: 'unknown-policy',
        text: expect.stringMatching(/^<dir>\/heed\.json:7: policies\.nonsense: unknown policy "nonsense": no policy of that name is loaded \(loaded: .*"feedback", "praise"\); list its plugin in "plugins", or pass it in "policies"$/),
      },
    ]);
  });

  it('an event type name of the wrong form is invalid-format, as new Engine({ policies }) reports it (plugin-event-type is for a type taken)', async () => {
    const dir = pluginProject({ 'odd.js': pluginSource('odd', '"9lives"'), 'heed.json': config(['./odd.js']) });
    expect(await problems(dir)).toEqual([
      {
        rule: 'invalid-format',
        text: `<dir>/heed.json:4: plugins[0]: "./odd.js": policy "odd" registers event type "9lives": a type name starts with a letter and uses letters, digits, '.', '_' or '-'`,
      },
    ]);
    const odd = ((await import(pathToFileURL(join(dir, 'odd.js')).href)) as { default: never }).default;
    const direct = (() => {
      try {
        return new Engine({ policies: [odd] });
      } catch (error) {
        return error;
      }
    })();
    expect(direct).toMatchObject({ rule: 'invalid-format' });
  });

  it('keeps file order and every other problem when a plugin loaded but was refused (a name clash)', async () => {
    const text = `${JSON.stringify({ calendar: { timeZone: 'Mars/Olympus' }, plugins: ['./burden.js'], policies: { nonsense: {} } }, null, 2)}\n`;
    const dir = pluginProject({ 'burden.js': pluginSource('burden', 'BurdenFelt'), 'heed.json': text });
    expect((await problems(dir)).map((p) => [p.rule, p.text.split(':')[1]])).toEqual([
      ['time-zone', '3'],
      ['plugin-name-clash', '6'],
      ['unknown-policy', '9'],
    ]);
  });

  it("does not add 'unknown policy' for the options of a plugin that did not load", async () => {
    const dir = pluginProject({ 'heed.json': config(['./praise.js'], { praise: { minimum: 2 } }) });
    expect((await problems(dir)).map((p) => p.rule)).toEqual(['plugin-not-found']);
  });
});

describe('loadConfigFileWithPlugins options', () => {
  it('refuses an option name it does not know, naming it and the known ones, before reading the file', async () => {
    await expect(loadConfigFileWithPlugins('no-such-heed.json', { plugins: ['x'] } as never)).rejects.toThrow(
      new UsageError('loadConfigFileWithPlugins: unknown option "plugins" (the options are "policies")', { path: 'plugins', rule: 'unknown-field' }),
    );
  });
});
