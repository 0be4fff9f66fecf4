// What a failure of the storage under an error means for whoever called: the database is damaged
// (waiting will not mend it), or it cannot be written just now (a full disk, a lock held too long).
import { isDamage, storageFaultOf } from '../db/client.ts';

export type StorageFault = 'DAMAGED' | 'UNAVAILABLE';

/** The storage fault behind an error, or undefined when the error is not one. */
export function storageFault(error: unknown): StorageFault | undefined {
  const fault = storageFaultOf(error);
  if (!fault) return undefined;
  return isDamage(fault) ? 'DAMAGED' : 'UNAVAILABLE';
}
