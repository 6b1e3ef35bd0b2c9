import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VALIDATION_RULES } from '../../src/index.js';
import { ZOD_RULES } from '../../src/events/rules.js';
import { EventRegistry } from '../../src/events/registry.js';
import { envelopeProblem } from '../../src/store/event-input.js';
import type { NewEvent } from '../../src/store/event-store.js';
import { Calendar } from '../../src/time/calendar.js';

const root = new URL('../../', import.meta.url).pathname;
const rules = Object.keys(VALIDATION_RULES);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('validation rule names', () => {
  it('are all kebab-case', () => {
    for (const rule of rules) expect(rule).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('are listed in the README, exactly', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf('**Rule names**');
    expect(start).toBeGreaterThan(-1);
    const paragraph = readme.slice(start, readme.indexOf('\n\n', start));
    const listed = [...paragraph.matchAll(/`([a-z]+(?:-[a-z]+)*)`/g)].map((m) => m[1]);
    expect([...listed].sort()).toEqual([...rules].sort());
  });

  it('cover every rule the sources produce, and every listed rule is produced', () => {
    const produced = new Set<string>(Object.values(ZOD_RULES));
    const patterns = [/\brule: '([^'\s]+)'/g, /\bfail\('([^'\s]+)'/g, /\bv\(\s*'[^']*',\s*'([^'\s]+)'/g, /return '(required)'/g];
    for (const file of sources(join(root, 'src'))) {
      if (file.endsWith('rules.ts')) continue;
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns) for (const m of text.matchAll(pattern)) produced.add(m[1] as string);
    }
    expect([...produced].sort()).toEqual([...rules].sort());
  });

  it('describe every field they are used for: the registry\'s bad `at` and the stores\' bad `time` name the field in their rule\'s meaning', () => {
    const registry = new EventRegistry();
    const result = registry.validate({ customerId: 'c', type: 'RelationshipStarted', at: 'next tuesday' }, new Calendar());
    const at = result.ok ? undefined : result.errors.find((e) => e.path === 'at');
    const time = envelopeProblem({ customerId: 'c', type: 'RelationshipStarted', at: '2024-01-01T00:00:00Z', time: Number.NaN, data: {} } as NewEvent);
    expect([at?.path, time?.path]).toEqual(['at', 'time']);
    for (const problem of [at, time]) expect(VALIDATION_RULES[problem?.rule as keyof typeof VALIDATION_RULES]).toContain(`\`${problem?.path}\``);
  });
});
