import { defineConfig } from 'tsup';

// One build for every public entry point. ESM + CJS + declarations; the CLI is ESM only
// (it is a program, not an import) and gets its shebang from src/cli/main.ts.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'testing/index': 'src/testing/index.ts',
      postgres: 'src/postgres.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: true, // heed and heed/testing share one copy of the engine (instanceof, symbols)
    treeshake: true,
    // Optional peers stay imports (loaded only when used), never bundled.
    external: ['pg', 'pg-copy-streams', '@electric-sql/pglite'],
  },
]);
