// Custom domains, host names and certificates: queries and the mutations that add, check and remove.

import { addCustomDomain, checkCustomDomain, removeCustomDomain, uploadCertificate } from '../../core/domains.ts';
import { Problems } from '../../core/errors.ts';
import { ADD_CNAME_MESSAGE, customDomainConfiguredMessage } from '../../core/messages.ts';
import { DOMAIN_STATUSES } from '../../vocabulary/statuses.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { idFrom, requireRowId, rowIdFrom } from '../ids.ts';
import { customDomainOf, DOMAIN_SELECT, hostnameOf } from '../loaders.ts';
import { MUTATION_ERRORS } from './errors.ts';
import { PortalRef } from './portal.ts';

const DomainStatusEnum = builder.enumType('CustomDomainStatus', { values: DOMAIN_STATUSES });

export const CertificateRef = builder.drizzleNode('certificates', {
  name: 'Certificate',
  description: 'An SSL certificate of the organization. Its private key is kept encrypted and never served.',
  id: { column: (c) => c.id },
  fields: (t) => ({
    name: t.exposeString('name'),
    subject: t.exposeString('subject'),
    commonName: t.exposeString('commonName', { nullable: true }),
    sans: t.exposeStringList('sans', { description: 'DNS names the certificate covers.' }),
    issuer: t.exposeString('issuer'),
    notBefore: t.expose('notBefore', { type: 'DateTime' }),
    notAfter: t.expose('notAfter', { type: 'DateTime' }),
    signatureAlgorithm: t.exposeString('signatureAlgorithm'),
    keyType: t.exposeString('keyType'),
    keyBits: t.exposeInt('keyBits'),
    thumbprint: t.exposeString('thumbprint', { description: 'SHA-256 of the certificate, in hex.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

// Registered for its schema type, which the `hostnames` query below names by table (`type: ['hostnames']`).
builder.drizzleNode('hostnames', {
  name: 'Hostname',
  description: 'A host name of the organization, reusable for another custom domain once free.',
  id: { column: (h) => h.id },
  fields: (t) => ({
    name: t.exposeString('name'),
    inUse: t.boolean({ select: { with: { domain: { columns: { id: true } } } }, resolve: (h) => Boolean(h.domain) }),
  }),
});

/** A value made from a domain's host name: at once when the row carries it, else once it is loaded. */
function fromHostname<T>(ctx: GraphQLContext, domain: { id: number; hostname?: { name: string } }, make: (name: string) => T): T | Promise<T> {
  const name = hostnameOf(ctx, domain);
  return typeof name === 'string' ? make(name) : name.then(make);
}

export const CustomDomainRef = builder.drizzleNode('customDomains', {
  name: 'CustomDomain',
  id: { column: (d) => d.id },
  // The whole row and its host name are read together (a portal reads them with itself), so every
  // field resolves straight from the row: a field with its own select would cost each row a check of
  // what was loaded, and a row from a portal's list a second read.
  select: DOMAIN_SELECT,
  fields: (t) => ({
    status: t.field({ type: DomainStatusEnum, resolve: (d) => d.status }),
    hostname: t.string({ resolve: (d, _args, ctx) => hostnameOf(ctx, d) }),
    url: t.string({ resolve: (d, _args, ctx) => fromHostname(ctx, d, (name) => `https://${name}`) }),
    cnameTarget: t.string({ description: 'The portal URL host the CNAME must point to.', resolve: (d) => d.cnameTarget }),
    cnameRecord: t.string({
      description: 'The record to create with the DNS provider.',
      resolve: (d, _args, ctx) => fromHostname(ctx, d, (name) => `${name}. CNAME ${d.cnameTarget}.`),
    }),
    message: t.string({
      nullable: true,
      description: 'What the admin center says about the domain now.',
      resolve: (d, _args, ctx) =>
        d.status === 'CONFIGURED'
          ? fromHostname(ctx, d, (name) => customDomainConfiguredMessage(`https://${name}`))
          : d.status === 'PENDING_CNAME' || d.status === 'GAVE_UP'
            ? ADD_CNAME_MESSAGE
            : null,
    }),
    checks: t.int({ resolve: (d) => d.checks }),
    lastCheckAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.lastCheckAt }),
    lastCheckState: t.string({ nullable: true, description: 'FOUND, NOT_YET or TRANSIENT.', resolve: (d) => d.lastCheckState }),
    lastCheckReason: t.string({ nullable: true, resolve: (d) => d.lastCheckReason }),
    pointsTo: t.string({ nullable: true, description: 'Where the host name points now, when not at the portal.', resolve: (d) => d.pointsTo }),
    nextCheckAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.nextCheckAt }),
    configuredAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.configuredAt }),
    lastError: t.string({ nullable: true, resolve: (d) => d.lastError }),
    certificate: t.relation('certificate'),
    portal: t.relation('portal'),
  }),
});

builder.drizzleObjectField('portals', 'customDomain', (t) => t.field({ type: CustomDomainRef, nullable: true, resolve: (p, _args, ctx) => customDomainOf(ctx, p) }));

builder.queryFields((t) => ({
  certificates: t.drizzleField({
    type: ['certificates'],
    resolve: (query, _root, _args, ctx) => ctx.db.query.certificates.findMany(query({ orderBy: { name: 'asc' } })),
  }),
  hostnames: t.drizzleField({
    type: ['hostnames'],
    resolve: (query, _root, _args, ctx) => ctx.db.query.hostnames.findMany(query({ orderBy: { name: 'asc' } })),
  }),
}));

const NewCertificateInput = builder.inputType('NewCertificateInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    pfxBase64: t.string({ required: true, description: 'The .pfx (PKCS#12) file, base64-encoded.' }),
    password: t.string({ required: true, description: 'Opens the .pfx; used once and never stored.' }),
  }),
});

const AddCustomDomainInput = builder.inputType('AddCustomDomainInput', {
  description: 'A new host name or an existing one; a new certificate or an existing one.',
  fields: (t) => ({
    portalId: t.id({ required: true }),
    hostname: t.string(),
    hostnameId: t.id(),
    certificateId: t.id(),
    certificate: t.field({ type: NewCertificateInput }),
  }),
});

const DomainIdInput = builder.inputType('CustomDomainIdInput', { fields: (t) => ({ domainId: t.id({ required: true }) }) });

const CertificatePayload = builder.objectRef<{ certificate: { id: string }; alreadyUploaded: boolean; notice?: string | undefined }>('CertificatePayload').implement({
  fields: (t) => ({
    certificate: t.field({ type: CertificateRef, resolve: (p) => p.certificate as never }),
    alreadyUploaded: t.exposeBoolean('alreadyUploaded', {
      description: 'The same certificate was uploaded before: nothing new was stored, and `certificate` is the stored one, under its first name.',
    }),
    notice: t.string({ nullable: true, description: 'What happened besides, to show the person: "This certificate is already uploaded as …".', resolve: (p) => p.notice ?? null }),
  }),
});
const CustomDomainPayload = builder.objectRef<{ customDomain: { id: number }; certificateAlreadyUploaded?: boolean; notice?: string | undefined }>('CustomDomainPayload').implement({
  fields: (t) => ({
    customDomain: t.field({ type: CustomDomainRef, resolve: (p) => p.customDomain as never }),
    certificateAlreadyUploaded: t.boolean({
      description: 'The certificate sent with the domain was uploaded before: the stored one, under its first name, is used.',
      resolve: (p) => p.certificateAlreadyUploaded ?? false,
    }),
    notice: t.string({ nullable: true, description: 'What happened besides, to show the person: "This certificate is already uploaded as …".', resolve: (p) => p.notice ?? null }),
  }),
});
const RemovedCustomDomainPayload = builder.objectRef<{ portalId: number; hostname: string }>('RemovedCustomDomainPayload').implement({
  fields: (t) => ({
    hostname: t.exposeString('hostname'),
    portal: t.field({ type: PortalRef, resolve: (p, _a, ctx) => ctx.db.query.portals.findFirst({ where: { id: p.portalId } }) as never }),
  }),
});

builder.mutationFields((t) => ({
  uploadCertificate: t.field({
    type: CertificatePayload,
    description: 'Uploads a .pfx to the organization after checking it; every problem is listed at once.',
    args: { input: t.arg({ type: NewCertificateInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: (_root, { input }, ctx) => uploadCertificate(ctx, ctx.actor, input),
  }),
  addCustomDomain: t.field({
    type: CustomDomainPayload,
    description: 'Adds the one custom domain of a provisioned portal. Then create the CNAME it names; it is checked until seen.',
    args: { input: t.arg({ type: AddCustomDomainInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const problems = new Problems();
      const portalId = rowIdFrom('Portal', input.portalId, 'portalId', problems);
      const hostnameId = input.hostnameId ? rowIdFrom('Hostname', input.hostnameId, 'hostnameId', problems) : undefined;
      const certificateId = input.certificateId ? idFrom('Certificate', input.certificateId, 'certificateId', problems) : undefined;
      problems.throwIfAny();
      const added = await addCustomDomain(ctx, ctx.actor, {
        portalId,
        hostname: input.hostname,
        hostnameId,
        certificateId,
        certificate: input.certificate,
      });
      return { customDomain: added.domain, certificateAlreadyUploaded: Boolean(added.certificateAlreadyUploaded), notice: added.notice };
    },
  }),
  checkCustomDomain: t.field({
    type: CustomDomainPayload,
    description: 'Checks the CNAME now (Check now); a domain that gave up starts checking again.',
    args: { input: t.arg({ type: DomainIdInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => ({ customDomain: await checkCustomDomain(ctx, ctx.actor, requireRowId('CustomDomain', input.domainId, 'domainId')) }),
  }),
  removeCustomDomain: t.field({
    type: RemovedCustomDomainPayload,
    args: { input: t.arg({ type: DomainIdInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const removed = await removeCustomDomain(ctx, ctx.actor, requireRowId('CustomDomain', input.domainId, 'domainId'));
      return { portalId: removed.domain.portalId, hostname: removed.hostname };
    },
  }),
}));
