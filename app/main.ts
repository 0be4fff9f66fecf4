// The process: read the configuration, start, and stop cleanly on SIGTERM or SIGINT.

import { DatabaseFileError } from '../db/client.ts';
import { PostgresUnavailableError } from '../db/postgres.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startRuntime } from './runtime.ts';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  throw error;
}

const log = createLogger(config.LOG_LEVEL);
const runtime = await startRuntime(config, log).catch((error: unknown) => {
  log.fatal({ err: error }, 'could not start');
  // The operator's next step, plainly, beside the structured line.
  if (error instanceof DatabaseFileError || error instanceof PostgresUnavailableError) process.stderr.write(`${error.message}\n`);
  process.exit(1);
});

// A stray rejection (a library's background call) is logged, not a reason to take the service down.
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'unclean shutdown');
        process.exit(1);
      },
    );
  });
}
