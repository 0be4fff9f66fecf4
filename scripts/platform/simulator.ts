// The simulator's commands: change the simulated tenant the way its admins would in Dynamics 365.
//   show                                   instances, their languages and solutions, and the SSL bindings
//   set-base-language INSTANCE LANGUAGE    e.g. set-base-language contoso-mea fr-FR
//   set-solutions INSTANCE "A,B"           e.g. set-solutions contoso-field "Field Service"
import type { Config } from '../../app/config.ts';
import { closeDatabase, connectDatabase } from '../../db/database.ts';
import { LocalPlatform } from '../../platform/local/simulator.ts';

export const SIMULATOR_COMMANDS = ['show', 'set-base-language', 'set-solutions'];
export const SIMULATOR_USAGE = 'show | set-base-language INSTANCE LANGUAGE | set-solutions INSTANCE "A,B"';

/** Runs a simulator command; the exit code. */
export async function runSimulatorCommand(config: Config, [command, instanceId, value]: string[]): Promise<number> {
  const db = await connectDatabase(config.database);
  const platform = await LocalPlatform.connect(db, config.PLATFORM_SEED, config.PLATFORM_SPEED);
  try {
    if (command === 'set-base-language' && instanceId && value) await platform.setBaseLanguage(instanceId, value);
    else if (command === 'set-solutions' && instanceId && value !== undefined)
      await platform.setSolutions(
        instanceId,
        value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
    else if (command !== 'show') return usage();
    await show(platform);
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  } finally {
    await closeDatabase(db);
  }
}

function usage(): number {
  process.stderr.write(`usage: npm run platform -- ${SIMULATOR_USAGE}\n`);
  return 2;
}

async function show(platform: LocalPlatform): Promise<void> {
  for (const instance of await platform.listInstances()) {
    process.stdout.write(
      `${instance.id.padEnd(16)} ${instance.name.padEnd(26)} base ${instance.baseLanguage}  languages ${instance.languages.join(',')}  solutions ${instance.solutions.join(', ') || '-'}\n`,
    );
  }
  for (const binding of await platform.listBindings()) {
    process.stdout.write(`SSL binding      ${binding.hostname} -> ${binding.subdomain}  certificate ${binding.certificateThumbprint.slice(0, 16)}…\n`);
  }
}
