// Bundles the server for `npm start`: our TypeScript and the pure-JavaScript packages it uses become a
// few ES modules, so start-up neither runs a TypeScript loader nor resolves and reads hundreds of
// package files one by one. Kept outside the bundle: better-sqlite3 (native addons, see db/sqlite-driver.ts) and pino, whose
// transports start worker threads from files of their own.
//
//   node scripts/build.mjs [outdir] [--if-changed]
//
// Each build goes into a folder of its own, `<outdir>/build-<id>/`, written under a temporary name and
// renamed into place when complete; `<outdir>/main.js` is a one-line entry that imports the current
// build and is itself replaced by a rename. So a process starting while another builds always finds a
// whole build, and two `npm start` at once from one checkout both run. With --if-changed (what
// `npm start` does) nothing is built when no input of the current build changed since it was made:
// the esbuild metafile lists every file that went into it, and their sizes and times are compared.
// The bundle finds the project's files (migrations, terms, sample tenant) by walking up to
// package.json, so the output folder must stay inside the project.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const ifChanged = args.includes('--if-changed');
const outdir = resolve(args.find((arg) => !arg.startsWith('--')) ?? 'dist');
const ENTRY = join(outdir, 'main.js');
const INPUTS = 'inputs.json';
// Inputs are recorded relative to the project, whatever folder the script was started from.
process.chdir(fileURLToPath(new URL('..', import.meta.url)));
/** Builds other than the current one are removed once this old: a process started from one has loaded it. */
const KEEP_OLD_BUILDS_MS = 60 * 60 * 1000;
/** Files that change the output without being bundled. */
const ALWAYS_INPUTS = ['scripts/build.mjs', 'package-lock.json'];

function currentBuild() {
  try {
    return /^\/\/ build: (build-[\w-]+)$/m.exec(readFileSync(ENTRY, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

function fingerprint(path) {
  const stat = statSync(path);
  return [path, stat.size, stat.mtimeMs];
}

function isUpToDate(build) {
  try {
    const recorded = JSON.parse(readFileSync(join(outdir, build, INPUTS), 'utf8'));
    return recorded.every(([path, size, mtimeMs]) => {
      const [, nowSize, nowMtime] = fingerprint(path);
      return nowSize === size && nowMtime === mtimeMs;
    });
  } catch {
    return false; // a missing input, or no record: build again
  }
}

function removeOldBuilds(keep) {
  const now = Date.now();
  for (const name of readdirSync(outdir)) {
    if (name === keep || !(name.startsWith('build-') || name.startsWith('.tmp-'))) continue;
    const path = join(outdir, name);
    try {
      if (now - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // another process removed it first
    }
  }
}

async function build() {
  const { build: esbuild } = await import('esbuild');
  const id = `build-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const temporary = join(outdir, `.tmp-${id}`);
  mkdirSync(outdir, { recursive: true });
  const result = await esbuild({
    entryPoints: ['app/main.ts'],
    outdir: temporary,
    bundle: true,
    // The Slack surface stays in chunks of its own, loaded only when a bot token is set.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3', 'better-sqlite3-node22', 'pino', 'pino-pretty'],
    // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = [...Object.keys(result.metafile.inputs), ...ALWAYS_INPUTS].filter((path) => existsSync(path)).map(fingerprint);
  writeFileSync(join(temporary, INPUTS), JSON.stringify(inputs));
  renameSync(temporary, join(outdir, id));
  const entry = join(outdir, `.tmp-${id}.js`);
  writeFileSync(entry, `// build: ${id}\nawait import('./${id}/main.js');\n`);
  renameSync(entry, ENTRY);
  removeOldBuilds(id);
}

const current = currentBuild();
if (!(ifChanged && current && isUpToDate(current))) await build();
