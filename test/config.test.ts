import { describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { DEFAULT_SCHEDULE } from '../core/dns-schedule.ts';

describe('the configuration contract', () => {
  it('has working defaults: no Slack, the sample tenant, the public portal domain', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATABASE_PATH: './data/portals.db',
      PORTAL_DOMAIN: 'microsoftcrmportals.com',
      PLATFORM: 'local',
      PROVISION_POLL: '*/30 * * * * *',
      DNS_POLL: '0 * * * * *',
    });
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
  });

  it('reads the DNS check schedule', () => {
    expect(loadConfig({ DNS_SCHEDULE: '10s:1s,1m:10s' }).DNS_SCHEDULE).toEqual([
      { untilMs: 10_000, everyMs: 1_000 },
      { untilMs: 60_000, everyMs: 10_000 },
    ]);
  });

  it('lets a portal wait a week for its terms, reminded a day before, unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ TERMS_EXPIRY: 7 * 86_400_000, TERMS_REMINDER: 86_400_000 });
    expect(loadConfig({ TERMS_EXPIRY: '36h', TERMS_REMINDER: '90m' })).toMatchObject({ TERMS_EXPIRY: 36 * 3_600_000, TERMS_REMINDER: 90 * 60_000 });
    expect(() => loadConfig({ TERMS_EXPIRY: 'a week' })).toThrow(/TERMS_EXPIRY: must be a length of time/);
    expect(() => loadConfig({ TERMS_EXPIRY: '1d', TERMS_REMINDER: '2d' })).toThrow(/TERMS_REMINDER: must be shorter than TERMS_EXPIRY/);
  });

  it('checks DNS on the schedule core defines unless told otherwise', () => {
    expect(loadConfig({}).DNS_SCHEDULE).toEqual(DEFAULT_SCHEDULE);
  });

  it('times the jobs as PLATFORM_SPEED did unless JOB_TIMING says otherwise', () => {
    expect(loadConfig({}).JOB_TIMING).toBe('standard');
    expect(loadConfig({ PLATFORM_SPEED: 'fast' }).JOB_TIMING).toBe('fast');
    expect(loadConfig({ PLATFORM_SPEED: 'fast', JOB_TIMING: 'standard' }).JOB_TIMING).toBe('standard');
    expect(loadConfig({ JOB_TIMING: 'fast' })).toMatchObject({ JOB_TIMING: 'fast', PLATFORM_SPEED: 'demo' });
    expect(() => loadConfig({ JOB_TIMING: 'quick' })).toThrow(/JOB_TIMING/);
  });

  it('reads DNS servers as a list of host:port', () => {
    expect(loadConfig({ DNS_SERVERS: '127.0.0.1:5353, [::1]:53' }).DNS_SERVERS).toEqual(['127.0.0.1:5353', '[::1]:53']);
  });

  it('reads the API limits and the CORS allow-list, with CORS off and streams capped by default', () => {
    const defaults = loadConfig({});
    expect(defaults.CORS_ORIGINS).toBeUndefined();
    expect(defaults).toMatchObject({ MAX_STREAMS_PER_TOKEN: 10, MAX_STREAMS: 200 });
    expect(loadConfig({ CORS_ORIGINS: 'https://admin.contoso.com, http://localhost:5173', MAX_STREAMS_PER_TOKEN: '3', MAX_STREAMS: '50' })).toMatchObject({
      CORS_ORIGINS: ['https://admin.contoso.com', 'http://localhost:5173'],
      MAX_STREAMS_PER_TOKEN: 3,
      MAX_STREAMS: 50,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'https://admin.contoso.com/' }, 'CORS_ORIGINS'],
    [{ MAX_STREAMS_PER_TOKEN: '0' }, 'MAX_STREAMS_PER_TOKEN'],
    [{ MAX_STREAMS: 'many' }, 'MAX_STREAMS'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORTAL_DOMAIN: 'not a domain' }, 'PORTAL_DOMAIN'],
    [{ DNS_SERVERS: '127.0.0.1' }, 'DNS_SERVERS'],
    [{ SECRET_KEY: 'c2hvcnQ=' }, 'SECRET_KEY'],
    [{ PROVISION_POLL: 'often' }, 'PROVISION_POLL'],
    [{ DNS_POLL: '* *' }, 'DNS_POLL'],
    [{ DNS_SCHEDULE: '1h:1m,30m:1m' }, 'DNS_SCHEDULE'],
    [{ DNS_SCHEDULE: 'often' }, 'DNS_SCHEDULE'],
    [{ SLACK_API_URL: 'slack' }, 'SLACK_API_URL'],
    [{ PLATFORM: 'azure' }, 'PLATFORM'],
    [{ PLATFORM_SPEED: 'warp' }, 'PLATFORM_SPEED'],
    [{ SLACK_BOT_TOKEN: 'xoxb-secret-1' }, 'SLACK_SIGNING_SECRET'],
  ])('refuses %j, naming the variable', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n  ${variable}: `));
  });

  it('never repeats a secret in its error', () => {
    expect(() => loadConfig({ SECRET_KEY: 'c2VjcmV0LXZhbHVl' })).toThrow(/SECRET_KEY/);
    try {
      loadConfig({ SECRET_KEY: 'c2VjcmV0LXZhbHVl' });
    } catch (error) {
      expect((error as Error).message).not.toContain('c2VjcmV0LXZhbHVl');
    }
  });
});
