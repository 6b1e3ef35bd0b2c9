import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

// Tests against a real PostgreSQL server are named `*.server.test.ts`. They are collected only
// when HEED_PG_URL points at a server (`.ci/run` always sets it, to a fresh database), so a run
// without a server does not report them as skipped-but-green: they are simply not part of it.
// They run one file at a time: some hold transactions open on purpose, and the global-order
// reader waits for every open transaction on the server, so parallel server files would slow each other.
const server = process.env.HEED_PG_URL !== undefined && process.env.HEED_PG_URL !== '';

export default defineConfig({
  resolve: {
    // Examples and tests import the package by its public name, as users do; in tests that name
    // points at the sources so a stale build can never be what is tested.
    alias: [
      { find: /^heed\/testing$/, replacement: src('testing/index.ts') },
      { find: /^heed\/postgres$/, replacement: src('postgres.ts') },
      { find: /^heed$/, replacement: src('index.ts') },
    ],
  },
  test: {
    setupFiles: ['test/setup/quiet-console.ts', 'test/setup/temp-dirs.ts'],
    globalSetup: ['test/setup/build-once.ts'],
    reporters: ['default', './test/setup/summary-reporter.ts'],
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
          exclude: ['**/*.server.test.ts', '**/node_modules/**'],
        },
      },
      ...(server
        ? [{ extends: true as const, test: { name: 'server', include: ['test/**/*.server.test.ts'], fileParallelism: false } }]
        : []),
    ],
  },
});
