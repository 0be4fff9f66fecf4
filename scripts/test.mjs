// npm test: the whole suite on SQLite, then the same suite on PostgreSQL (127.0.0.1:5432 as postgres,
// or TEST_POSTGRES_URL; test/support/databases.ts). TEST_DATABASE=sqlite or postgres runs only that one.
// The arguments go to each vitest run (npm test -- test/lifecycle.test.ts). Both runs happen even when
// the first fails; the exit code is the first failure's.
//
//   node scripts/test.mjs [vitest arguments]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chosen = process.env.TEST_DATABASE;
if (chosen !== undefined && chosen !== 'sqlite' && chosen !== 'postgres') {
  process.stderr.write(`TEST_DATABASE must be sqlite, postgres or unset (both), not "${chosen}"\n`);
  process.exit(2);
}
const databases = chosen ? [chosen] : ['sqlite', 'postgres'];
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');

let status = 0;
for (const database of databases) {
  process.stdout.write(`\n== the suite on ${database === 'sqlite' ? 'SQLite' : 'PostgreSQL'}\n`);
  const run = spawnSync(process.execPath, [vitest, 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env: { ...process.env, TEST_DATABASE: database } });
  const code = run.status ?? 1;
  if (code !== 0 && status === 0) status = code;
}
process.exit(status);
