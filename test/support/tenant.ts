// A test database with the sample tenant, and helpers to call GraphQL as one of its people.

import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createLogger, type Logger } from '../../app/logger.ts';
import type { Actor, Scope } from '../../core/actor.ts';
import { type CheckSchedule, FAST_SCHEDULE } from '../../core/dns-schedule.ts';
import { EventFeed } from '../../core/event-feed.ts';
import type { SlackEmailLookup } from '../../core/identity.ts';
import { createApiToken } from '../../core/tokens.ts';
import type { Db } from '../../db/client.ts';
import { type ApiPolicy, createGraphQLServer } from '../../graphql/yoga.ts';
import { DnsPoller, FAST_DNS_TIMING } from '../../jobs/dns-poller.ts';
import { FAST_TIMING, ProvisioningPoller } from '../../jobs/provisioning-poller.ts';
import { SAMPLE_SEED_PATH } from '../../platform/local/seed.ts';
import { LocalPlatform } from '../../platform/local/simulator.ts';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.ts';
import { openPowerPlatform, type PlatformKind, type TestPlatform } from './platforms.ts';
import type { WireJson } from './wire-json.ts';

export const PORTAL_DOMAIN = 'portals.test';

export { tempDir } from './temp-dir.ts';

export interface TestTenant {
  db: Db;
  /** The test database it runs on (TEST_DATABASE's kind, SQLite unless set). */
  database: TestDatabase;
  /** The platform the product talks to, with the controls tests use on it. */
  platform: TestPlatform;
  /** Which one it is. */
  platformKind: PlatformKind;
  /** A temporary folder of the tenant's, removed on close. */
  dir: string;
  /** Every SQL statement run on the database since the last reset. */
  statements: string[];
  yoga: ReturnType<typeof createGraphQLServer>;
  /** A bearer token for a directory user (by e-mail) or, with no e-mail, a service. */
  token(options?: { email?: string; scopes?: Scope[]; name?: string }): Promise<string>;
  /** Runs a GraphQL operation through yoga.fetch with the token given. */
  gql<T = WireJson>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{ status: number; body: { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }>;
  /** Runs an operation in-process as this actor, the way the bot does. */
  gqlAs<T = WireJson>(actor: Actor, query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: Array<{ message: string }> }>;
  /** The provisioning poller, woken by lifecycle mutations (no cron in tests). */
  poller: ProvisioningPoller;
  /** The DNS poller, woken when a domain is added or its CNAME is seen. */
  dnsPoller: DnsPoller;
  secretKey: Buffer;
  feed: EventFeed;
  close(): Promise<void>;
}

export type TestTenantOptions = {
  /** The database to run on when a test is about one in particular; TEST_DATABASE's (SQLite unless set) otherwise. */
  database?: DatabaseKind;
  seedPath?: string;
  slackEmailOf?: SlackEmailLookup;
  dnsServers?: string[];
  schedule?: CheckSchedule;
  log?: Logger;
} & ApiPolicy;

/** A test tenant on the platform named: the simulator, or the Power Platform driver against the fake. */
export async function openTestTenantOn(kind: PlatformKind, options: TestTenantOptions = {}): Promise<TestTenant> {
  if (kind === 'local') return openTestTenant(options);
  const opened = await openPowerPlatform(options.seedPath ? { seedPath: options.seedPath } : {});
  try {
    return await openTestTenant(options, { platform: opened.platform, kind, close: opened.close });
  } catch (error) {
    await opened.close();
    throw error;
  }
}

/** A tenant on a new test database (createTestDatabase's kind), on the simulator unless `on` gives a platform. */
export async function openTestTenant(options: TestTenantOptions = {}, on?: { platform: TestPlatform; kind: PlatformKind; close(): Promise<void> }): Promise<TestTenant> {
  const database = await createTestDatabase(options.database);
  const statements: string[] = [];
  let db: Db;
  let platform: TestPlatform;
  try {
    db = await database.open({ onQuery: (sql) => statements.push(sql) });
    platform = on?.platform ?? (await LocalPlatform.connect(db, options.seedPath ?? SAMPLE_SEED_PATH, 'fast'));
  } catch (error) {
    await database.drop();
    throw error;
  }
  const log = options.log ?? createLogger('silent');
  const feed = new EventFeed(db, 50);
  const poller = new ProvisioningPoller({ db, platform, log, timing: FAST_TIMING });
  const domainDeps = {
    db,
    platform,
    portalDomain: PORTAL_DOMAIN,
    secretKey: randomBytes(32),
    dns: { servers: options.dnsServers ?? ['127.0.0.1:9'], timeoutMs: 300 },
    schedule: options.schedule ?? FAST_SCHEDULE,
  };
  const dnsPoller = new DnsPoller({ ...domainDeps, log, timing: FAST_DNS_TIMING });
  const yoga = createGraphQLServer({
    ...domainDeps,
    log,
    feed,
    wake: () => poller.wake(),
    wakeDns: () => dnsPoller.wake(),
    slackEmailOf: options.slackEmailOf,
    corsOrigins: options.corsOrigins,
    streamLimits: options.streamLimits,
  });
  statements.length = 0;
  let tokens = 0;
  return {
    db,
    platform,
    platformKind: on?.kind ?? 'local',
    poller,
    dnsPoller,
    secretKey: domainDeps.secretKey,
    feed,
    database,
    dir: database.dir,
    statements,
    yoga,
    async token({ email, scopes = ['read', 'write'], name } = {}) {
      tokens += 1;
      const created = await createApiToken({ db, platform }, { name: name ?? `test-${tokens}`, scopes, userEmail: email });
      return created.token;
    },
    async gql(query, variables, token) {
      const response = await yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    },
    async gqlAs(actor, query, variables) {
      const response = await yoga.fetch(
        'http://localhost/graphql',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) },
        { actor },
      );
      return response.json();
    },
    async close() {
      await poller.stop();
      await dnsPoller.stop();
      await on?.close();
      feed.close();
      await database.drop();
    },
  };
}

export const instanceId = (id: string) => encodeGlobalID('Instance', id);
export const userId = (id: string) => encodeGlobalID('DirectoryUser', id);

/** A request the sample tenant accepts from ada@contoso.com; override what a test is about. */
export function portalInput(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Contoso Partners',
    subdomain: 'contoso-partners',
    instanceId: instanceId('contoso-field'),
    language: 'en-US',
    administratorId: userId('margaret'),
    audience: 'PARTNER',
    portalType: 'PARTNER',
    addOns: ['PARTNER_FIELD_SERVICE'],
    ...overrides,
  };
}

export const REQUEST_PORTAL = /* GraphQL */ `
  mutation Request($input: RequestPortalInput!) {
    requestPortal(input: $input) {
      __typename
      ... on PortalPayload {
        portal { id name displayName status type subdomain url language audience portalType addOns features
          instance { id name } administrator { id email } resourceStatus packageStatus createdAt }
      }
      ... on ValidationError { fields { field message } }
      ... on Error { message }
    }
  }
`;

/** Writes a copy of the sample tenant with other licenses, for tests about running out of seats. */
export function seedWithLicenses(dir: string, licenses: Array<{ id: string; type: 'TRIAL' | 'PRODUCTION'; quantity: number }>): string {
  const sample = JSON.parse(readFileSync(SAMPLE_SEED_PATH, 'utf8'));
  sample.licenses = licenses.map((l) => ({ ...l, name: l.type === 'TRIAL' ? 'Portal Add-On (Trial)' : 'Portal Add-On' }));
  const path = join(dir, `tenant-${licenses.map((l) => l.quantity).join('-')}.json`);
  writeFileSync(path, JSON.stringify(sample));
  return path;
}
