import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM without an exports map: Node (and so Pothos and Yoga) loads the
    // CJS build, Vite would pick the ESM one. One copy only, or schemas from one realm fail in the other.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts', 'core/**/*.test.ts', 'platform/**/*.test.ts', 'bot/**/*.test.ts', 'db/**/*.test.ts', 'jobs/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
