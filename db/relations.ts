import { defineRelations } from 'drizzle-orm';
import * as schema from './schema.ts';

export const relations = defineRelations(schema, (r) => ({
  portals: {
    addOns: r.many.portalAddOns({ from: r.portals.id, to: r.portalAddOns.portalId }),
    events: r.many.events({ from: r.portals.id, to: r.events.portalId }),
  },
  portalAddOns: {
    portal: r.one.portals({ from: r.portalAddOns.portalId, to: r.portals.id }),
  },
  events: {
    portal: r.one.portals({ from: r.events.portalId, to: r.portals.id }),
  },
}));
