import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * The slow tier: whole processes started and killed, a browser, property-based fuzzing, fault drills.
 * `npm run test:fast` leaves these out (TEST_TIER=fast), `npm run test:deep` runs only these
 * (TEST_TIER=deep); `npm test` and CI run everything.
 */
const SLOW_TIER = [
  'test/fuzz.test.ts',
  'test/drills.test.ts',
  'test/shared-database.test.ts',
  'test/bundle.test.ts',
  'test/start-build.test.ts',
  'test/readme.test.ts',
  'test/graphiql-browser.test.ts',
  'test/server-process.test.ts',
  'test/generated-files.test.ts',
  'test/storage-faults.test.ts', // fills a disk and restarts the server process (~40 s)
  'test/slack-deadline.test.ts', // waits out Slack's 3-second deadlines against a slow API (~15 s)
  'test/poller.test.ts', // kills the real server with SIGKILL mid-provisioning, and races two pollers (~15-25 s)
  'test/platform-sign-in.test.ts',
  'test/slack-status-message.test.ts', // waits out the Slack delivery client's 5-second timeout, on each database (~8 s each)
  'test/replicas.test.ts', // replicas on one PostgreSQL database, killed with SIGKILL while they share 300 portals, twice (~5-6 min on a busy 2-core machine)
];

/**
 * Files about SQLite itself (its files, its driver, its planner): they run when SQLite is under test
 * (TEST_DATABASE=sqlite or unset), not in the PostgreSQL run. Every other file runs on TEST_DATABASE's
 * database (test/support/databases.ts).
 */
const SQLITE_ONLY = ['test/statement-plans.test.ts', 'db/sqlite-driver.test.ts'];

const DATABASE = process.env.TEST_DATABASE;
if (DATABASE !== undefined && DATABASE !== 'sqlite' && DATABASE !== 'postgres') throw new Error(`TEST_DATABASE must be sqlite, postgres or unset (both), not "${DATABASE}"`);

const TIER = process.env.TEST_TIER ?? 'all';
if (!['all', 'fast', 'deep'].includes(TIER)) throw new Error(`TEST_TIER must be fast, deep or unset (everything), not "${TIER}"`);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM without an exports map: Node (and so Pothos and Yoga) loads the
    // CJS build, Vite would pick the ESM one. One copy only, or schemas from one realm fail in the other.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include:
      TIER === 'deep'
        ? SLOW_TIER
        : ['test/**/*.test.ts', 'core/**/*.test.ts', 'platform/**/*.test.ts', 'bot/**/*.test.ts', 'db/**/*.test.ts', 'jobs/**/*.test.ts', 'vocabulary/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(TIER === 'fast' ? SLOW_TIER : []), ...(DATABASE === 'postgres' ? SQLITE_ONLY : [])],
    // Names the run for its PostgreSQL test databases and drops any a test left behind.
    globalSetup: ['test/support/global-setup.ts'],
    // TEST_REPORT=<path prefix> (CI) also writes vitest's JSON report to <prefix>-<database>.json.
    ...(process.env.TEST_REPORT ? { reporters: ['default', 'json'], outputFile: { json: `${process.env.TEST_REPORT}-${DATABASE ?? 'both'}.json` } } : {}),
    pool: 'forks',
    // Vitest leaves a core to itself by default: one worker on a two-core machine. The fast tier waits on
    // sockets and child processes more than it computes, so it runs a worker per core.
    ...(TIER === 'fast' ? { maxWorkers: Math.max(2, availableParallelism()) } : {}),
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
