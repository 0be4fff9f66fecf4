// MSAL's token cache kept in the database, sealed: MSAL reads it before each token look-up and
// writes it back when a sign-in or a refresh changed it. Several processes (the server, `npm run
// platform`) share the row; each reads the latest before it uses the cache.
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { twinOf } from '../../db/dialect.ts';
import * as sqliteTables from './schema.ts';
import * as pgTables from './schema-pg.ts';

/** Encrypts and decrypts a secret bound to the id of the record that holds it (SECRET_KEY). */
export interface SecretBox {
  seal(plaintext: string, recordId: string): string;
  open(sealed: string, recordId: string): string;
}

export class SealedTokenCache implements ICachePlugin {
  constructor(
    private readonly db: Db,
    private readonly id: string,
    private readonly box: SecretBox,
  ) {}

  private get table() {
    return twinOf(this.db, sqliteTables, pgTables).platformSignIn;
  }

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    const platformSignIn = this.table;
    const [row] = await this.db.select({ sealedCache: platformSignIn.sealedCache }).from(platformSignIn).where(eq(platformSignIn.id, this.id));
    if (!row) {
      // Forgotten (logout) by this or another process: MSAL's memory must forget it too.
      context.tokenCache.deserialize('{}');
      return;
    }
    let plaintext: string;
    try {
      plaintext = this.box.open(row.sealedCache, this.id);
    } catch {
      // Sealed under another SECRET_KEY: unusable, so as good as signed out.
      context.tokenCache.deserialize('{}');
      return;
    }
    context.tokenCache.deserialize(plaintext);
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    const sealedCache = this.box.seal(context.tokenCache.serialize(), this.id);
    const updatedAt = new Date();
    const platformSignIn = this.table;
    await this.db.insert(platformSignIn).values({ id: this.id, sealedCache, updatedAt }).onConflictDoUpdate({ target: platformSignIn.id, set: { sealedCache, updatedAt } });
  }

  /** Whether a sign-in is kept (another process may have logged out). */
  async exists(): Promise<boolean> {
    const platformSignIn = this.table;
    const found = await this.db.select({ id: platformSignIn.id }).from(platformSignIn).where(eq(platformSignIn.id, this.id));
    return found.length > 0;
  }

  /** Forgets the signed-in account (logout); true when there was one. */
  async forget(): Promise<boolean> {
    const platformSignIn = this.table;
    const gone = await this.db.delete(platformSignIn).where(eq(platformSignIn.id, this.id)).returning({ id: platformSignIn.id });
    return gone.length > 0;
  }
}
