// Runs the real server as a child process, the way `npm start` does, and waits for /ready.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sleep } from './wait.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Child {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Runs a script of the project: TypeScript through tsx, JavaScript (the bundle) as Node runs it.
 * `launcher` is a command that runs the rest of its arguments as the program (small-disk.ts's).
 */
export function runScript(script: string, args: string[], env: Record<string, string>, launcher: string[] = []): Child {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const command = [...launcher, process.execPath, ...loader, script, ...args];
  const child = spawn(command[0] ?? process.execPath, command.slice(1), {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

export async function waitForReady(url: string, child: Child, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.process.exitCode !== null) throw new Error(`the server exited early:\n${child.output()}`);
    try {
      const response = await fetch(`${url}/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`the server was not ready within ${timeoutMs} ms:\n${child.output()}`);
}

/** A script of the project started as a server on a free loopback port, once it answers /ready. */
export async function startServer(script: string, env: Record<string, string>): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = runScript(script, [], { HOST: '127.0.0.1', ...env, PORT: String(port) });
  await waitForReady(url, child);
  return { child, url };
}
