// npm run token:list
// Every API token: number, name, scopes, who it acts as, state, when made, last used and expiry.
// Tokens are stored only as hashes, so no secret can be shown.

import { createPlatform } from '../app/platform.ts';
import { loadSecretKey } from '../app/secret-key.ts';
import { listApiTokens } from '../core/tokens.ts';
import { closeDatabase, connectDatabase } from '../db/database.ts';
import { configOrFail, fail } from './cli.ts';

if (process.argv.length > 2) fail('usage: npm run token:list');
const config = configOrFail();
const db = await connectDatabase(config.database);
try {
  const platform = await createPlatform(config, db, loadSecretKey(config.SECRET_KEY, config.dataDir));
  const tokens = await listApiTokens(db);
  const users = new Map((await platform.getUsers(tokens.flatMap((t) => (t.userId ? [t.userId] : [])))).map((u) => [u.id, u.email]));
  const when = (date: Date | null) => (date ? date.toISOString().replace(/\.\d+Z$/, 'Z') : '-');
  const rows = [
    ['ID', 'NAME', 'SCOPES', 'ACTS AS', 'STATE', 'CREATED', 'LAST USED', 'EXPIRES'],
    ...tokens.map((t) => [
      String(t.id),
      t.name,
      t.scopes.join(','),
      t.userId ? (users.get(t.userId) ?? `${t.userId} (no longer in the directory)`) : 'service',
      t.state === 'REVOKED' ? `revoked ${when(t.revokedAt)}` : t.state.toLowerCase(),
      when(t.createdAt),
      t.lastUsedAt ? when(t.lastUsedAt) : 'never',
      t.expiresAt ? when(t.expiresAt) : 'never',
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows)
    process.stdout.write(
      `${row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd()}\n`,
    );
  if (tokens.length === 0) process.stdout.write('No API tokens yet; make one with npm run token:create.\n');
} finally {
  await closeDatabase(db);
}
