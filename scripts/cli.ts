// What the command-line scripts share: refusing with a message and exit code 2, and the configured database.
import { type Config, ConfigError, loadConfig } from '../app/config.ts';
import { DomainError, ValidationError } from '../core/errors.ts';

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

export function configOrFail(): Config {
  try {
    return loadConfig();
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }
}

/** A problem the user can act on is said and ends the script with 2; anything else is thrown on. */
export function failOnDomainError(error: unknown): void {
  if (error instanceof ValidationError) fail(error.fields.map((f) => `${f.field}: ${f.message}`).join('\n'));
  if (error instanceof DomainError) fail(error.message);
}
