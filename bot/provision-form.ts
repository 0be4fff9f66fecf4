// What the provision modal is built from: the caller's own view of the tenant, read on every open,
// and the portal catalog, which is the product's own data and changes only with a release, so it is
// read once and kept for a while (in GRAPHQL_URL mode the API may be upgraded under a running bot).
import type { BotApi, Caller } from './api.ts';
import type { PortalCatalogQuery, ProvisionFormQuery } from './gql/graphql.ts';
import { PortalCatalogQuery as CatalogDocument, ProvisionFormQuery as FormDocument } from './operations.ts';

export type ProvisionForm = ProvisionFormQuery & PortalCatalogQuery;

const CATALOG_TTL_MS = 10 * 60_000;

export function provisionFormLoader(api: BotApi, ttlMs = CATALOG_TTL_MS): (caller: Caller) => Promise<ProvisionForm> {
  let catalog: { until: number; value: Promise<PortalCatalogQuery> } | undefined;
  return async (caller) => {
    if (!catalog || catalog.until < Date.now()) {
      const value = api.run(caller, CatalogDocument);
      const entry = { until: Date.now() + ttlMs, value };
      catalog = entry;
      // A failed read is not kept: the next open tries again.
      value.catch(() => {
        if (catalog === entry) catalog = undefined;
      });
    }
    const [form, found] = await Promise.all([api.run(caller, FormDocument), catalog.value]);
    return { ...form, ...found };
  };
}
