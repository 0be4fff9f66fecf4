// The database driver fits the running Node. On Node 24, better-sqlite3 12 aborted test processes as
// they ended (a statement freed after Node's environment was gone); the whole suite running on Node 24
// in CI is what proves that gone, this checks that the chosen driver loads, works and lets a process end.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SQLITE_DRIVER } from './sqlite-driver.ts';

describe('the SQLite driver', () => {
  it('is the Node-API build from Node 22 on, the compiled one before', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(SQLITE_DRIVER).toBe(major >= 22 ? 'better-sqlite3-node22' : 'better-sqlite3');
  });

  it('lets a process that prepared thousands of statements and dropped them exit with 0', async () => {
    const script = `
      const { default: Database } = await import('./db/sqlite-driver.ts');
      const db = new Database(':memory:');
      db.exec('create table t (n integer)');
      for (let i = 0; i < 20000; i++) db.prepare('insert into t (n) values (' + i + ')').run();
      console.log(db.prepare('select count(*) as c from t').get().c);
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: new URL('..', import.meta.url).pathname });
    expect(stdout.trim()).toBe('20000');
  }, 60_000);
});
