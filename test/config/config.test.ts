import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { burden, Calendar, ConfigError, definePolicy, durationOption, Engine, inattention, loadConfigFile, loadConfigFileWithPlugins, promises, resolveConfig } from '../../src/index.js';
import { tempDir } from '../temp-dir.js';

const plugin = definePolicy({
  name: 'demo',
  options: z.strictObject({ threshold: z.number().int().default(3), window: durationOption('P30D') }),
  kinds: ['demo.found'],
  initialState: () => ({}),
  evolve() {},
});

function configErrors(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.errors.map(String);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** The ConfigError's problems as { path, rule, detail } rows. */
function configProblems(run: () => unknown): { path: string; rule: string; detail: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.errors.map(({ path, rule, detail }) => ({ path, rule, detail }));
    throw error;
  }
  throw new Error('expected a ConfigError');
}

async function fileErrors(text: string): Promise<string[]> {
  const path = join(tempDir('heed-config-'), 'heed.json');
  writeFileSync(path, text);
  try {
    await loadConfigFile(path, [plugin]);
  } catch (error) {
    if (error instanceof ConfigError) return error.errors.map((e) => String(e).replace(path, 'heed.json'));
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('applies every default when the configuration is empty', () => {
    const config = resolveConfig({}, [plugin]);
    expect(config.calendar.timeZone).toBe('UTC');
    expect(config.options.get('demo')).toMatchObject({ threshold: 3, window: { text: 'P30D', days: 30 } });
  });

  it('names unknown top-level keys, unknown policies and misspelt options', () => {
    expect(configErrors(() => resolveConfig({ calender: {}, policies: { demo: { treshold: 2 }, inattentoin: {} } }, [plugin]))).toEqual([
      'calender: unknown field (the configuration has calendar, plugins and policies). Did you mean "calendar"?',
      'policies.inattentoin: unknown policy "inattentoin": no policy of that name is loaded (loaded: "demo"); pass it in "policies" with the others, or load its plugin (loadConfigFileWithPlugins)',
      'policies.demo.treshold: unknown field (policies.demo has threshold and window). Did you mean "threshold"?',
    ]);
  });

  it('says an engine given options of a policy it was not given that the policy is not loaded, how to add it, and which are', () => {
    const error = configErrors(() => new Engine({ config: { policies: { 'no-reply-wait': { hours: 4 } } } }));
    expect(error).toEqual([
      'policies.no-reply-wait: unknown policy "no-reply-wait": no policy of that name is loaded (loaded: "inattention", "promises", "burden", "survey", "feedback"); pass it in "policies" with the others, or load its plugin (loadConfigFileWithPlugins)',
    ]);
    // A misspelt loaded one is suggested as an unknown key is, after the same words.
    expect(configErrors(() => new Engine({ config: { policies: { promise: {} } } }))).toEqual([
      'policies.promise: unknown policy "promise": no policy of that name is loaded (loaded: "inattention", "promises", "burden", "survey", "feedback"); pass it in "policies" with the others, or load its plugin (loadConfigFileWithPlugins). Did you mean "promises"?',
    ]);
  });

  it('words an unknown key the same at every depth, naming where it is and the keys allowed there', async () => {
    const bare = definePolicy({ name: 'bare', kinds: ['bare.x'], initialState: () => ({}), evolve() {} });
    const text = [
      '{',
      '  "calender": {},',
      '  "calendar": { "businessHours": { "monday": null } },',
      '  "policies": {',
      '    "demo": { "window": "P1D", "treshold": 2 },',
      '    "bare": { "threshold": 2 }',
      '  }',
      '}',
    ].join('\n');
    const path = join(tempDir('heed-config-'), 'heed.json');
    writeFileSync(path, text);
    const error = await loadConfigFile(path, [plugin, bare]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).errors.map((e) => String(e).replace(path, 'heed.json'))).toEqual([
      // Not "calendar": the file has one.
      'heed.json:2: calender: unknown field (the configuration has calendar, plugins and policies)',
      'heed.json:3: calendar.businessHours.monday: unknown field (calendar.businessHours has mon, tue, wed, thu, fri, sat and sun). Did you mean "mon"?',
      'heed.json:5: policies.demo.treshold: unknown field (policies.demo has threshold and window). Did you mean "threshold"?',
      'heed.json:6: policies.bare.threshold: unknown field (policies.bare has no fields)',
    ]);
    // A calendar given to the engine or a Calendar in code is checked with the same words.
    expect(() => new Calendar({ timezone: 'UTC' } as never)).toThrow('calendar.timezone: unknown field (calendar has timeZone, businessHours and holidays). Did you mean "timeZone"?');
  });

  it('suggests the closest key of the object an unknown one is in, by the rule of an unknown event type, and none that is given already or like none', () => {
    expect(configErrors(() => resolveConfig({ calendar: { timezone: 'UTC', businesHours: {} }, policies: { demo: { windw: 'P1D', threshold: 2, treshold: 3 } } }, [plugin]))).toEqual([
      'calendar.timezone: unknown field (calendar has timeZone, businessHours and holidays). Did you mean "timeZone"?',
      'calendar.businesHours: unknown field (calendar has timeZone, businessHours and holidays). Did you mean "businessHours"?',
      'policies.demo.windw: unknown field (policies.demo has threshold and window). Did you mean "window"?',
      'policies.demo.treshold: unknown field (policies.demo has threshold and window)',
    ]);
    expect(configErrors(() => resolveConfig({ timeZone: 'UTC', calendar: { timeZone: 'UTC', timezone: 'UTC' } }, [plugin]))).toEqual([
      'timeZone: unknown field (the configuration has calendar, plugins and policies)',
      'calendar.timezone: unknown field (calendar has timeZone, businessHours and holidays)',
    ]);
  });

  it("gives a policy named like a property every object inherits (constructor) its defaults, not Object's constructor", () => {
    // `policies[name]` read through the prototype: a plugin named "constructor" failed to start
    // with "policies.constructor: expected object, got function" when the configuration had no options for it.
    const named = definePolicy({ name: 'constructor', options: z.strictObject({ n: z.number().default(1) }), kinds: ['constructor.x'], initialState: () => ({}), evolve() {} });
    expect(resolveConfig({}, [named]).options.get('constructor')).toEqual({ n: 1 });
    expect(resolveConfig({ policies: { constructor: { n: 2 } } }, [named]).options.get('constructor')).toEqual({ n: 2 });
  });

  it('rejects an invalid duration option with the expected form', () => {
    expect(configErrors(() => resolveConfig({ policies: { demo: { window: '30 days' } } }, [plugin]))).toEqual([
      expect.stringMatching(/^policies\.demo\.window: .*ISO-8601 duration/),
    ]);
  });

  it('tells a wrong type or value from a missing option, naming what was given', () => {
    const config = { calendar: { timeZone: 5 }, policies: { demo: { threshold: '3' }, inattention: { clock: 'wall' }, promises: { warnBefore: 5 } } };
    expect(configProblems(() => resolveConfig(config, [plugin, inattention, promises]))).toEqual([
      { path: 'calendar.timeZone', rule: 'invalid-type', detail: 'expected string, got number 5' },
      { path: 'policies.demo.threshold', rule: 'invalid-type', detail: 'expected number, got string "3"' },
      { path: 'policies.inattention.clock', rule: 'invalid-value', detail: 'must be one of "business", "calendar"; got "wall"' },
      { path: 'policies.promises.warnBefore', rule: 'invalid-type', detail: expect.stringContaining('ISO-8601 duration') },
    ]);
  });

  it("words zod's built-in checks in heed's terms", () => {
    expect(configProblems(() => resolveConfig({ policies: { demo: { threshold: 2.5 }, burden: { levels: [] } } }, [plugin, burden]))).toEqual([
      { path: 'policies.demo.threshold', rule: 'invalid-type', detail: 'expected integer, got number 2.5' },
      { path: 'policies.burden.levels', rule: 'too-small', detail: 'must have at least 1 item; got 0' },
    ]);
    expect(configProblems(() => resolveConfig({ policies: { burden: { levels: [0, 5] } } }, [burden]))).toEqual([
      { path: 'policies.burden.levels[0]', rule: 'too-small', detail: 'must be greater than 0; got 0' },
    ]);
  });

  it('locates each problem in a config file by line', async () => {
    const text = ['{', '  "calendar": { "timeZone": "Mars/Base" },', '  "policies": {', '    "demo": {', '      "treshold": 2', '    }', '  }', '}'].join('\n');
    expect(await fileErrors(text)).toEqual([expect.stringMatching(/^heed\.json:2: calendar\.timeZone: /), expect.stringMatching(/^heed\.json:5: policies\.demo\.treshold: unknown field/)]);
  });

  it('lists the problems of a config file in file order, as loadConfigFileWithPlugins does, whatever order they were checked in', async () => {
    // zod reports a nested object's unknown key (businessHours.monday) before its parent's (timezone).
    const text = [
      '{',
      '  "calendar": {',
      '    "holidays": [],',
      '    "timezone": "UTC",',
      '    "businessHours": { "monday": null }',
      '  }',
      '}',
    ].join('\n');
    const expected = [expect.stringMatching(/^heed\.json:4: calendar\.timezone: unknown field/), expect.stringMatching(/^heed\.json:5: calendar\.businessHours\.monday: unknown field/)];
    expect(await fileErrors(text)).toEqual(expected);
    // resolveConfig given a locator sorts the same way.
    const lines: Record<string, number> = { 'calendar.timezone': 4, 'calendar.businessHours.monday': 5 };
    const raw = JSON.parse(text) as unknown;
    expect(configErrors(() => resolveConfig(raw, [plugin], { file: 'heed.json', locate: (path) => lines[path.join('.')] }))).toEqual(expected);
    // Through loadConfigFileWithPlugins too (it had its own sort).
    const path = join(tempDir('heed-config-'), 'heed.json');
    writeFileSync(path, text);
    const error = await loadConfigFileWithPlugins(path, { policies: [plugin] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).errors.map((e) => String(e).replace(path, 'heed.json'))).toEqual(expected);
  });

  it('lists the problems of a one-line config file in column order, whatever order they were checked in', async () => {
    // The calendar is checked before the policies, and the plugins are loaded before either is checked.
    const text = '{ "policies": { "demo": { "treshold": 2 } }, "calendar": { "timeZone": "Mars/Base" } }';
    const problems = [expect.stringMatching(/^heed\.json:1: policies\.demo\.treshold: unknown field/), expect.stringMatching(/^heed\.json:1: calendar\.timeZone: /)];
    expect(await fileErrors(text)).toEqual(problems);
    const path = join(tempDir('heed-config-'), 'heed.json');
    const oneLine = '{ "calendar": { "timeZone": "Mars/Base" }, "plugins": ["./missing.js"] }';
    writeFileSync(path, oneLine);
    const error = await loadConfigFileWithPlugins(path, { policies: [plugin] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    // Each at its key (1-based columns), as its line is.
    expect((error as ConfigError).errors.map(({ line, column, path: at }) => ({ line, column, path: at }))).toEqual([
      { line: 1, column: oneLine.indexOf('"timeZone"') + 1, path: 'calendar.timeZone' },
      { line: 1, column: oneLine.indexOf('"./missing.js"') + 1, path: 'plugins[0]' },
    ]);
  });

  it('refuses a "__proto__" key in a config file as an unknown key, with its line, path and rule, rather than taking it as the object\'s prototype', async () => {
    // The JSON parser assigned keys, so "__proto__" set the prototype: its options were dropped
    // (under policies) or reported under the wrong path (at the top level), never refused as written.
    const text = [
      '{',
      '  "__proto__": { "calendar": {} },',
      '  "calendar": { "__proto__": { "timeZone": "UTC" } },',
      '  "policies": {',
      '    "__proto__": { "demo": { "threshold": 2 } },',
      '    "demo": { "__proto__": { "threshold": 2 }, "constructor": 1 }',
      '  }',
      '}',
    ].join('\n');
    expect(await fileErrors(text)).toEqual([
      'heed.json:2: __proto__: unknown field (the configuration has calendar, plugins and policies)',
      'heed.json:3: calendar.__proto__: unknown field (calendar has timeZone, businessHours and holidays)',
      'heed.json:5: policies.__proto__: unknown policy "__proto__": no policy of that name is loaded (loaded: "demo"); pass it in "policies" with the others, or load its plugin (loadConfigFileWithPlugins)',
      'heed.json:6: policies.demo.__proto__: unknown field (policies.demo has threshold and window)',
      'heed.json:6: policies.demo.constructor: unknown field (policies.demo has threshold and window)',
    ]);
    const path = join(tempDir('heed-config-'), 'heed.json');
    writeFileSync(path, '{\n  "policies": { "__proto__": {} }\n}\n');
    const error = await loadConfigFile(path, [plugin]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).errors.map(({ file, line, path: at, rule }) => ({ file, line, path: at, rule }))).toEqual([
      { file: path, line: 2, path: 'policies.__proto__', rule: 'unknown-policy' },
    ]);
  });

  it('refuses a null section with its line, path and rule, rather than failing unlocated or taking the defaults', async () => {
    const text = ['{', '  "calendar": null,', '  "policies": {', '    "demo": null', '  }', '}'].join('\n');
    expect(await fileErrors(text)).toEqual(['heed.json:2: calendar: expected object, got null', 'heed.json:4: policies.demo: expected object, got null']);
    const path = join(tempDir('heed-config-'), 'heed.json');
    writeFileSync(path, '{\n  "calendar": null\n}\n');
    const error = await loadConfigFile(path, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).errors.map(({ file, line, path: at, rule }) => ({ file, line, path: at, rule }))).toEqual([
      { file: path, line: 2, path: 'calendar', rule: 'invalid-type' },
    ]);
    expect(configProblems(() => resolveConfig({ policies: { inattention: null } }, [inattention]))).toEqual([
      { path: 'policies.inattention', rule: 'invalid-type', detail: 'expected object, got null' },
    ]);
  });

  it('reports JSON syntax errors with their line, and refuses comments', async () => {
    expect(await fileErrors('{\n  "calendar": {},\n  // no comments in JSON\n}')).toEqual([expect.stringMatching(/^heed\.json:3: not valid JSON/)]);
    expect(await fileErrors('{\n  "policies": {},\n}')).toEqual([expect.stringMatching(/^heed\.json:3: not valid JSON/)]);
  });

  it("words JSON syntax errors for a person fixing the file, not in the parser's code names", async () => {
    const cases: [string, string][] = [
      ['', 'heed.json:1: not valid JSON: the file is empty (a configuration is a JSON object: {} for the defaults)'],
      ['{\n  "calendar": {},\n}', 'heed.json:3: not valid JSON: a trailing comma is not allowed'],
      ['{\n  "policies": { "promises": { "grace": True } }\n}', 'heed.json:2: not valid JSON: unexpected "True" (names and strings take double quotes; values are true, false, null, numbers, strings, objects and arrays)'],
      ["{\n  'calendar': {}\n}", `heed.json:2: not valid JSON: unexpected "'calendar'" (names and strings take double quotes; values are true, false, null, numbers, strings, objects and arrays)`],
      ['{\n  "calendar": {}\n  "policies": {}\n}', 'heed.json:3: not valid JSON: expected "," between two entries'],
      ['{\n  "calendar": {', 'heed.json:2: not valid JSON: unexpected end of the file: "}" is missing'],
      ['{\n  // a note\n}', 'heed.json:2: not valid JSON: comments are not allowed in JSON'],
      ['{\n  "calendar": { "timeZone": "UTC }\n}', 'heed.json:2: not valid JSON: a string is not closed (a line break in a string must be written \\n)'],
    ];
    for (const [text, message] of cases) expect([text, await fileErrors(text)]).toEqual([text, [message]]);
  });

  it('reads a file saved with a UTF-8 byte order mark and CRLF line ends (Windows editors), as JSONL input is read', async () => {
    const path = join(tempDir('heed-config-'), 'heed.json');
    writeFileSync(path, '\uFEFF{\r\n  "calendar": { "timeZone": "America/Denver" }\r\n}\r\n');
    expect((await loadConfigFile(path, [])).calendar.timeZone).toBe('America/Denver');
    expect(await fileErrors('\uFEFF{\r\n  "calendar": {},\r\n  "policies": { "demo": { "treshold": 2 } }\r\n}\r\n')).toEqual([
      'heed.json:3: policies.demo.treshold: unknown field (policies.demo has threshold and window). Did you mean "threshold"?',
    ]);
  });

  it('reports a file saved as UTF-16 by its encoding, not as a syntax error', async () => {
    const path = join(tempDir('heed-config-'), 'heed.json');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{\r\n  "calendar": {}\r\n}\r\n', 'utf16le')]));
    const error = await loadConfigFile(path, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).errors.map(String)).toEqual([
      `${path}:1: encoded as UTF-16 (it starts with a UTF-16 byte order mark); heed reads UTF-8: convert it first (iconv -f UTF-16 -t UTF-8)`,
    ]);
  });

  it('reports a missing file', async () => {
    await expect(loadConfigFile('/nonexistent/heed.json', [])).rejects.toThrow(/file not found/);
  });

  it('reports a directory given as the file in words, as the CLI reports a directory given as input', async () => {
    const dir = tempDir('heed-config-');
    const error = await loadConfigFile(dir, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).errors.map(String)).toEqual([`${dir}: is a directory, not a configuration file`]);
  });

  it('loads a file for the built-in policies when no policies are given, as an Engine runs by default', async () => {
    const config = await loadConfigFile(fileURLToPath(new URL('../../examples/heed.config.json', import.meta.url)));
    expect(config.options.get('promises')).toBeDefined();
    expect(config.options.get('burden')).toBeDefined();
    expect(new Engine({ config }).policies.map((p) => p.name)).toEqual([...config.options.keys()]);
  });
});
