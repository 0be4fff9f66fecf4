// drizzle-kit's configuration for the PostgreSQL migrations (drizzle.config.ts makes SQLite's):
// npx drizzle-kit generate --config drizzle-pg.config.ts --name <what changed>
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./db/schema-pg.ts', './platform/local/schema-pg.ts', './platform/powerplatform/schema-pg.ts'],
  out: './db/migrations-pg',
});
