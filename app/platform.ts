// Which platform the product talks to, chosen by PLATFORM: the embedded simulator (local) or a
// Microsoft tenant (powerplatform). The only place that knows both; everything else sees Platform.
import type { Logger } from 'pino';
import { decryptSecret, encryptSecret } from '../core/secrets.ts';
import type { Db } from '../db/client.ts';
import { LocalPlatform } from '../platform/local/simulator.ts';
import type { Platform } from '../platform/platform.ts';
import { licensesFrom, PowerPlatformDirectory } from '../platform/powerplatform/directory.ts';
import { PowerPlatform } from '../platform/powerplatform/driver.ts';
import { MicrosoftHttp } from '../platform/powerplatform/http.ts';
import { MicrosoftSignIn } from '../platform/powerplatform/sign-in.ts';
import type { SecretBox } from '../platform/powerplatform/token-cache.ts';
import type { Config } from './config.ts';

/** Secrets sealed under SECRET_KEY, bound to the record that holds them. */
export function secretBox(key: Buffer): SecretBox {
  return { seal: (plaintext, id) => encryptSecret(key, plaintext, id), open: (sealed, id) => decryptSecret(key, sealed, id) };
}

/** The Microsoft sign-in of PLATFORM=powerplatform (npm run platform -- login, the driver's tokens). */
export function microsoftSignIn(config: Config, db: Db, secretKey: Buffer, log?: Logger): MicrosoftSignIn {
  const settings = config.powerPlatform;
  if (!settings) throw new Error('PLATFORM=powerplatform is not configured.');
  return new MicrosoftSignIn({
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    endpoints: settings.endpoints,
    db,
    box: secretBox(secretKey),
    log,
  });
}

export interface PowerPlatformParts {
  signIn: MicrosoftSignIn;
  http: MicrosoftHttp;
  directory: PowerPlatformDirectory;
  platform: PowerPlatform;
}

export function powerPlatformParts(config: Config, db: Db, secretKey: Buffer, log?: Logger): PowerPlatformParts {
  const settings = config.powerPlatform;
  if (!settings) throw new Error('PLATFORM=powerplatform is not configured.');
  const signIn = microsoftSignIn(config, db, secretKey, log);
  const http = new MicrosoftHttp({ tokens: signIn, ...(log ? { log } : {}) });
  const directory = new PowerPlatformDirectory({ http, endpoints: settings.endpoints, licenses: licensesFrom(settings.licenses), ...(log ? { log } : {}) });
  const platform = new PowerPlatform({ http, directory, endpoints: settings.endpoints });
  return { signIn, http, directory, platform };
}

export async function createPlatform(config: Config, db: Db, secretKey: Buffer, log?: Logger): Promise<Platform> {
  if (config.PLATFORM === 'powerplatform') return powerPlatformParts(config, db, secretKey, log).platform;
  return LocalPlatform.connect(db, config.PLATFORM_SEED, config.PLATFORM_SPEED);
}
