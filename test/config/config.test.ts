import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../temp-dir.js';
import { ConfigError, definePolicy, durationOption, loadConfigFile, resolveConfig } from '../../src/index.js';

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
      'calender: unknown field (the configuration has calendar and policies)',
      'policies.inattentoin: unknown policy "inattentoin" (installed: "demo")',
      'policies.demo.treshold: unknown field',
    ]);
  });

  it('rejects an invalid duration option with the expected form', () => {
    expect(configErrors(() => resolveConfig({ policies: { demo: { window: '30 days' } } }, [plugin]))).toEqual([
      expect.stringMatching(/^policies\.demo\.window: .*ISO-8601 duration/),
    ]);
  });

  it('locates each problem in a config file by line', async () => {
    const text = ['{', '  "calendar": { "timeZone": "Mars/Base" },', '  "policies": {', '    "demo": {', '      "treshold": 2', '    }', '  }', '}'].join('\n');
    expect(await fileErrors(text)).toEqual([expect.stringMatching(/^heed\.json:2: calendar\.timeZone: /), expect.stringMatching(/^heed\.json:5: policies\.demo\.treshold: unknown field/)]);
  });

  it('reports JSON syntax errors with their line, and refuses comments', async () => {
    expect(await fileErrors('{\n  "calendar": {},\n  // no comments in JSON\n}')).toEqual([expect.stringMatching(/^heed\.json:3: not valid JSON/)]);
    expect(await fileErrors('{\n  "policies": {},\n}')).toEqual([expect.stringMatching(/^heed\.json:3: not valid JSON/)]);
  });

  it('reports a missing file', async () => {
    await expect(loadConfigFile('/nonexistent/heed.json', [])).rejects.toThrow(/file not found/);
  });
});
