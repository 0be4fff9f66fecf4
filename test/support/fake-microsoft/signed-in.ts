// An administrator signed in against the fake, in process: MSAL's device-code flow through the
// fake Entra (the code approved as `userId` the moment it is shown), the cache sealed in a test
// database of its own (createTestDatabase's kind), and the http client and directory of the Power
// Platform driver on top.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { secretBox as productSecretBox } from '../../../app/platform.ts';
import type { Db } from '../../../db/client.ts';
import { licensesFrom, PowerPlatformDirectory } from '../../../platform/powerplatform/directory.ts';
import { MicrosoftHttp } from '../../../platform/powerplatform/http.ts';
import { networkClientTrusting } from '../../../platform/powerplatform/msal-network.ts';
import type { MicrosoftEndpoints } from '../../../platform/powerplatform/scopes.ts';
import { MicrosoftSignIn } from '../../../platform/powerplatform/sign-in.ts';
import type { SecretBox } from '../../../platform/powerplatform/token-cache.ts';
import { createTestDatabase } from '../databases.ts';
import { approveDeviceCode, entraOf } from './entra.ts';
import type { FakeMicrosoft } from './protocol.ts';

export function endpointsOf(fake: FakeMicrosoft): MicrosoftEndpoints {
  const env = fake.env();
  return {
    authorityHost: env.ENTRA_AUTHORITY_HOST as string,
    powerPlatform: env.POWERPLATFORM_API_URL as string,
    bap: env.BAP_API_URL as string,
    graph: env.GRAPH_API_URL as string,
  };
}

/** The product's SecretBox (app/platform.ts) under a key of the test's own. */
export function secretBox(key: Buffer = randomBytes(32)): SecretBox {
  return productSecretBox(key);
}

export interface SignedIn {
  db: Db;
  signIn: MicrosoftSignIn;
  http: MicrosoftHttp;
  directory: PowerPlatformDirectory;
  /** Closes the database and drops it. */
  close(): Promise<void>;
}

export async function signInAs(fake: FakeMicrosoft, userId: string | undefined, options: { clientSecret?: string; cacheMs?: number; box?: SecretBox; log?: Logger } = {}): Promise<SignedIn> {
  const database = await createTestDatabase();
  try {
    return await signInOn(await database.open(), fake, userId, options, () => database.drop());
  } catch (error) {
    await database.drop();
    throw error;
  }
}

async function signInOn(
  db: Db,
  fake: FakeMicrosoft,
  userId: string | undefined,
  options: { clientSecret?: string; cacheMs?: number; box?: SecretBox; log?: Logger },
  close: () => Promise<void>,
): Promise<SignedIn> {
  const signIn = new MicrosoftSignIn({
    tenantId: fake.state.tenant.tenantId,
    clientId: entraOf(fake.state).app.clientId,
    clientSecret: options.clientSecret,
    endpoints: endpointsOf(fake),
    db,
    box: options.box ?? secretBox(),
    log: options.log,
    networkClient: networkClientTrusting(fake.tls.caPem),
  });
  if (userId) await signIn.login((code) => approveDeviceCode(fake.state, code.userCode, userId), 60);
  const http = new MicrosoftHttp({ tokens: signIn, ca: fake.tls.caPem, sleep: async () => {} });
  const directory = new PowerPlatformDirectory({
    http,
    endpoints: endpointsOf(fake),
    licenses: licensesFrom([
      { type: 'PRODUCTION', quantity: 10 },
      { type: 'TRIAL', quantity: 3 },
    ]),
    cacheMs: options.cacheMs ?? 60_000,
    sleep: async () => {},
  });
  return { db, signIn, http, directory, close };
}
