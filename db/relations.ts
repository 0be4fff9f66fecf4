import { defineRelations } from 'drizzle-orm';
import * as schema from './schema.ts';
import * as pgSchema from './schema-pg.ts';

export const relations = defineRelations(schema, (r) => relate(r));

/** The same relations between the PostgreSQL twins of the tables. */
export const pgRelations = defineRelations(pgSchema, (r) => relate(r as never) as never);

function relate(r: Parameters<Parameters<typeof defineRelations<typeof schema, never>>[1]>[0]) {
  return {
    portals: {
      addOns: r.many.portalAddOns({ from: r.portals.id, to: r.portalAddOns.portalId }),
      customDomain: r.one.customDomains({ from: r.portals.id, to: r.customDomains.portalId }),
      events: r.many.events({ from: r.portals.id, to: r.events.portalId }),
    },
    portalAddOns: {
      portal: r.one.portals({ from: r.portalAddOns.portalId, to: r.portals.id }),
    },
    events: {
      portal: r.one.portals({ from: r.events.portalId, to: r.portals.id }),
    },
    hostnames: {
      domain: r.one.customDomains({ from: r.hostnames.id, to: r.customDomains.hostnameId }),
    },
    customDomains: {
      portal: r.one.portals({ from: r.customDomains.portalId, to: r.portals.id, optional: false }),
      hostname: r.one.hostnames({ from: r.customDomains.hostnameId, to: r.hostnames.id, optional: false }),
      certificate: r.one.certificates({ from: r.customDomains.certificateId, to: r.certificates.id, optional: false }),
    },
  };
}
