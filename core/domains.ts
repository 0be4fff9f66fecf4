// Custom domains and SSL certificates (docs/architecture.md, "The rules"): a provisioned portal may have one custom
// domain; its certificate is checked before anything is bound; the host name needs a CNAME to the
// portal URL, which is checked on a schedule until it is seen, then the SSL binding is made.
import { randomUUID } from 'node:crypto';
import { changeDomain, deleteDomain, findCertificate, findCertificateByThumbprint, findDomain, findHostname, insertCertificate, insertDomain } from '../db/domain-store.ts';
import type { NewEvent } from '../db/outbox.ts';
import { findPortal } from '../db/portal-store.ts';
import type { CertificateRow, CustomDomainRow, PortalRow } from '../db/schema.ts';
import type { BindingCertificate, PortalSpec } from '../platform/platform.ts';
import { type Actor, actorLabel } from './actor.ts';
import { type CertificateFacts, coversHostname, inspectPfx, MAX_PFX_BYTES } from './certificates.ts';
import { clockOf } from './clock.ts';
import { type CnameCheck, type CnameCheckOptions, checkCname } from './dns-check.ts';
import { type CheckSchedule, nextCheckDelay } from './dns-schedule.ts';
import { ConflictError, NotFoundError, Problems } from './errors.ts';
import { checkHostname } from './hostnames.ts';
import { ADD_CNAME_MESSAGE } from './messages.ts';
import { checkNameText } from './names.ts';
import { portalSpec } from './platform-spec.ts';
import { requirePortalManager } from './portals.ts';
import type { LifecycleDeps } from './provisioning.ts';
import { encryptSecret } from './secrets.ts';
import { portalHost } from './urls.ts';

export interface DomainDeps extends LifecycleDeps {
  secretKey: Buffer;
  portalDomain: string;
  dns: CnameCheckOptions;
  /** Checks a domain's CNAME on this schedule; tests shrink it. */
  schedule?: CheckSchedule;
  /** Tells the DNS poller there is work (a new domain, a CNAME just seen). */
  wakeDns?: (() => void) | undefined;
}

export interface NewCertificate {
  name: string;
  pfxBase64: string;
  password: string;
}

/** The uploaded .pfx as bytes, or undefined (with the problem added) when too large or not base64. */
function pfxBytesFromBase64(input: NewCertificate, problems: Problems): Buffer | undefined {
  const base64 = input.pfxBase64.replace(/\s+/g, '');
  if (base64.length > Math.ceil((MAX_PFX_BYTES * 4) / 3) + 4) {
    problems.add('certificate', `The .pfx file is larger than ${Math.round(MAX_PFX_BYTES / 1024)} KB; a certificate with its chain is much smaller.`);
    return undefined;
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length === 0) {
    problems.add('certificate', 'The .pfx file must be sent in base64.');
    return undefined;
  }
  return Buffer.from(base64, 'base64');
}

/** Inspects an upload and lists its problems, or returns what to store: the key is encrypted, the password dropped. */
function prepareCertificate(deps: DomainDeps, actor: Actor, input: NewCertificate, hostname: string | undefined, problems: Problems) {
  // A certificate's name is shown in Slack and the logs like a portal's, so it follows the same rule.
  const checked = checkNameText(input.name, 'certificate name', 100);
  const name = checked.value;
  if (name.length === 0) problems.add('certificateName', 'Give the certificate a name of 1 to 100 characters.');
  for (const problem of checked.problems) problems.add('certificateName', problem);
  const pfx = pfxBytesFromBase64(input, problems);
  if (!pfx) return undefined;
  const inspection = inspectPfx(pfx, input.password, { now: clockOf(deps)(), ...(hostname ? { hostname } : {}) });
  if (!inspection.ok) {
    for (const problem of inspection.problems) problems.add('certificate', problem);
    return undefined;
  }
  const id = randomUUID();
  return { id, facts: inspection.facts, row: certificateRow(deps, actor, id, name, inspection.facts, inspection.certificatePem, inspection.privateKeyPem) };
}

function certificateRow(deps: DomainDeps, actor: Actor, id: string, name: string, facts: CertificateFacts, certificatePem: string, privateKeyPem: string) {
  return {
    id,
    name,
    subject: facts.subject,
    commonName: facts.commonName,
    sans: facts.sans,
    issuer: facts.issuer,
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
    signatureAlgorithm: facts.signatureAlgorithm,
    keyType: facts.keyType,
    keyBits: facts.keyBits,
    thumbprint: facts.thumbprintSha256,
    certificatePem,
    privateKeyEncrypted: encryptSecret(deps.secretKey, privateKeyPem, id),
    createdBy: actorLabel(actor),
  };
}

/**
 * What an upload of a certificate that is stored already comes to: the stored one, under the name it
 * was first given (one certificate, one name, one encrypted key), and a word saying so, since the
 * name just typed is not the one kept.
 */
export function alreadyUploadedNotice(certificate: Pick<CertificateRow, 'name'>): string {
  return `This certificate is already uploaded as ${certificate.name}; that one is used.`;
}

export interface UploadedCertificate {
  certificate: CertificateRow;
  /** The same certificate (by thumbprint) was stored before: nothing new was stored. */
  alreadyUploaded: boolean;
  notice?: string;
}

/** Uploads a certificate to the organization, for any portal to use. */
export async function uploadCertificate(deps: DomainDeps, actor: Actor, input: NewCertificate): Promise<UploadedCertificate> {
  requirePortalManager(actor);
  const problems = new Problems();
  const prepared = prepareCertificate(deps, actor, input, undefined, problems);
  problems.throwIfAny();
  if (!prepared) throw new Error('unreachable: a certificate without problems was not prepared');
  const existing = await findCertificateByThumbprint(deps.db, prepared.facts.thumbprintSha256);
  if (existing) return { certificate: existing, alreadyUploaded: true, notice: alreadyUploadedNotice(existing) };
  const certificate = await insertCertificate(deps.db, prepared.row, {
    type: 'CERTIFICATE_UPLOADED',
    message: `The certificate ${prepared.row.name} (${prepared.facts.subject}, valid until ${prepared.facts.notAfter.toISOString().slice(0, 10)}) was uploaded.`,
    actor: actorLabel(actor),
    data: { certificateId: prepared.id, thumbprint: prepared.facts.thumbprintSha256 },
  });
  return { certificate, alreadyUploaded: false };
}

export interface CustomDomainInput {
  portalId: number;
  hostname?: string | null;
  hostnameId?: number | null;
  certificateId?: string | null;
  certificate?: NewCertificate | null;
}

/** Problems of an existing certificate for this host name, today. */
function existingCertificateProblems(certificate: CertificateRow, hostname: string, at: Date): string[] {
  const problems: string[] = [];
  if (at < certificate.notBefore) problems.push(`The certificate ${certificate.name} is not valid before ${certificate.notBefore.toISOString().slice(0, 10)}.`);
  if (at > certificate.notAfter) problems.push(`The certificate ${certificate.name} expired on ${certificate.notAfter.toISOString().slice(0, 10)}.`);
  if (!coversHostname(certificate, hostname))
    problems.push(`The certificate ${certificate.name} does not cover ${hostname}; it covers ${certificate.sans.join(', ') || certificate.commonName || 'no host name'}.`);
  return problems;
}

export interface AddedDomain {
  domain: CustomDomainRow;
  /** The certificate sent with the domain was stored already, under this name, and that one is used. */
  certificateAlreadyUploaded?: CertificateRow;
  notice?: string;
}

/** Adds the custom domain of a provisioned portal; the CNAME is checked from now on. */
export async function addCustomDomain(deps: DomainDeps, actor: Actor, input: CustomDomainInput): Promise<AddedDomain> {
  requirePortalManager(actor);
  const portal = await portalWithoutDomain(deps, input.portalId);
  const problems = new Problems();
  const hostname = await chooseHostname(deps, input, problems);
  const certificate = await chooseCertificate(deps, actor, input, hostname, problems);
  problems.throwIfAny();
  const domain = await storeDomain(deps, actor, portal, hostname as string, certificate);
  deps.wakeDns?.();
  const { alreadyUploaded } = certificate;
  return alreadyUploaded ? { domain, certificateAlreadyUploaded: alreadyUploaded, notice: alreadyUploadedNotice(alreadyUploaded) } : { domain };
}

/** The portal, when it is provisioned and has no custom domain yet. */
async function portalWithoutDomain(deps: DomainDeps, portalId: number): Promise<PortalRow> {
  const portal = await findPortal(deps.db, portalId);
  if (!portal) throw new NotFoundError('No portal has this id.');
  if (portal.status !== 'PROVISIONED')
    throw new ConflictError(`Only a provisioned portal can have a custom domain; ${portal.name} is ${portal.status.toLowerCase().replace('_', ' ')}.`, 'PORTAL_NOT_PROVISIONED');
  const current = await findDomain(deps.db, { portalId: portal.id });
  if (current) {
    const host = await findHostname(deps.db, { id: current.hostnameId });
    throw new ConflictError(`Only one custom domain name can be added to a portal; ${portal.name} has ${host?.name}. Remove it first.`, 'CUSTOM_DOMAIN_EXISTS');
  }
  return portal;
}

/** The host name given (new, or an existing one by id), when it is valid and no other portal's domain. */
async function chooseHostname(deps: DomainDeps, input: CustomDomainInput, problems: Problems): Promise<string | undefined> {
  let hostname: string | undefined;
  if (Boolean(input.hostname) === Boolean(input.hostnameId)) problems.add('hostname', 'Give either a new host name or an existing one, not both.');
  else if (input.hostnameId) {
    const existing = await findHostname(deps.db, { id: input.hostnameId });
    // A name kept from before today's rules (an IP address, an apex) is refused as a new one would be.
    const checked = existing ? checkHostname(existing.name, deps.portalDomain) : undefined;
    if (!existing) problems.add('hostnameId', 'This host name does not exist.', 'UNKNOWN_REFERENCE');
    else if (checked?.problem) problems.add('hostnameId', checked.problem);
    else hostname = existing.name;
  } else {
    const checked = checkHostname(input.hostname ?? '', deps.portalDomain);
    if (checked.problem) problems.add('hostname', checked.problem);
    else hostname = checked.value;
  }
  if (hostname) {
    const known = await findHostname(deps.db, { name: hostname });
    const user = known ? await findDomain(deps.db, { hostnameId: known.id }) : undefined;
    if (user) problems.add('hostname', `${hostname} is already the custom domain of another portal.`, 'HOSTNAME_TAKEN');
  }
  return hostname;
}

/** The certificate a new domain uses: an existing one, a new upload, or the stored twin of that upload. */
interface ChosenCertificate {
  certificateId?: string | undefined;
  alreadyUploaded?: CertificateRow;
  newCertificate?: NonNullable<ReturnType<typeof prepareCertificate>>;
}

async function chooseCertificate(deps: DomainDeps, actor: Actor, input: CustomDomainInput, hostname: string | undefined, problems: Problems): Promise<ChosenCertificate> {
  if (Boolean(input.certificateId) === Boolean(input.certificate)) {
    problems.add('certificate', 'Upload a new certificate or choose an existing one, not both.');
    return {};
  }
  if (input.certificateId) {
    const existing = await findCertificate(deps.db, input.certificateId);
    if (!existing) problems.add('certificateId', 'This certificate does not exist.', 'UNKNOWN_REFERENCE');
    else if (hostname) for (const problem of existingCertificateProblems(existing, hostname, clockOf(deps)())) problems.add('certificateId', problem);
    return { certificateId: existing?.id };
  }
  const newCertificate = prepareCertificate(deps, actor, input.certificate as NewCertificate, hostname, problems);
  if (!newCertificate) return {};
  const same = await findCertificateByThumbprint(deps.db, newCertificate.facts.thumbprintSha256);
  return same ? { certificateId: same.id, alreadyUploaded: same } : { newCertificate };
}

/** Writes the domain (and its new certificate) with its event; a racing request that won is a conflict. */
async function storeDomain(deps: DomainDeps, actor: Actor, portal: PortalRow, hostname: string, chosen: ChosenCertificate): Promise<CustomDomainRow> {
  const at = clockOf(deps)();
  const target = portalHost(portal.subdomain, deps.portalDomain);
  const { certificateId, alreadyUploaded, newCertificate } = chosen;
  const result = await insertDomain(deps.db, {
    hostname,
    ...(newCertificate ? { certificate: newCertificate.row } : {}),
    domain: { portalId: portal.id, ...(certificateId ? { certificateId } : {}), status: 'PENDING_CNAME', cnameTarget: target, nextCheckAt: at, createdAt: at, updatedAt: at },
    events: [
      {
        type: 'DOMAIN_ADDED',
        message: `${ADD_CNAME_MESSAGE}${alreadyUploaded ? ` ${alreadyUploadedNotice(alreadyUploaded)}` : ''} Create this record with your DNS provider: ${hostname} CNAME ${target}`,
        actor: actorLabel(actor),
        data: { hostname, cnameTarget: target },
      },
    ],
  });
  if (result.ok) return result.domain;
  throw new ConflictError(
    result.reason === 'PORTAL_HAS_DOMAIN' ? 'Only one custom domain name can be added to a portal, and this one has one now.' : `${hostname} is already the custom domain of another portal.`,
    result.reason === 'PORTAL_HAS_DOMAIN' ? 'CUSTOM_DOMAIN_EXISTS' : 'HOSTNAME_TAKEN',
  );
}

const SYSTEM = 'system:dns';

/**
 * Records the outcome of one CNAME check. Found: the domain moves on to its SSL binding. Not yet or a
 * transient error: the next check is scheduled by the domain's age, and after the last step the
 * check gives up with an alert. Written only while `expected` (the lease) still holds.
 */
export async function recordCheck(
  deps: DomainDeps,
  domain: CustomDomainRow,
  result: CnameCheck,
  expected: { leaseOwner: string | null },
  actor = SYSTEM,
): Promise<CustomDomainRow | undefined> {
  const at = clockOf(deps)();
  const base = { checks: domain.checks + 1, lastCheckAt: at, lastCheckState: result.state, updatedAt: at, leaseOwner: null, leaseUntil: null };
  const host = (await findHostname(deps.db, { id: domain.hostnameId }))?.name ?? 'the host name';
  if (result.state === 'FOUND') {
    return changeDomain(deps.db, domain.id, { status: domain.status, ...expected }, { ...base, status: 'BINDING', lastCheckReason: null, pointsTo: domain.cnameTarget, nextCheckAt: at }, [
      {
        type: 'DOMAIN_CNAME_FOUND',
        message: `The CNAME of ${host} points to ${domain.cnameTarget}. Creating the SSL binding.`,
        actor,
        data: { hostname: host, chain: result.chain },
      },
    ]);
  }
  const reason = result.reason;
  // A transient failure further down the chain still tells where the host name points now.
  const pointsTo = result.state === 'NOT_YET' ? (result.pointsTo ?? null) : (result.pointsTo ?? domain.pointsTo);
  const delay = nextCheckDelay(at.getTime() - domain.createdAt.getTime(), deps.schedule);
  if (delay === undefined) {
    return changeDomain(deps.db, domain.id, { status: domain.status, ...expected }, { ...base, status: 'GAVE_UP', lastCheckReason: reason, pointsTo, nextCheckAt: null }, [
      {
        type: 'DOMAIN_GAVE_UP',
        message: `Checking has stopped after ${domain.checks + 1} checks without seeing the CNAME to ${domain.cnameTarget}. Last check: ${reason}. ${ADD_CNAME_MESSAGE} Then press Check now.`,
        actor,
        data: { hostname: host, reason, alert: true, domainId: domain.id },
      },
    ]);
  }
  // A new finding (another target, a new reason) is worth an event; the same "not yet" again is not.
  const changed = result.state === 'NOT_YET' && (reason !== domain.lastCheckReason || pointsTo !== domain.pointsTo);
  const events: NewEvent[] = changed ? [{ type: 'DOMAIN_CHECKED', message: `${ADD_CNAME_MESSAGE} ${reason}.`, actor, data: { hostname: host, reason, pointsTo } }] : [];
  return changeDomain(deps.db, domain.id, { status: domain.status, ...expected }, { ...base, lastCheckReason: reason, pointsTo, nextCheckAt: new Date(at.getTime() + delay) }, events);
}

/** Checks the CNAME now (the Check now button); a domain that gave up starts its schedule again. */
export async function checkCustomDomain(deps: DomainDeps, actor: Actor, domainId: number): Promise<CustomDomainRow> {
  requirePortalManager(actor);
  let domain = await findDomain(deps.db, { id: domainId });
  if (!domain) throw new NotFoundError('No custom domain has this id.');
  if (domain.status === 'CONFIGURED' || domain.status === 'BINDING') return domain;
  if (domain.status === 'GAVE_UP' || domain.status === 'BIND_FAILED') {
    const at = clockOf(deps)();
    domain =
      (await changeDomain(deps.db, domain.id, { status: domain.status }, { status: 'PENDING_CNAME', createdAt: at, bindOperationId: null, lastError: null, nextCheckAt: at, updatedAt: at }, [
        { type: 'DOMAIN_CHECK_RESTARTED', message: 'Checking the CNAME again.', actor: actorLabel(actor) },
      ])) ?? domain;
  }
  const host = (await findHostname(deps.db, { id: domain.hostnameId }))?.name ?? '';
  const result = await checkCname(host, domain.cnameTarget, deps.dns);
  // The DNS poller may write the domain meanwhile, with a check it began before this one (it claimed
  // the domain after it was read here, or let it go): this answer is the newer, so it is recorded over
  // the domain as it is now, unless the domain has moved on.
  for (let attempt = 0; attempt < 3; attempt++) {
    const updated = await recordCheck(deps, domain, result, { leaseOwner: domain.leaseOwner }, actorLabel(actor));
    if (updated) {
      if (updated.status === 'BINDING') deps.wakeDns?.();
      return updated;
    }
    const now = await findDomain(deps.db, { id: domainId });
    if (now?.status !== 'PENDING_CNAME') return now ?? domain;
    domain = now;
  }
  return domain;
}

export async function removeCustomDomain(deps: DomainDeps, actor: Actor, domainId: number): Promise<{ domain: CustomDomainRow; hostname: string }> {
  requirePortalManager(actor);
  const domain = await findDomain(deps.db, { id: domainId });
  if (!domain) throw new NotFoundError('No custom domain has this id.');
  const host = (await findHostname(deps.db, { id: domain.hostnameId }))?.name ?? '';
  // A domain whose certificate is (or is being) bound on the platform is unbound first, so the
  // platform does not go on serving a host name and certificate no portal here claims.
  let unbindOperationId: string | undefined;
  if (domain.bindOperationId || domain.status === 'BINDING' || domain.status === 'CONFIGURED') {
    try {
      unbindOperationId = (await unbindSsl(deps, domain, host)).id;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConflictError(
        `The portal platform could not be asked to remove the SSL binding of ${host} (${reason}). The custom domain is kept; try again in a few minutes.`,
        'PLATFORM_REFUSED',
      );
    }
  }
  const removed = await deleteDomain(deps.db, domain.id, {
    type: 'DOMAIN_REMOVED',
    message: unbindOperationId
      ? `The custom domain ${host} was removed and its SSL binding is being taken off the portal; the portal answers at its portal URL. The host name stays available for reuse.`
      : `The custom domain ${host} was removed; the portal answers at its portal URL. The host name stays available for reuse.`,
    actor: actorLabel(actor),
    data: { hostname: host, ...(unbindOperationId ? { unbindOperationId } : {}) },
  });
  if (!removed) throw new NotFoundError('No custom domain has this id.');
  return { domain: removed, hostname: host };
}

/** What the platform needs to bind (with the certificate) or unbind `hostname` on the portal. */
export function sslSpec(portal: PortalRow, hostname: string, certificateThumbprint?: string, certificate?: BindingCertificate): PortalSpec {
  return {
    ...portalSpec(portal),
    hostname,
    ...(certificateThumbprint ? { certificateThumbprint } : {}),
    ...(certificate ? { certificate } : {}),
  };
}

/** The idempotency key of a domain's SSL step: one operation per domain (as created) and step. */
export function sslOperationKey(domain: CustomDomainRow, step: string): string {
  return `domain:${domain.id}:${domain.createdAt.getTime()}:${step}`;
}

/** Asks the platform to take the SSL binding of `host` off the domain's portal (idempotent per key). */
export async function unbindSsl(deps: Pick<DomainDeps, 'db' | 'platform'>, domain: CustomDomainRow, host: string, attempt = 'remove'): Promise<{ id: string }> {
  const portal = await findPortal(deps.db, domain.portalId);
  if (!portal) throw new Error('the portal no longer exists');
  return deps.platform.startOperation('UNBIND_SSL', sslOperationKey(domain, `UNBIND_SSL:${attempt}`), sslSpec(portal, host));
}
