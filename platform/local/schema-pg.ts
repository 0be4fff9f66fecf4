// The PostgreSQL twin of platform/local/schema.ts: the simulated tenant in the product's PostgreSQL database.
import { boolean, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { epochMs } from '../../db/pg-columns.ts';
import { LICENSE_TYPES } from '../../vocabulary/catalog.ts';

export const simUsers = pgTable('sim_users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  globalAdministrator: boolean('global_administrator').notNull(),
});

export const simInstances = pgTable('sim_instances', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  baseLanguage: text('base_language').notNull(),
  languages: jsonb('languages').$type<string[]>().notNull(),
  solutions: jsonb('solutions').$type<string[]>().notNull(),
});

export const simRoles = pgTable(
  'sim_roles',
  {
    instanceId: text('instance_id')
      .notNull()
      .references(() => simInstances.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => simUsers.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['SYSTEM_ADMINISTRATOR', 'SYSTEM_CUSTOMIZER'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.instanceId, t.userId, t.role] })],
);

export const simLicenses = pgTable('sim_licenses', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  type: text('type', { enum: LICENSE_TYPES }).notNull(),
  quantity: integer('quantity').notNull(),
});

/** Portal URLs that exist on the platform: taken by another tenant (from the seed) or created here. */
export const simSites = pgTable('sim_sites', {
  subdomain: text('subdomain').primaryKey(),
  instanceId: text('instance_id'),
  operationId: text('operation_id'),
});

/** SSL bindings of custom host names to portals, made by BIND_SSL and removed by UNBIND_SSL. */
export const simBindings = pgTable('sim_bindings', {
  hostname: text('hostname').primaryKey(),
  subdomain: text('subdomain').notNull(),
  certificateThumbprint: text('certificate_thumbprint').notNull(),
  operationId: text('operation_id').notNull(),
});

/** Long-running platform operations. The outcome is decided at start; the clock reveals it. */
export const simOperations = pgTable('sim_operations', {
  id: text('id').primaryKey(),
  // The caller's idempotency key: the same key gives back the same operation.
  key: text('key').notNull().unique(),
  kind: text('kind', { enum: ['CREATE_RESOURCES', 'INSTALL_PACKAGE', 'BIND_SSL', 'UNBIND_SSL'] }).notNull(),
  subdomain: text('subdomain').notNull(),
  instanceId: text('instance_id').notNull(),
  spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
  startedAt: epochMs('started_at').notNull(),
  durationMs: integer('duration_ms').notNull(),
  outcome: text('outcome', { enum: ['SUCCEEDED', 'FAILED'] }).notNull(),
  error: text('error'),
  // Whether the success's effects (solutions installed) were applied to the tenant yet.
  applied: boolean('applied').notNull().default(false),
});

/** Faults injected from the seed file, so tests and demos can walk every path. */
export const simFaults = pgTable('sim_faults', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  subdomain: text('subdomain').notNull(),
  operation: text('operation', { enum: ['CREATE_RESOURCES', 'INSTALL_PACKAGE', 'STATUS'] }).notNull(),
  // ONCE: the first operation fails; ALWAYS: every one does; UNAVAILABLE: status calls error `times` times.
  mode: text('mode', { enum: ['ONCE', 'ALWAYS', 'UNAVAILABLE'] }).notNull(),
  times: integer('times').notNull().default(1),
  used: integer('used').notNull().default(0),
  error: text('error'),
});
