// The PostgreSQL twin of platform/powerplatform/schema.ts: the sealed sign-in cache.
import { pgTable, text } from 'drizzle-orm/pg-core';
import { epochMs } from '../../db/pg-columns.ts';

export const platformSignIn = pgTable('platform_sign_in', {
  /** `<tenant id>/<client id>`; also the associated data of the sealed cache. */
  id: text('id').primaryKey(),
  /** MSAL's serialized cache, encrypted (AES-256-GCM under SECRET_KEY). */
  sealedCache: text('sealed_cache').notNull(),
  updatedAt: epochMs('updated_at').notNull(),
});
