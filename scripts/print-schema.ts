// Writes schema.graphql from the code; a test fails while the committed file differs.
import { writeFileSync } from 'node:fs';
import { printedSchema } from '../graphql/schema/index.ts';

writeFileSync(new URL('../schema.graphql', import.meta.url), printedSchema());
process.stdout.write('schema.graphql written\n');
