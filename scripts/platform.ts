// npm run platform -- <command>
//   PLATFORM=local (the simulator): show | set-base-language INSTANCE LANGUAGE | set-solutions INSTANCE "A,B"
//   PLATFORM=powerplatform (a Microsoft tenant): login | logout | doctor
import { configOrFail, fail } from './cli.ts';
import { MICROSOFT_COMMANDS, runMicrosoftCommand } from './platform/microsoft.ts';
import { runSimulatorCommand, SIMULATOR_COMMANDS, SIMULATOR_USAGE } from './platform/simulator.ts';

const args = process.argv.slice(2);
const [command = ''] = args;
const config = configOrFail();
if (MICROSOFT_COMMANDS.includes(command)) {
  if (config.PLATFORM !== 'powerplatform') fail(`"${command}" signs in to a Microsoft tenant: set PLATFORM=powerplatform and its variables (README, "Connect to Microsoft").`);
  process.exitCode = await runMicrosoftCommand(config, command);
} else if (SIMULATOR_COMMANDS.includes(command)) {
  if (config.PLATFORM !== 'local') fail(`"${command}" changes the simulated tenant; with PLATFORM=powerplatform change the real one in the Power Platform admin center.`);
  process.exitCode = await runSimulatorCommand(config, args);
} else {
  fail(`usage: npm run platform -- ${config.PLATFORM === 'local' ? SIMULATOR_USAGE : MICROSOFT_COMMANDS.join(' | ')}`);
}
