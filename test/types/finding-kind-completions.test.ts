import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { coreFindingKinds, VALIDATION_RULES } from '../../src/index.js';
import { root } from '../cli/helpers.js';

/**
 * What an editor offers inside the quotes of `engine.on('…')`, `engine.findings({ kind: '…' })`
 * and policySpec's `thenFindings([{ kind: '…' }])`: every core kind (and in `thenRejects`, every rule). The kind parameters take any `name.what` as well (a plugin's kind), typed so the
 * core literals are not absorbed into the pattern, which would leave nothing to complete. Asked of
 * TypeScript's language service, as an editor asks it, with the repository's tsconfig.
 */
function completionsAt(source: string): string[] {
  const marker = source.indexOf('|');
  const text = source.slice(0, marker) + source.slice(marker + 1);
  const file = join(root, 'completions-probe.ts');
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [file],
    getScriptVersion: () => '1',
    getScriptSnapshot: (path) => {
      const content = path === file ? text : ts.sys.readFile(path);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => root,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (path) => path === file || ts.sys.fileExists(path),
    readFile: (path) => (path === file ? text : ts.sys.readFile(path)),
    readDirectory: (...args) => ts.sys.readDirectory(...args),
    directoryExists: (path) => ts.sys.directoryExists(path),
    getDirectories: (path) => ts.sys.getDirectories(path),
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  try {
    return (service.getCompletionsAtPosition(file, marker, {})?.entries ?? []).map((entry) => entry.name);
  } finally {
    service.dispose();
  }
}

describe('finding kind completions', () => {
  it("offers every core kind, and 'finding', for engine.on and engine.findings({ kind })", () => {
    const prelude = "import { Engine } from 'heed';\ndeclare const engine: Engine;\n";
    const on = completionsAt(`${prelude}engine.on('|', () => undefined);\nexport {};\n`);
    expect(on).toEqual(expect.arrayContaining(['finding', ...coreFindingKinds]));
    const findings = completionsAt(`${prelude}engine.findings({ kind: '|' });\nexport {};\n`);
    expect(findings).toEqual(expect.arrayContaining([...coreFindingKinds]));
  }, 120_000);

  it("offers every core kind in policySpec's finding expectations, and heed's validation rules in thenRejects", () => {
    const prelude = "import { builtinPolicies } from 'heed';\nimport { policySpec } from 'heed/testing';\nconst scenario = policySpec(builtinPolicies[0]!).given([]);\n";
    const kinds = completionsAt(`${prelude}void scenario.thenFindings([{ kind: '|' }]);\nexport {};\n`);
    expect(kinds).toEqual(expect.arrayContaining([...coreFindingKinds]));
    const rules = completionsAt(`${prelude}void scenario.thenRejects({ rule: '|' });\nexport {};\n`);
    expect(rules).toEqual(expect.arrayContaining(Object.keys(VALIDATION_RULES)));
  }, 120_000);
});
