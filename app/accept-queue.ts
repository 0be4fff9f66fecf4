// How many connections wait in the kernel's accept queue of a listening port. Closing a listening
// socket resets every connection still queued (the clients see "connection reset"), so shutdown
// accepts them first. Linux tells the length in /proc/net/tcp{,6}: for a socket in LISTEN (state 0A)
// the rx_queue column is the accept queue.
import { readFileSync } from 'node:fs';

const LISTEN = '0A';

/** The number of queued connections on `port`, or undefined where the system does not tell. */
export function acceptQueueLength(port: number): number | undefined {
  let total: number | undefined;
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state, queues] = line.trim().split(/\s+/);
      if (state !== LISTEN || !local?.endsWith(`:${portHex}`)) continue;
      total = (total ?? 0) + Number.parseInt(queues?.split(':')[1] ?? '0', 16);
    }
  }
  return total;
}
