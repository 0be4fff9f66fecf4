// Who holds a lease: a row claimed by a process's job names that job in its lease_owner column, and
// only that job's writes (which expect it there) apply to the row while the lease lasts.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** A new lease owner: the host and process, and a part of its own so two jobs of one process differ. */
export function newLeaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
