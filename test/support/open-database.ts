// Opens (and so migrates) the database argv[2] (a SQLite file, or a postgres:// URL) at the
// wall-clock instant argv[3], so that several processes started a moment apart open one new database
// at the same time. Prints "opened".
import { closeDatabase, connectDatabase } from '../../db/database.ts';

const where = process.argv[2] ?? '';
const at = Number(process.argv[3]);
while (Date.now() < at) {
  // Spinning, not sleeping: a timer would let the processes drift apart by a millisecond or more.
}
await closeDatabase(await connectDatabase(/^postgres(ql)?:/.test(where) ? { url: where } : { path: where }));
process.stdout.write('opened\n');
