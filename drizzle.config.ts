import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: ['./db/schema.ts', './platform/local/schema.ts', './platform/powerplatform/schema.ts'],
  out: './db/migrations',
});
