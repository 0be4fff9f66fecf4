// The simulated tenant's state. It lives in the product's SQLite file so that it survives restarts,
// but only the local platform driver reads or writes these tables.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { LICENSE_TYPES } from '../../core/catalog.ts';

export const simUsers = sqliteTable('sim_users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  globalAdministrator: integer('global_administrator', { mode: 'boolean' }).notNull(),
});

export const simInstances = sqliteTable('sim_instances', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  baseLanguage: text('base_language').notNull(),
  languages: text('languages', { mode: 'json' }).$type<string[]>().notNull(),
  solutions: text('solutions', { mode: 'json' }).$type<string[]>().notNull(),
});

export const simRoles = sqliteTable(
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

export const simLicenses = sqliteTable('sim_licenses', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  type: text('type', { enum: LICENSE_TYPES }).notNull(),
  quantity: integer('quantity').notNull(),
});
