// The Microsoft tenant's commands (PLATFORM=powerplatform):
//   login    the device-code sign-in of an administrator: prints the page and the code, waits
//   logout   forgets the signed-in administrator (the sealed token cache in the database)
//   doctor   calls each API once and checks every permission and role; exits 1 on any ✗

import type { Config } from '../../app/config.ts';
import { powerPlatformParts } from '../../app/platform.ts';
import { loadSecretKey, verifySecretKey } from '../../app/secret-key.ts';
import { closeDatabase, connectDatabase } from '../../db/database.ts';
import { runDoctor } from '../../platform/powerplatform/doctor.ts';

export const MICROSOFT_COMMANDS = ['login', 'logout', 'doctor'];

/** Runs a Microsoft command; the exit code. */
export async function runMicrosoftCommand(config: Config, command: string): Promise<number> {
  const db = await connectDatabase(config.database);
  try {
    const secretKey = loadSecretKey(config.SECRET_KEY, config.dataDir);
    await verifySecretKey(db, secretKey);
    const parts = powerPlatformParts(config, db, secretKey);
    if (command === 'login') return await login(parts.signIn);
    if (command === 'logout') {
      const forgot = await parts.signIn.logout();
      process.stdout.write(forgot ? 'Signed out: the Microsoft sign-in is forgotten.\n' : 'No Microsoft administrator was signed in.\n');
      return 0;
    }
    return await doctor(config, parts);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  } finally {
    await closeDatabase(db);
  }
}

async function login(signIn: ReturnType<typeof powerPlatformParts>['signIn']): Promise<number> {
  const account = await signIn.login((code) => {
    process.stdout.write(`To sign in, open ${code.verificationUri} and enter the code ${code.userCode}\n`);
    process.stdout.write('Sign in as a Global Administrator who is System Administrator in the environments. Waiting…\n');
  });
  process.stdout.write(`Signed in as ${account.username}. Run "npm run platform -- doctor" to check permissions and roles.\n`);
  return 0;
}

async function doctor(config: Config, parts: ReturnType<typeof powerPlatformParts>): Promise<number> {
  const settings = config.powerPlatform;
  if (!settings) return 2;
  const checks = await runDoctor({ ...parts, endpoints: settings.endpoints, clientId: settings.clientId, licenses: settings.licenses });
  for (const check of checks) {
    process.stdout.write(`${check.ok ? '✓' : '✗'} ${check.label}\n`);
    if (!check.ok && check.fix) process.stdout.write(`  fix: ${check.fix}\n`);
  }
  const failed = checks.filter((c) => !c.ok).length;
  process.stdout.write(failed === 0 ? 'All checks passed.\n' : `${failed} check(s) failed.\n`);
  return failed === 0 ? 0 : 1;
}
