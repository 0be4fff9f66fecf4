// npm run dev:dns -- [--port 5353] [--records dns-records.txt] [--zones contoso.com,fabrikam.com]
// A small DNS server on 127.0.0.1 for trying custom domains locally. The records file holds lines
// "name CNAME target" (or "name A 1.2.3.4"); it is read again whenever it changes. With --zones it
// behaves as an authoritative server of those zones only, refusing (REFUSED) every other name, as
// the customer's DNS provider would. Then start the product with DNS_SERVERS=127.0.0.1:5353.
import { existsSync, readFileSync, watchFile, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startDnsServer } from '../test/support/dns-server.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '5353' }, records: { type: 'string', default: 'dns-records.txt' }, zones: { type: 'string', default: '' } } });
const path = values.records as string;
if (!existsSync(path)) writeFileSync(path, '# name CNAME target, one per line, e.g.\n# support.contoso.com CNAME contoso-support.microsoftcrmportals.com\n');

const server = await startDnsServer({ port: Number(values.port) });
server.serveOnly(
  (values.zones as string)
    .split(',')
    .map((zone) => zone.trim())
    .filter(Boolean),
);
let known: string[] = [];
function load(): void {
  for (const name of known) server.remove(name);
  known = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [name, type, value] = line.trim().split(/\s+/);
    if (!name || name.startsWith('#') || !value) continue;
    if (type?.toUpperCase() === 'CNAME') server.setCname(name, value);
    else if (type?.toUpperCase() === 'A') server.setA(name, value);
    else continue;
    known.push(name);
  }
  process.stdout.write(`dev-dns on ${server.address}: ${known.length} record(s) from ${path}\n`);
}
load();
watchFile(path, { interval: 500 }, load);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
