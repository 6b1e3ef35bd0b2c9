import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The built package as users get it (npm test builds first): both module systems, every public
 * entry, and the main entry free of optional peers such as pg.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const node = (code: string, type: 'module' | 'commonjs') =>
  execFileSync(process.execPath, [type === 'module' ? '--input-type=module' : '--input-type=commonjs', '-e', code], { cwd: root, encoding: 'utf8' }).trim();

describe('package exports', () => {
  it('is built', () => {
    expect(existsSync(`${root}dist/index.js`) && existsSync(`${root}dist/index.cjs`)).toBe(true);
  });

  it('loads heed and heed/testing through the exports map in ESM and CommonJS, sharing one engine', () => {
    const esm = node(
      "import { Engine, definePolicy } from 'heed'; import { policySpec } from 'heed/testing'; console.log(typeof Engine, typeof definePolicy, typeof policySpec);",
      'module',
    );
    const cjs = node("const { Engine } = require('heed'); const { policySpec } = require('heed/testing'); console.log(typeof Engine, typeof policySpec);", 'commonjs');
    expect([esm, cjs]).toEqual(['function function function', 'function function']);
  });

  it("takes a policy made by the other module system's copy of heed (a plugin resolving heed as ESM, the host as CommonJS, or the reverse), and refuses a forged mark in both", () => {
    const script = `import { createRequire } from 'node:module';
      import * as esm from 'heed';
      const cjs = createRequire(import.meta.url)('heed');
      const define = (heed, name) => heed.definePolicy({ name, kinds: [name + '.seen'], initialState: () => ({ n: 0 }), evolve(state) { state.n++; } });
      const fromEsm = define(esm, 'from-esm');
      const fromCjs = define(cjs, 'from-cjs');
      const forged = Object.defineProperty({ ...fromEsm }, Symbol.for('heed.policy'), { value: true });
      const outcome = async (heed, policies) => {
        try {
          const engine = new heed.Engine({ policies });
          await engine.record({ customerId: 'c', type: 'RelationshipStarted', at: '2024-01-01' });
          return policies.map((p) => engine.state('c', p.name).n).join('+');
        } catch (error) {
          return error.code;
        }
      };
      console.log(esm.Engine !== cjs.Engine, await outcome(esm, [fromEsm, fromCjs]), await outcome(cjs, [fromCjs, fromEsm]), await outcome(esm, [forged]), await outcome(cjs, [forged]));`;
    expect(node(script, 'module')).toBe('true 1+1 1+1 HEED_USAGE HEED_USAGE');
  });

  it('loads heed/postgres in ESM and CommonJS, runs it on PGlite, and shares error classes with heed', () => {
    const script = (load: string) =>
      `${load}
       (async () => {
         const store = await PostgresEventStore.pglite();
         await store.append('c', [{ customerId: 'c', type: 'X', at: '2020-01-01', time: Date.UTC(2020, 0, 1), data: {} }]);
         const error = await store.append('c', [{ customerId: 'c', type: 'X', at: '2020-01-02', time: Date.UTC(2020, 0, 2), data: {} }], { expectedVersion: 0 }).catch((e) => e);
         console.log((await store.readAll()).length, error instanceof VersionConflictError, typeof ProjectionWorker);
         await store.close();
       })();`;
    const esm = node(script("import { PostgresEventStore, ProjectionWorker } from 'heed/postgres'; import { VersionConflictError } from 'heed';"), 'module');
    const cjs = node(script("const { PostgresEventStore, ProjectionWorker } = require('heed/postgres'); const { VersionConflictError } = require('heed');"), 'commonjs');
    expect([esm, cjs]).toEqual(['1 true function', '1 true function']);
  }, 90_000); // two Node processes each starting PGlite (WASM Postgres): ~18 s unloaded, over 30 s on a loaded 2-core machine

  it('keeps the error classes\' names in the built package: a thrown error reads "ValidationError: …", as the README\'s table names it, not a bundler\'s renamed "_ValidationError"', () => {
    const names = "const classes = { HeedError, ValidationError, InvalidInputError, ConfigError, VersionConflictError, EventIdConflictError, PolicyError, UsageError, ProjectionError };" +
      " const problem = { path: 'data.matterId', rule: 'unknown-matter', message: 'm' };" +
      " console.log(Object.entries(classes).filter(([name, C]) => C.name !== name).map(([name, C]) => name + ' is named ' + C.name).join('; ') || 'all named'," +
      " new ValidationError(problem).name, String(new ValidationError(problem).stack).split(':')[0]);";
    const load = ['HeedError', 'ValidationError', 'InvalidInputError', 'ConfigError', 'VersionConflictError', 'EventIdConflictError', 'PolicyError', 'UsageError'].join(', ');
    const esm = node(`import { ${load} } from 'heed'; import { ProjectionError } from 'heed/postgres'; ${names}`, 'module');
    const cjs = node(`const { ${load} } = require('heed'); const { ProjectionError } = require('heed/postgres'); ${names}`, 'commonjs');
    expect([esm, cjs]).toEqual(['all named ValidationError ValidationError', 'all named ValidationError ValidationError']);
  });

  it('keeps the public classes\' names in the built package (a bundler renames a class that refers to itself, as Engine.asOf and PostgresEventStore.connect do)', () => {
    const names = "console.log(Object.entries(classes).filter(([name, C]) => C.name !== name).map(([name, C]) => name + ' is named ' + C.name).join('; ') || 'all named');";
    const load = 'Engine, InMemoryEventStore, EventRegistry, Calendar';
    const esm = node(`import { ${load} } from 'heed'; import { PostgresEventStore, ProjectionWorker } from 'heed/postgres'; const classes = { ${load}, PostgresEventStore, ProjectionWorker }; ${names}`, 'module');
    const cjs = node(`const { ${load} } = require('heed'); const { PostgresEventStore, ProjectionWorker } = require('heed/postgres'); const classes = { ${load}, PostgresEventStore, ProjectionWorker }; ${names}`, 'commonjs');
    expect([esm, cjs]).toEqual(['all named', 'all named']);
  });

  it('ships type declarations for every entry', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { exports: Record<string, { import: { types: string }; require: { types: string } } | string> };
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(existsSync(`${root}${target.import.types}`), `${entry} ESM types`).toBe(true);
      expect(existsSync(`${root}${target.require.types}`), `${entry} CJS types`).toBe(true);
    }
  });

  it('keeps optional peers out of the main entry', () => {
    const main = readFileSync(`${root}dist/index.js`, 'utf8') + readFileSync(`${root}dist/index.cjs`, 'utf8');
    expect(main).not.toMatch(/from ["'](pg|@electric-sql\/pglite)["']|require\(["'](pg|@electric-sql\/pglite)["']\)/);
  });
});
