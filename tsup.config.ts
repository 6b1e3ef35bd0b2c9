import { defineConfig } from 'tsup';

// Two builds. The library: ESM + CJS + declarations for every public entry point. The CLI: ESM
// only (it is a program, not an import), one file with a shebang, made executable by tsup.
// The library build cleans dist/ but keeps dist/cli/, because both builds run at the same time.
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
    clean: ['!cli/**'],
    target: 'node20',
    splitting: true, // heed and heed/testing share one copy of the engine (instanceof, symbols)
    treeshake: true,
    // Optional peers stay imports (loaded only when used), never bundled.
    external: ['pg', 'pg-copy-streams', '@electric-sql/pglite'],
  },
  {
    // The worker threads of `heed replay` / `heed validate` on a large input (bucket-pool.ts).
    entry: { 'cli/main': 'src/cli/main.ts', 'cli/bucket-worker': 'src/cli/bucket-worker.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node20',
    splitting: false,
    treeshake: true,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
