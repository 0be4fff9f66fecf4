// A disk of a few megabytes that a test fills and frees, for storage faults as the server meets
// them: the server runs in a mount namespace of its own (unshare: no privilege needed) with a small
// tmpfs over its data folder; the test fills it through /proc/<pid>/root and runs scripts beside the
// server with nsenter.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type Child, ROOT, runScript } from './process.ts';

export interface SmallDisk {
  server: Child;
  /** Runs a script of the project beside the server, seeing the small disk as the server does. */
  run(script: string, args: string[], env: Record<string, string>): Child;
  /** Writes a filler file until the disk answers "no space left". */
  fill(): void;
  /** Removes the filler. */
  free(): void;
}

/** Starts app/main.ts with a tmpfs of `megabytes` mounted over `mountPoint` (an empty folder). */
export function serverOnSmallDisk(mountPoint: string, env: Record<string, string>, megabytes = 8): SmallDisk {
  const launcher = ['unshare', '--user', '--map-root-user', '--mount', 'sh', '-c', `mount -t tmpfs -o size=${megabytes}m,mode=0700 tmpfs "$0" && exec "$@"`, mountPoint];
  const server = runScript('app/main.ts', [], env, launcher);
  const outside = (path: string) => join(`/proc/${server.process.pid}/root`, path);
  const filler = () => outside(join(mountPoint, 'filler'));
  return {
    server,
    run: (script, args, scriptEnv) => runScript(script, args, scriptEnv, ['nsenter', '--target', String(server.process.pid), '--user', '--mount', '--preserve-credentials', `--wd=${ROOT}`]),
    fill() {
      const fd = openSync(filler(), 'w');
      const block = Buffer.alloc(64 * 1024);
      try {
        for (;;) writeSync(fd, block);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler(), { force: true });
    },
  };
}
