import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root } from './cli/helpers.js';

/**
 * The README's code, type-checked as a user would compile it (the repository's tsconfig, `heed`
 * resolving to the sources): an example that does not compile teaches the wrong call.
 */
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** Each snippet as a module of its own, next to the README (so `heed` and `node` types resolve as in the repository). */
function typeErrors(snippets: Record<string, string>): string[] {
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const files = new Map(Object.entries(snippets).map(([name, text]) => [join(root, `readme-${name}.ts`), text]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (path) => files.has(path) || fileExists.call(host, path);
  host.readFile = (path) => files.get(path) ?? readFile.call(host, path);
  host.getSourceFile = (path, language, ...rest) => {
    const text = files.get(path);
    return text === undefined ? getSourceFile.call(host, path, language, ...rest) : ts.createSourceFile(path, text, language, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && files.has(d.file.fileName))
    .map((d) => `${d.file?.fileName ?? ''}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** Inline code spans (`…`) of the README that match `pattern`. */
function inlineCode(pattern: RegExp): string[] {
  return [...readme.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] as string).filter((code) => pattern.test(code));
}

/** The fenced code blocks of the README in `language`. */
function codeBlocks(language: string): string[] {
  return [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].filter((m) => m[1] === language).map((m) => m[2] as string);
}

describe('README examples', () => {
  it('type-check', () => {
    // The replay bullet shows what `replay` takes from `parseJsonl`: its `events`, not the whole result.
    const replayCalls = inlineCode(/^replay\(parseJsonl\(/);
    expect(replayCalls.length).toBeGreaterThan(0);
    const snippets: Record<string, string> = {};
    replayCalls.forEach((call, i) => {
      snippets[`replay-${i}`] = `import { parseJsonl, replay } from 'heed';\ndeclare const text: string;\ndeclare const file: string;\nawait ${call};\nexport {};\n`;
    });
    // The upcasters example, as written (it imports what it uses).
    const upcasters = codeBlocks('ts').filter((block) => block.includes('upcasters:'));
    expect(upcasters).toHaveLength(1);
    snippets['upcasters'] = `${upcasters[0] ?? ''}\nexport {};\n`;
    // The typed-listener example, as written.
    const typed = codeBlocks('ts').filter((block) => block.includes("engine.on('promise.broken', ({ finding }) => {"));
    expect(typed).toHaveLength(1);
    snippets['typed-details'] = `${typed[0] ?? ''}\nexport { overdue, headline };\n`;
    // The CustomEventTypes example, with the plugin it imports where the repository keeps it.
    const registered = codeBlocks('ts').filter((block) => block.includes('interface CustomEventTypes'));
    expect(registered).toHaveLength(1);
    const custom = (registered[0] ?? '').replace("'./deflection-loop.js'", "'./examples/plugins/deflection-loop.js'");
    snippets['custom-event-types'] = `${custom}\nexport {};\n`;
    expect(typeErrors(snippets)).toEqual([]);
    // And what its comment says: another destination does not compile.
    const forum = typeErrors({ 'custom-event-types-forum': `${custom.replace("data: { to: 'faq' }", "data: { to: 'forum' }")}\nexport {};\n` });
    expect(forum).toHaveLength(1);
    expect(forum[0]).toMatch(/TS2322: Type '"forum"' is not assignable/);
  }, 120_000);
});

describe('README: Distributing with Citus', () => {
  it('distributes every table heed creates with a customer_id (co-located) and makes every other one a reference table', async () => {
    const { migrations } = await import('../src/postgres.js');
    const created = migrations
      .flatMap((m) => [...m.sql('heed').matchAll(/create table heed\.(\w+) \(([\s\S]*?)\n\s*\);/g)])
      .map((m) => ({ table: `heed.${m[1] ?? ''}`, perCustomer: /^\s*customer_id text/m.test(m[2] ?? '') }));
    // The migrations table is created by migrate() itself, outside the list.
    const tables = [...created, { table: 'heed.migrations', perCustomer: false }];
    const section = readme.slice(readme.indexOf('### Distributing with Citus'), readme.indexOf('## Performance'));
    const distributed = [...section.matchAll(/create_distributed_table\('([\w.]+)', 'customer_id'/g)].map((m) => m[1]);
    const reference = [...section.matchAll(/create_reference_table\('([\w.]+)'\)/g)].map((m) => m[1]);
    expect(distributed.sort()).toEqual(tables.filter((t) => t.perCustomer).map((t) => t.table).sort());
    expect(reference.sort()).toEqual(tables.filter((t) => !t.perCustomer).map((t) => t.table).sort());
  });
});

describe('README for a package user (the README is the package page on npm)', () => {
  const section = (heading: string) => {
    const start = readme.indexOf(`\n${heading}\n`);
    expect(start, heading).toBeGreaterThan(-1);
    return readme.slice(start, readme.indexOf('\n## ', start + 1));
  };
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; files: string[] };

  it('the Quick start says how to install the package and run its command, not only how to build this repository', () => {
    const quickStart = section('## Quick start');
    expect(quickStart).toContain(`npm install ${pkg.name}`);
    expect(quickStart).toMatch(/npx heed replay /);
  });

  it('says that the examples it replays are in the repository, since the package does not ship them', () => {
    expect(pkg.files.some((f) => f.startsWith('examples'))).toBe(false);
    expect(readme).toMatch(/examples\/journeys\//);
    expect(section('## Quick start')).toMatch(/`examples\/`[^.]*in the\s+repository,\s+not\s+in\s+the\s+package/);
  });
});
