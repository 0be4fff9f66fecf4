// The PostgreSQL twin of db/schema.ts: the same tables, columns, indexes and constraints, in PostgreSQL's
// types (test/schema-twins.test.ts compares them). The stores build their queries on the tables of the
// database they were given (db/dialect.ts); the row types come from db/schema.ts.
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ADD_ONS, AUDIENCES, LICENSE_TYPES, PORTAL_TYPES } from '../vocabulary/catalog.ts';
import { DOMAIN_STATUSES, PACKAGE_STATUSES, PORTAL_STATUSES, RESOURCE_STATUSES } from '../vocabulary/statuses.ts';
import { epochMs } from './pg-columns.ts';

const createdAt = () => epochMs('created_at').notNull().default(sql`((extract(epoch from clock_timestamp()) * 1000)::bigint)`);

export const portals = pgTable(
  'portals',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    // Stored lower-case; the unique index below is on lower() so no case variant can slip in.
    subdomain: text('subdomain').notNull(),
    type: text('type', { enum: LICENSE_TYPES }).notNull(),
    licenseId: text('license_id').notNull(),
    instanceId: text('instance_id').notNull(),
    language: text('language').notNull(),
    administratorId: text('administrator_id').notNull(),
    audience: text('audience', { enum: AUDIENCES }).notNull(),
    portalType: text('portal_type', { enum: PORTAL_TYPES }).notNull(),
    status: text('status', { enum: PORTAL_STATUSES }).notNull(),
    resourceStatus: text('resource_status', { enum: RESOURCE_STATUSES }),
    packageStatus: text('package_status', { enum: PACKAGE_STATUSES }),
    requestedBy: text('requested_by').notNull(),
    // Slack channel that follows the portal (where it was requested); SLACK_CHANNEL when unset.
    notifyChannel: text('notify_channel'),
    termsVersion: text('terms_version'),
    termsAcceptedAt: epochMs('terms_accepted_at'),
    termsAcceptedBy: text('terms_accepted_by'),
    consentGrantedAt: epochMs('consent_granted_at'),
    // When the requester was reminded that the request expires unless the terms are answered.
    termsRemindedAt: epochMs('terms_reminded_at'),
    // Provisioning attempt: 1 for the first, one more for each restart. Platform calls are keyed by
    // it, so a retried call never starts a second operation for the same attempt.
    attempt: integer('attempt').notNull().default(0),
    resourcesOperationId: text('resources_operation_id'),
    packageOperationId: text('package_operation_id'),
    lastError: text('last_error'),
    provisionedAt: epochMs('provisioned_at'),
    // The poller's claim on the portal: which process works it, until when, and when to look again.
    leaseOwner: text('lease_owner'),
    leaseUntil: epochMs('lease_until'),
    nextPollAt: epochMs('next_poll_at'),
    pollFailures: integer('poll_failures').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [
    index('portals_poll_idx').on(t.status, t.nextPollAt),
    uniqueIndex('portals_subdomain_unique').on(sql`lower(${t.subdomain})`),
    index('portals_status_idx').on(t.status, t.id),
    index('portals_instance_idx').on(t.instanceId, t.id),
    index('portals_license_idx').on(t.licenseId, t.status),
    check('portals_subdomain_lower', sql`${t.subdomain} = lower(${t.subdomain})`),
  ],
);

export const portalAddOns = pgTable(
  'portal_add_ons',
  {
    portalId: integer('portal_id')
      .notNull()
      .references(() => portals.id, { onDelete: 'cascade' }),
    addOn: text('add_on', { enum: ADD_ONS }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.portalId, t.addOn] })],
);

// The audit trail and the outbox at once: a state change and its event are written together.
export const events = pgTable(
  'events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    portalId: integer('portal_id').references(() => portals.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    message: text('message').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    actor: text('actor').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('events_portal_idx').on(t.portalId, t.id)],
);

export const apiTokens = pgTable('api_tokens', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull(),
  // SHA-256 of the token; the token itself is shown once and never stored.
  tokenHash: text('token_hash').notNull().unique(),
  scopes: jsonb('scopes').$type<string[]>().notNull(),
  userId: text('user_id'),
  createdAt: createdAt(),
  lastUsedAt: epochMs('last_used_at'),
  revokedAt: epochMs('revoked_at'),
  // After this instant the token no longer authenticates; null for a token that does not expire.
  expiresAt: epochMs('expires_at'),
});

// Certificates uploaded to the organization. The private key is stored only encrypted
// (AES-256-GCM under SECRET_KEY, the certificate id as associated data); the password never.
export const certificates = pgTable('certificates', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  subject: text('subject').notNull(),
  commonName: text('common_name'),
  sans: jsonb('sans').$type<string[]>().notNull(),
  issuer: text('issuer').notNull(),
  notBefore: epochMs('not_before').notNull(),
  notAfter: epochMs('not_after').notNull(),
  signatureAlgorithm: text('signature_algorithm').notNull(),
  keyType: text('key_type').notNull(),
  keyBits: integer('key_bits').notNull(),
  thumbprint: text('thumbprint').notNull().unique(),
  certificatePem: text('certificate_pem').notNull(),
  privateKeyEncrypted: text('private_key_encrypted').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
});

/** Host names of the organization, kept for reuse after a custom domain is removed. */
export const hostnames = pgTable('hostnames', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

/** A portal's custom domain (one per portal; a host name serves one portal). */
export const customDomains = pgTable(
  'custom_domains',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    portalId: integer('portal_id')
      .notNull()
      .unique()
      .references(() => portals.id, { onDelete: 'cascade' }),
    hostnameId: integer('hostname_id')
      .notNull()
      .unique()
      .references(() => hostnames.id),
    certificateId: text('certificate_id')
      .notNull()
      .references(() => certificates.id),
    status: text('status', { enum: DOMAIN_STATUSES }).notNull(),
    cnameTarget: text('cname_target').notNull(),
    checks: integer('checks').notNull().default(0),
    lastCheckAt: epochMs('last_check_at'),
    lastCheckState: text('last_check_state'),
    lastCheckReason: text('last_check_reason'),
    pointsTo: text('points_to'),
    nextCheckAt: epochMs('next_check_at'),
    leaseOwner: text('lease_owner'),
    leaseUntil: epochMs('lease_until'),
    bindOperationId: text('bind_operation_id'),
    lastError: text('last_error'),
    configuredAt: epochMs('configured_at'),
    // Expiry reminders already sent, by days before expiry (30, 7, 1).
    remindersSent: jsonb('reminders_sent').$type<number[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [index('custom_domains_due_idx').on(t.status, t.nextCheckAt)],
);

// Slack delivery bookkeeping: the one status message of each portal, and what became of each event.
export const slackPosts = pgTable(
  'slack_posts',
  {
    portalId: integer('portal_id')
      .primaryKey()
      .references(() => portals.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    statusTs: text('status_ts').notNull(),
    // When the status message must have been edited to show what was delivered last (null: it shows it).
    // Set when an event is delivered, for the process delivering it to edit the message within a lease;
    // once it has passed (that process died, or the edit failed), any replica's sweep edits it.
    editDueAt: epochMs('edit_due_at'),
  },
  (t) => [index('slack_posts_edit_due_idx').on(t.editDueAt)],
);

export const slackDeliveries = pgTable(
  'slack_deliveries',
  {
    eventId: integer('event_id')
      .primaryKey()
      .references(() => events.id, { onDelete: 'cascade' }),
    portalId: integer('portal_id'),
    // PENDING: to do or retry; SENDING: a post may have left (check before posting again); DONE.
    state: text('state', { enum: ['PENDING', 'SENDING', 'DONE', 'SKIPPED'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: epochMs('next_attempt_at'),
    leaseOwner: text('lease_owner'),
    leaseUntil: epochMs('lease_until'),
    lastError: text('last_error'),
    deliveredAt: epochMs('delivered_at'),
  },
  (t) => [index('slack_deliveries_state_idx').on(t.state, t.nextAttemptAt)],
);

// One row rewritten by the readiness check: a full disk or a read-only file still answers reads, and
// only a committed write says whether the service can take one.
export const readinessProbe = pgTable('readiness_probe', {
  id: integer('id').primaryKey(),
  checkedAt: epochMs('checked_at').notNull(),
});

// Which SECRET_KEY this database was first used with, as a keyed digest (never the key): every replica
// and script must seal and open secrets with the same key, so one with another key is refused at start.
export const secretKeyCheck = pgTable('secret_key_check', {
  id: integer('id').primaryKey(),
  fingerprint: text('fingerprint').notNull(),
  createdAt: createdAt(),
});

export type PortalRow = typeof portals.$inferSelect;
export type CertificateRow = typeof certificates.$inferSelect;
export type HostnameRow = typeof hostnames.$inferSelect;
export type CustomDomainRow = typeof customDomains.$inferSelect;
export type NewPortalRow = typeof portals.$inferInsert;
export type EventRow = typeof events.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
