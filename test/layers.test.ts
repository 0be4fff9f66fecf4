// The layer rules (.dependency-cruiser.cjs) catch a wrong import: a small tree of our folders is
// written to a temporary folder, each file making one import, and dependency-cruiser is run on it
// with the project's rules. The allowed arrows pass; every other one, and a cycle, fails.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/process.ts';
import { tempDir } from './support/tenant.ts';

const run = promisify(execFile);

/** Files by path; each imports what its content says. */
const TREE: Record<string, string> = {
  'vocabulary/words.ts': "export const WORDS = ['A'] as const;\n",
  'db/store.ts': "import { WORDS } from '../vocabulary/words.ts';\nexport const store = () => WORDS;\n",
  'db/client.ts': 'export type Db = { name: string };\nexport const open = (): Db => ({ name: "db" });\n',
  'db/schema.ts': 'export const table = { name: "portals" };\n',
  'platform/platform.ts': "import { WORDS } from '../vocabulary/words.ts';\nexport interface Platform { words: typeof WORDS }\n",
  'platform/local/simulator.ts': "import type { Platform } from '../platform.ts';\nimport { store } from '../../db/store.ts';\nexport const sim = (p: Platform) => [p, store];\n",
  'core/rules.ts': "import { store } from '../db/store.ts';\nimport type { Platform } from '../platform/platform.ts';\nexport const rule = (p: Platform) => [p, store];\n",
  'graphql/schema.ts':
    "import { rule } from '../core/rules.ts';\nimport { table } from '../db/schema.ts';\nimport type { Db } from '../db/client.ts';\nexport const field = (db: Db) => [db, rule, table];\n",
  'jobs/poller.ts': "import { rule } from '../core/rules.ts';\nimport type { Platform } from '../platform/platform.ts';\nexport const poll = (p: Platform) => [p, rule];\n",
  'bot/app.ts': "import { WORDS } from '../vocabulary/words.ts';\nexport const bot = WORDS;\n",
  'app/runtime.ts':
    "import { sim } from '../platform/local/simulator.ts';\nimport { bot } from '../bot/app.ts';\nimport { poll } from '../jobs/poller.ts';\nexport const all = [sim, bot, poll];\n",
  // Wrong, each of them:
  'db/wrong.ts': "import { rule } from '../core/rules.ts';\nexport const x = rule;\n",
  'vocabulary/wrong.ts': "import type { Db } from '../db/client.ts';\nexport type X = Db;\n",
  'platform/wrong.ts': "import { sim } from './local/simulator.ts';\nexport const x = sim;\n",
  'core/wrong.ts': "import { sim } from '../platform/local/simulator.ts';\nexport const x = sim;\n",
  'graphql/wrong.ts': "import { open } from '../db/client.ts';\nimport { store } from '../db/store.ts';\nexport const x = [open, store];\n",
  'jobs/wrong.ts': "import { bot } from '../bot/app.ts';\nexport const x = bot;\n",
  'bot/wrong.ts': "import { rule } from '../core/rules.ts';\nimport { table } from '../db/schema.ts';\nexport const x = [rule, table];\n",
  'core/ring-a.ts': "import { b } from './ring-b.ts';\nexport const a = () => b;\n",
  'core/ring-b.ts': "import { a } from './ring-a.ts';\nexport const b = () => a;\n",
};

describe('the layer rules', () => {
  const dir = tempDir('portal-ops-layers-');
  afterAll(() => dir.remove());

  it('let the allowed imports through and fail every other one, and a cycle', async () => {
    for (const [path, content] of Object.entries(TREE)) {
      mkdirSync(dirname(join(dir.path, path)), { recursive: true });
      writeFileSync(join(dir.path, path), content);
    }
    copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir.path, '.dependency-cruiser.cjs'));
    writeFileSync(join(dir.path, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true } }));
    const cli = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
    const folders = ['app', 'bot', 'core', 'db', 'graphql', 'jobs', 'platform', 'vocabulary'];
    const answer = await run(process.execPath, [cli, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...folders], { cwd: dir.path }).catch(
      (error: { stdout: string; code: number }) => error,
    );
    const result = JSON.parse(answer.stdout) as { summary: { violations: Array<{ from: string; to: string; rule: { name: string } }> } };
    // A cycle is told once, from whichever of its modules the cruise met first.
    const found = result.summary.violations
      .map((v) => (v.rule.name === 'no-circular' ? `no-circular: ${[v.from, v.to].sort().join(' <-> ')}` : `${v.rule.name}: ${v.from} -> ${v.to}`))
      .sort();
    expect(found).toEqual(
      [
        'no-circular: core/ring-a.ts <-> core/ring-b.ts',
        'not-in-allowed: bot/wrong.ts -> core/rules.ts',
        'not-in-allowed: bot/wrong.ts -> db/schema.ts',
        'not-in-allowed: core/wrong.ts -> platform/local/simulator.ts',
        'not-in-allowed: db/wrong.ts -> core/rules.ts',
        'not-in-allowed: graphql/wrong.ts -> db/client.ts',
        'not-in-allowed: graphql/wrong.ts -> db/store.ts',
        'not-in-allowed: jobs/wrong.ts -> bot/app.ts',
        'not-in-allowed: platform/wrong.ts -> platform/local/simulator.ts',
        'not-in-allowed: vocabulary/wrong.ts -> db/client.ts',
      ].sort(),
    );
    // As `npm run lint:deps` runs it (and so CI): the command fails, its exit code the count of errors.
    await expect(run(process.execPath, [cli, '--config', '.dependency-cruiser.cjs', ...folders], { cwd: dir.path })).rejects.toMatchObject({ code: found.length });
  }, 60_000);
});
