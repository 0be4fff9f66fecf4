import { describe, expect, it } from 'vitest';
import type { BotApi } from './api.ts';
import { PortalCatalogQuery, ProvisionFormQuery } from './operations.ts';
import { provisionFormLoader } from './provision-form.ts';

const catalog = { portalCatalog: { audiences: [] } };
const form = { viewer: { isGlobalAdministrator: true, user: { email: 'ada@contoso.com' } }, instances: [] };

function countingApi(failCatalogTimes = 0) {
  const reads = { catalog: 0, form: 0 };
  const api: BotApi = {
    async run(_caller, document) {
      if ((document as unknown) === PortalCatalogQuery) {
        reads.catalog += 1;
        if (reads.catalog <= failCatalogTimes) throw new Error('the API is down');
        return catalog as never;
      }
      if ((document as unknown) === ProvisionFormQuery) {
        reads.form += 1;
        return form as never;
      }
      throw new Error('unexpected document');
    },
  };
  return { api, reads };
}

describe('the provision form', () => {
  it('reads the caller’s view every time and the catalog once while it is fresh', async () => {
    const { api, reads } = countingApi();
    const load = provisionFormLoader(api, 60_000);
    const caller = { slackUserId: 'U0ADA' };
    const forms = await Promise.all([load(caller), load(caller), load(caller)]);
    expect(forms[0]).toEqual({ ...form, ...catalog });
    expect(reads).toEqual({ catalog: 1, form: 3 });
  });

  it('reads the catalog again once it is stale, and does not keep a failed read', async () => {
    const { api, reads } = countingApi(1);
    const load = provisionFormLoader(api, 0);
    const caller = { slackUserId: 'U0ADA' };
    await expect(load(caller)).rejects.toThrow('the API is down');
    await load(caller);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await load(caller);
    expect(reads.catalog).toBe(3);
  });
});
