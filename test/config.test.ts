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

describe('the Power Platform configuration (PLATFORM=powerplatform)', () => {
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const CLIENT = '0c7f7d2e-5b8a-4a51-9a39-3f3d0c7a1e11';
  const good = { PLATFORM: 'powerplatform', POWERPLATFORM_TENANT_ID: TENANT, POWERPLATFORM_CLIENT_ID: CLIENT, POWERPLATFORM_LICENSES: 'production:10,trial:3' };

  it('reads the tenant, the app, the licenses and the public cloud endpoints, with the Power Pages portal domain', () => {
    const config = loadConfig(good);
    expect(config.PORTAL_DOMAIN).toBe('powerappsportals.com');
    expect(config.powerPlatform).toEqual({
      tenantId: TENANT,
      clientId: CLIENT,
      licenses: [
        { type: 'PRODUCTION', quantity: 10 },
        { type: 'TRIAL', quantity: 3 },
      ],
      endpoints: {
        authorityHost: 'https://login.microsoftonline.com',
        powerPlatform: 'https://api.powerplatform.com',
        bap: 'https://api.bap.microsoft.com',
        graph: 'https://graph.microsoft.com',
      },
    });
    expect(loadConfig({}).powerPlatform).toBeUndefined();
    expect(loadConfig({ ...good, PORTAL_DOMAIN: 'portals.test' }).PORTAL_DOMAIN).toBe('portals.test');
  });

  it('takes other endpoints (other clouds, the fake in tests), without a trailing slash', () => {
    const config = loadConfig({ ...good, GRAPH_API_URL: 'https://graph.microsoft.us/', ENTRA_AUTHORITY_HOST: 'https://127.0.0.1:8443' });
    expect(config.powerPlatform?.endpoints).toMatchObject({ graph: 'https://graph.microsoft.us', authorityHost: 'https://127.0.0.1:8443' });
  });

  it('refuses an endpoint over plain HTTP, naming the variable', () => {
    for (const variable of ['ENTRA_AUTHORITY_HOST', 'POWERPLATFORM_API_URL', 'BAP_API_URL', 'GRAPH_API_URL']) {
      expect(() => loadConfig({ ...good, [variable]: 'http://127.0.0.1:8080' })).toThrow(new RegExp(`${variable}: must be an https:// URL`));
    }
    expect(() => loadConfig({ ...good, GRAPH_API_URL: 'graph.microsoft.com' })).toThrow(/GRAPH_API_URL: must be an https:\/\/ URL/);
  });

  it('asks for the tenant, the app registration and the licenses, each by name', () => {
    const error = (() => {
      try {
        loadConfig({ PLATFORM: 'powerplatform' });
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(error).toMatch(/POWERPLATFORM_TENANT_ID: set the Directory \(tenant\) ID/);
    expect(error).toMatch(/POWERPLATFORM_CLIENT_ID: set the Application \(client\) ID/);
    expect(error).toMatch(/POWERPLATFORM_LICENSES: set the Power Pages capacity bought, such as "production:10,trial:3"/);
    expect(() => loadConfig({ ...good, POWERPLATFORM_CLIENT_ID: 'my-app' })).toThrow(/POWERPLATFORM_CLIENT_ID: must be the Application \(client\) ID, a GUID \(got "my-app"\)/);
    expect(loadConfig({ ...good, POWERPLATFORM_TENANT_ID: 'contoso.onmicrosoft.com' }).powerPlatform?.tenantId).toBe('contoso.onmicrosoft.com');
    expect(() => loadConfig({ PLATFORM: 'azure' })).toThrow(/PLATFORM: must be "local" \(the embedded simulator\) or "powerplatform"/);
  });

  it('parses the licenses with a clear error', () => {
    expect(loadConfig({ ...good, POWERPLATFORM_LICENSES: ' Trial : 2 ' }).powerPlatform?.licenses).toEqual([{ type: 'TRIAL', quantity: 2 }]);
    expect(() => loadConfig({ ...good, POWERPLATFORM_LICENSES: 'production=10' })).toThrow(
      /POWERPLATFORM_LICENSES: "production=10" is not type:quantity; write it as "production:10,trial:3" \(types: production, trial\)/,
    );
    expect(() => loadConfig({ ...good, POWERPLATFORM_LICENSES: 'production:1,production:2' })).toThrow(/POWERPLATFORM_LICENSES: production is given twice/);
    expect(() => loadConfig({ ...good, POWERPLATFORM_LICENSES: 'enterprise:5' })).toThrow(/POWERPLATFORM_LICENSES: "enterprise:5" is not type:quantity/);
  });

  it('never repeats the client secret in an error', () => {
    expect(() => loadConfig({ ...good, POWERPLATFORM_CLIENT_SECRET: 'very-secret-value', GRAPH_API_URL: 'http://x' })).toThrow(/GRAPH_API_URL/);
    try {
      loadConfig({ ...good, POWERPLATFORM_CLIENT_SECRET: 'very-secret-value', POWERPLATFORM_TENANT_ID: 'not a tenant' });
    } catch (error) {
      expect((error as Error).message).not.toContain('very-secret-value');
    }
  });
});
