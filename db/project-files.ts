// Files that ship beside the code (the migrations, the terms, the sample tenant) are found from the
// project root, the folder holding package.json, so they are found alike when the sources run under
// tsx and when the bundle in dist/ runs.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

function projectRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}: the project's files cannot be found.`);
    dir = parent;
  }
  root = dir;
  return root;
}

/** The path of a file of the project, from its path relative to the project root. */
export function projectFile(...parts: string[]): string {
  return join(projectRoot(), ...parts);
}
