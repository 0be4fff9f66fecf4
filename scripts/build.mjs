// Bundles the server for `npm start` into dist/: our TypeScript and the pure-JavaScript packages it
// uses become a few ES modules, so start-up neither runs a TypeScript loader nor resolves and reads
// hundreds of package files one by one (2.3 s to /ready under tsx, about 0.65 s bundled, on the
// bench machine). Kept outside the bundle: better-sqlite3 (a native addon) and pino, whose
// transports start worker threads from files of their own. Takes about a second.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// node scripts/build.mjs [outdir]: dist/ unless told. The bundle finds the project's files (the
// migrations, the terms, the sample tenant) by walking up to package.json, so it must stay inside
// the project folder.
const outdir = process.argv[2] ?? 'dist';
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ['app/main.ts'],
  outdir,
  bundle: true,
  // The Slack surface stays in chunks of its own, loaded only when a bot token is set.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'pino', 'pino-pretty'],
  // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
