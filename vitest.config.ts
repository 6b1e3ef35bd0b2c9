import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples and tests import the package by its public name, as users do; in tests that name
    // points at the sources so a stale build can never be what is tested.
    alias: [
      { find: /^heed\/testing$/, replacement: src('testing/index.ts') },
      { find: /^heed$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    setupFiles: ['test/setup/quiet-console.ts'],
    globalSetup: ['test/setup/build-once.ts'],
    reporters: ['default', './test/setup/summary-reporter.ts'],
    testTimeout: 30_000,
  },
});
