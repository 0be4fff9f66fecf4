// The reads the API serves beside the Pothos drizzle plugin's own (docs/architecture.md, "Layers"):
// a page of the portals list, its total, and the licenses portals hold. The API reaches the store
// through here, so that how the store answers them can change without the API knowing.
export {
  countHeldLicenses,
  countPortals,
  type DomainColumn,
  listPortalPage,
  type PortalColumn,
  type PortalFilter,
} from '../db/portal-store.ts';
