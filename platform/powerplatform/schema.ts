// The Power Platform driver's own table: MSAL's token cache of the signed-in administrator, sealed
// under SECRET_KEY (refresh tokens open the tenant's admin APIs). One row per tenant and app
// registration, so changing either starts without a sign-in.
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const platformSignIn = sqliteTable('platform_sign_in', {
  /** `<tenant id>/<client id>`; also the associated data of the sealed cache. */
  id: text('id').primaryKey(),
  /** MSAL's serialized cache, encrypted (AES-256-GCM under SECRET_KEY). */
  sealedCache: text('sealed_cache').notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});
