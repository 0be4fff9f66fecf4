// Opens (and so migrates) the database file argv[2] at the wall-clock instant argv[3], so that
// several processes started a moment apart open one new file at the same time. Prints "opened".
import { openDatabase } from '../../db/client.ts';

const at = Number(process.argv[3]);
while (Date.now() < at) {
  // Spinning, not sleeping: a timer would let the processes drift apart by a millisecond or more.
}
openDatabase(process.argv[2] ?? '').$client.close();
process.stdout.write('opened\n');
