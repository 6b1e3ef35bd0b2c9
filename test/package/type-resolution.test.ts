import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { pluginProject } from '../plugin-project.js';

/**
 * Where TypeScript finds heed's declarations from a user's project (node_modules/heed is this
 * package), under each module resolution a project may use. `node10` is TypeScript's default for
 * `"module": "commonjs"` and reads no `exports` map, so the subpaths need `typesVersions`.
 */
const dir = pluginProject({ 'app.ts': '' });
const importer = join(dir, 'app.ts');

function resolve(specifier: string, options: ts.CompilerOptions, mode?: ts.ResolutionMode): string | undefined {
  const resolved = ts.resolveModuleName(specifier, importer, options, ts.sys, undefined, undefined, mode).resolvedModule?.resolvedFileName;
  return resolved?.slice(resolved.lastIndexOf('/dist/') + 1);
}

const expected = {
  heed: ['dist/index.d.ts', 'dist/index.d.cts'],
  'heed/testing': ['dist/testing/index.d.ts', 'dist/testing/index.d.cts'],
  'heed/postgres': ['dist/postgres.d.ts', 'dist/postgres.d.cts'],
};

describe('TypeScript finds the declarations of every entry', () => {
  it('with moduleResolution node10 (the default for module commonjs), which reads no exports map', () => {
    const options = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 };
    for (const [specifier, [esm]] of Object.entries(expected)) expect(resolve(specifier, options), specifier).toBe(esm);
  });

  it('with nodenext, for import and require, and with bundler', () => {
    const nodenext = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
    const bundler = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
    for (const [specifier, [esm, cjs]] of Object.entries(expected)) {
      expect(resolve(specifier, nodenext, ts.ModuleKind.ESNext), specifier).toBe(esm);
      expect(resolve(specifier, nodenext, ts.ModuleKind.CommonJS), specifier).toBe(cjs);
      expect(resolve(specifier, bundler), specifier).toBe(esm);
    }
  });
});
