// The configuration contract (docs/architecture.md, "Configuration"): read and checked once at start. A bad value stops
// the process with a message that names the variable.
import { resolve } from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';
import { DEFAULT_SCHEDULE } from '../core/dns-schedule.ts';
import type { DatabaseTarget } from '../db/database.ts';
import { redactUrl } from '../db/postgres.ts';
import { SAMPLE_SEED_PATH } from '../platform/local/seed.ts';
import { POWER_PLATFORM_VARIABLES, type PowerPlatformSettings, powerPlatformSettings } from './config-powerplatform.ts';

const optional = z
  .string()
  .transform((v) => v.trim())
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const cronExpression = z
  .string()
  .trim()
  .refine((v) => cron.validate(v), 'must be a cron expression of 5 or 6 fields (seconds first), for example "*/30 * * * * *"');

const hostPort = z
  .string()
  .trim()
  .regex(/^(\[[0-9a-fA-F:]+\]|[^\s:,]+):(\d{1,5})$/, 'must be host:port, [ipv6]:port for IPv6');

/** An origin as browsers send it: scheme, host and port, no path nor trailing slash. */
const origin = z.string().refine((v) => URL.canParse(v) && new URL(v).origin === v, 'must be origins such as https://admin.contoso.com (scheme, host and port only), separated by commas');

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const duration = (text: string) => {
  const match = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  return match ? Number(match[1]) * (UNITS[match[2] as string] as number) : Number.NaN;
};

/** "1h:1m,24h:10m,72h:1h": each minute until 1 h, every 10 minutes until 24 h, hourly until 72 h. */
const checkSchedule = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((step) => step.split(':'))
      .map(([until = '', every = '']) => ({ untilMs: duration(until), everyMs: duration(every) })),
  )
  .refine(
    (steps) => steps.length > 0 && steps.every((s, i) => s.untilMs > 0 && s.everyMs > 0 && (i === 0 || s.untilMs > (steps[i - 1]?.untilMs ?? 0))),
    'must be steps "until:every" with growing until, such as "1h:1m,24h:10m,72h:1h" (units s, m, h, d)',
  );

/** "7d", "36h", "90s": a length of time, in milliseconds. */
const timeSpan = z
  .string()
  .transform(duration)
  .refine((ms) => ms > 0, 'must be a length of time such as "7d", "36h", "30m" or "90s"');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATABASE_PATH: z.string().trim().min(1).default('./data/portals.db'),
  // PostgreSQL instead of the SQLite file: several replicas may share it.
  DATABASE_URL: optional.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/i, 'must be a PostgreSQL URL such as postgres://user@host:5432/portal_ops')
      .optional(),
  ),
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_API_URL: z.url().optional(),
  SLACK_CHANNEL: optional,
  // Slack takes about one message a second in a channel; 0 turns the pacing off.
  SLACK_CHANNEL_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  DNS_SERVERS: optional.pipe(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(hostPort))
      .optional(),
  ),
  // Unset: microsoftcrmportals.com on the simulator, powerappsportals.com on the Power Platform.
  PORTAL_DOMAIN: optional.pipe(
    z
      .string()
      .toLowerCase()
      .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name such as microsoftcrmportals.com')
      .optional(),
  ),
  SECRET_KEY: optional.pipe(
    z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes encoded in base64 (openssl rand -base64 32)')
      .optional(),
  ),
  PROVISION_POLL: cronExpression.default('*/30 * * * * *'),
  DNS_POLL: cronExpression.default('0 * * * * *'),
  DNS_SCHEDULE: checkSchedule.default(DEFAULT_SCHEDULE.map((step) => ({ ...step }))),
  // A portal waiting for its terms expires after TERMS_EXPIRY (freeing its license); the requester is
  // reminded TERMS_REMINDER before. TERMS_EXPIRY_POLL is when the job looks for due portals.
  TERMS_EXPIRY: timeSpan.default(7 * 86_400_000),
  TERMS_REMINDER: timeSpan.default(86_400_000),
  TERMS_EXPIRY_POLL: cronExpression.default('0 * * * * *'),
  PROVISION_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  PLATFORM: z.enum(['local', 'powerplatform'], { message: 'must be "local" (the embedded simulator) or "powerplatform" (a Microsoft tenant)' }).default('local'),
  ...POWER_PLATFORM_VARIABLES,
  PLATFORM_SEED: z.string().trim().min(1).default(SAMPLE_SEED_PATH),
  // The simulator's speed: `demo` (about a minute per portal) or `fast` (tests).
  PLATFORM_SPEED: z.enum(['demo', 'fast']).default('demo'),
  // How quickly the jobs look at the platform again: `standard`, or `fast` (tests, demos on the fast
  // simulator). Unset, it follows PLATFORM_SPEED (`fast` with `fast`), as before it had a name.
  JOB_TIMING: z.enum(['standard', 'fast']).optional(),
  GRAPHQL_URL: z.url().optional(),
  GRAPHQL_TOKEN: optional,
  CORS_ORIGINS: optional.pipe(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(origin))
      .optional(),
  ),
  MAX_STREAMS_PER_TOKEN: z.coerce.number().int().min(1).max(10_000).default(10),
  MAX_STREAMS: z.coerce.number().int().min(1).max(100_000).default(200),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // /metrics (Prometheus' text format): on unless `off`; with METRICS_TOKEN, a scrape must send it as a bearer token.
  METRICS: z.enum(['on', 'off'], { message: 'must be "on" (serve /metrics) or "off" (no /metrics)' }).default('on'),
  METRICS_TOKEN: optional.pipe(
    z
      .string()
      .regex(/^\S{16,}$/, 'must be at least 16 characters without spaces (openssl rand -hex 32)')
      .optional(),
  ),
});

export type JobTiming = 'standard' | 'fast';

export type Config = Omit<z.infer<typeof envSchema>, 'JOB_TIMING' | 'PORTAL_DOMAIN'> & {
  JOB_TIMING: JobTiming;
  PORTAL_DOMAIN: string;
  /** DATABASE_URL when set (PostgreSQL), else the SQLite file DATABASE_PATH. */
  database: DatabaseTarget;
  dataDir: string;
  /** Set when PLATFORM=powerplatform: the tenant, the app registration, the endpoints and the licenses. */
  powerPlatform?: PowerPlatformSettings;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '(environment)');
      const secret = variable.startsWith('SLACK_') || variable === 'SECRET_KEY' || variable.endsWith('_SECRET') || variable.endsWith('_TOKEN');
      // A database URL may hold a password: it is shown without it.
      const shown = variable === 'DATABASE_URL' ? redactUrl(env[variable] ?? '') : env[variable];
      const value = secret ? '' : ` (got "${shown ?? ''}")`;
      return `${variable}: ${issue.message}${value}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const config = parsed.data;
  if (Boolean(config.SLACK_BOT_TOKEN) !== Boolean(config.SLACK_SIGNING_SECRET) && !config.SLACK_APP_TOKEN) {
    throw new ConfigError('Invalid configuration:\n  SLACK_SIGNING_SECRET: set both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn the Slack bot on, or neither');
  }
  if (config.SLACK_APP_TOKEN && !config.SLACK_BOT_TOKEN) {
    throw new ConfigError('Invalid configuration:\n  SLACK_BOT_TOKEN: Socket Mode (SLACK_APP_TOKEN) also needs the bot token');
  }
  if (config.TERMS_REMINDER >= config.TERMS_EXPIRY) {
    throw new ConfigError(`Invalid configuration:\n  TERMS_REMINDER: must be shorter than TERMS_EXPIRY (got "${env.TERMS_REMINDER ?? '1d'}" and "${env.TERMS_EXPIRY ?? '7d'}")`);
  }
  if (config.GRAPHQL_URL && !config.GRAPHQL_TOKEN) {
    throw new ConfigError('Invalid configuration:\n  GRAPHQL_TOKEN: a remote GRAPHQL_URL needs a service token with the admin scope');
  }
  const checked = config.PLATFORM === 'powerplatform' ? powerPlatformSettings(config) : undefined;
  if (checked && 'problems' in checked) throw new ConfigError(`Invalid configuration:\n  ${checked.problems.join('\n  ')}`);
  const powerPlatform = checked?.settings;
  return {
    ...config,
    JOB_TIMING: config.JOB_TIMING ?? (config.PLATFORM_SPEED === 'fast' ? 'fast' : 'standard'),
    PORTAL_DOMAIN: config.PORTAL_DOMAIN ?? (powerPlatform ? 'powerappsportals.com' : 'microsoftcrmportals.com'),
    database: config.DATABASE_URL ? { url: config.DATABASE_URL } : { path: config.DATABASE_PATH },
    dataDir: resolve(config.DATABASE_PATH === ':memory:' ? './data' : resolve(config.DATABASE_PATH, '..')),
    ...(powerPlatform ? { powerPlatform } : {}),
  };
}
