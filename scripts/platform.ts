// npm run platform -- <command>: change the simulated tenant the way its admins would in Dynamics 365.
//   show                                   instances, their languages and solutions, and the SSL bindings
//   set-base-language INSTANCE LANGUAGE    e.g. set-base-language contoso-mea fr-FR
//   set-solutions INSTANCE "A,B"           e.g. set-solutions contoso-field "Field Service"
import { type Config, ConfigError, loadConfig } from '../app/config.ts';
import { openDatabase } from '../db/client.ts';
import { LocalPlatform } from '../platform/local/simulator.ts';

const USAGE = 'usage: npm run platform -- show | set-base-language INSTANCE LANGUAGE | set-solutions INSTANCE "A,B"';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(2);
}
const db = openDatabase(config.DATABASE_PATH);
const platform = LocalPlatform.open(db, config.PLATFORM_SEED, config.PLATFORM_SPEED);
const [command, instanceId, value] = process.argv.slice(2);
try {
  if (command === 'set-base-language' && instanceId && value) await platform.setBaseLanguage(instanceId, value);
  else if (command === 'set-solutions' && instanceId && value !== undefined)
    await platform.setSolutions(instanceId, value.split(',').map((s) => s.trim()).filter(Boolean));
  else if (command !== 'show') {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
  }
  if (process.exitCode !== 2) {
    for (const instance of await platform.listInstances()) {
      process.stdout.write(
        `${instance.id.padEnd(16)} ${instance.name.padEnd(26)} base ${instance.baseLanguage}  languages ${instance.languages.join(',')}  solutions ${instance.solutions.join(', ') || '-'}\n`,
      );
    }
    for (const binding of await platform.listBindings()) {
      process.stdout.write(`SSL binding      ${binding.hostname} -> ${binding.subdomain}  certificate ${binding.certificateThumbprint.slice(0, 16)}…\n`);
    }
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 2;
} finally {
  db.$client.close();
}
