// A fault of the storage (a full disk, a read-only or damaged file, a lock held too long) is told to
// the client as what it is, with HTTP 503 and a code to branch on, instead of "Unexpected error.".

import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { storageFault } from '../core/storage-faults.ts';

export const STORAGE_UNAVAILABLE = 'STORAGE_UNAVAILABLE';

/** Seconds a client is told to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

/** The client's answer for an error caused by a storage fault, or undefined for any other error. */
export function storageUnavailable(error: unknown): GraphQLError | undefined {
  const fault = storageFault(error);
  if (!fault) return undefined;
  const message =
    fault === 'DAMAGED'
      ? 'Storage is unavailable: the database is damaged and must be restored by the operator. Nothing was changed.'
      : 'Storage is unavailable: the database cannot be written just now. Try again shortly.';
  return createGraphQLError(message, {
    extensions: {
      code: STORAGE_UNAVAILABLE,
      http: { status: 503, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
    },
  });
}
