// The reads the API serves beside the Pothos drizzle plugin's own (docs/architecture.md, "Layers"):
// a page of the portals list, its total, the licenses portals hold, and what the list's loaders batch. The API reaches the store
// through here, so that how the store answers them can change without the API knowing.

export { listDomainsOf, listHostnamesOf } from '../db/domain-store.ts';
export {
  countHeldLicenses,
  countPortals,
  type DomainColumn,
  listAddOnsOf,
  listPortalPage,
  type PortalColumn,
  type PortalFilter,
} from '../db/portal-store.ts';
