// Which build of better-sqlite3 this process loads. Version 12 (compiled here from source against the
// running Node) is the one Node 20 can run; on Node 24 its native objects can abort the whole process
// when the garbage collector frees a statement outside a JavaScript context (a check Node 24 added to
// native object wrappers). Version 13 is written against Node-API, ships its own binaries, and needs
// Node 22 or later. Both are installed; the running Node picks one, and the API is the same.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);
const major = Number(process.versions.node.split('.')[0]);

/** The package name this process loads. */
export const SQLITE_DRIVER = major >= 22 ? 'better-sqlite3-node22' : 'better-sqlite3';

const Database: typeof BetterSqlite3 = require(SQLITE_DRIVER);
export default Database;

export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteStatement = BetterSqlite3.Statement;
