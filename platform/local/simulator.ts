// The embedded platform: a simulated tenant kept in SQLite, seeded once from a JSON file.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { ADD_ON_DEFINITIONS, type AddOn, PORTAL_TYPE_NAMES, type PortalType, SOLUTIONS } from '../../core/catalog.ts';
import { findLanguage } from '../../core/languages.ts';
import { type Db, writeTransaction } from '../../db/client.ts';
import {
  type DirectoryUser,
  type Instance,
  type License,
  type OperationKind,
  type OperationState,
  type Platform,
  PlatformUnavailableError,
  type PortalSpec,
  type RoleAssignment,
} from '../platform.ts';
import { readTenantSeed } from './seed.ts';
import { simFaults, simInstances, simLicenses, simOperations, simRoles, simSites, simUsers } from './schema.ts';

/** How long the simulated operations take. `demo` makes a portal in about a minute. */
export const SPEEDS = {
  demo: { CREATE_RESOURCES: 20_000, INSTALL_PACKAGE: 35_000, BIND_SSL: 5_000 },
  fast: { CREATE_RESOURCES: 150, INSTALL_PACKAGE: 250, BIND_SSL: 100 },
} as const;
export type Speed = keyof typeof SPEEDS;

type Outcome = { outcome: 'SUCCEEDED'; error: null } | { outcome: 'FAILED'; error: string };

export class LocalPlatform implements Platform {
  constructor(
    private readonly db: Db,
    private readonly speed: Speed = 'demo',
  ) {}

  /** Loads the tenant from the seed file when the database holds none yet; a later start keeps its state. */
  static open(db: Db, seedPath: string, speed: Speed = 'demo'): LocalPlatform {
    const seeded = db.select({ n: sql<number>`count(*)` }).from(simUsers).get();
    if (!seeded || seeded.n === 0) {
      const seed = readTenantSeed(seedPath);
      writeTransaction(db, (tx) => {
        // Another process may have seeded between the count and the lock.
        if ((tx.select({ n: sql<number>`count(*)` }).from(simUsers).get()?.n ?? 0) > 0) return;
        tx.insert(simUsers).values(seed.users).run();
        tx.insert(simInstances).values(seed.instances).run();
        if (seed.roles.length > 0) tx.insert(simRoles).values(seed.roles).run();
        if (seed.licenses.length > 0) tx.insert(simLicenses).values(seed.licenses).run();
        for (const subdomain of seed.takenSubdomains) tx.insert(simSites).values({ subdomain: subdomain.toLowerCase() }).run();
        for (const fault of seed.faults) tx.insert(simFaults).values({ ...fault, subdomain: fault.subdomain.toLowerCase() }).run();
      });
    }
    return new LocalPlatform(db, speed);
  }

  async startOperation(kind: OperationKind, key: string, spec: PortalSpec): Promise<{ id: string }> {
    this.failIfUnavailable([spec.subdomain]);
    return writeTransaction(this.db, (tx) => {
      const existing = tx.select({ id: simOperations.id }).from(simOperations).where(eq(simOperations.key, key)).get();
      if (existing) return existing;
      const id = `op-${randomUUID()}`;
      const decided =
        kind === 'CREATE_RESOURCES'
          ? this.decideResources(tx, spec, key, id)
          : kind === 'INSTALL_PACKAGE'
            ? this.decidePackage(tx, spec)
            : this.decideBinding(tx, spec);
      tx.insert(simOperations)
        .values({
          id,
          key,
          kind,
          subdomain: spec.subdomain,
          instanceId: spec.instanceId,
          spec: { ...spec },
          startedAt: new Date(),
          durationMs: SPEEDS[this.speed][kind],
          ...decided,
        })
        .run();
      return { id };
    });
  }

  async getOperations(ids: readonly string[]): Promise<OperationState[]> {
    if (ids.length === 0) return [];
    const rows = this.db.select().from(simOperations).where(inArray(simOperations.id, [...ids])).all();
    this.failIfUnavailable(rows.map((r) => r.subdomain));
    const now = Date.now();
    return rows.map((op) => {
      if (now < op.startedAt.getTime() + op.durationMs) return { id: op.id, status: 'RUNNING' };
      if (op.outcome === 'SUCCEEDED' && !op.applied) this.applyInstalledPackage(op);
      return { id: op.id, status: op.outcome, error: op.error ?? undefined };
    });
  }

  /** The admin changes an instance's base language (the fix the seed gives for a failed install). */
  async setBaseLanguage(instanceId: string, code: string): Promise<void> {
    const language = findLanguage(code);
    const [instance] = await this.getInstances([instanceId]);
    if (!language || !instance) throw new Error(`no instance ${instanceId} or language ${code}`);
    const languages = instance.languages.includes(language.code) ? instance.languages : [...instance.languages, language.code];
    await this.db.update(simInstances).set({ baseLanguage: language.code, languages }).where(eq(simInstances.id, instanceId));
  }

  /** Sets which solutions an instance has installed. */
  async setSolutions(instanceId: string, solutions: string[]): Promise<void> {
    await this.db.update(simInstances).set({ solutions }).where(eq(simInstances.id, instanceId));
  }

  /** Counts the operations started, for tests that prove a call was not repeated. */
  async countOperations(filter: { subdomain?: string; kind?: OperationKind } = {}): Promise<number> {
    const row = this.db
      .select({ n: sql<number>`count(*)` })
      .from(simOperations)
      .where(
        and(
          filter.subdomain ? eq(simOperations.subdomain, filter.subdomain) : undefined,
          filter.kind ? eq(simOperations.kind, filter.kind) : undefined,
        ),
      )
      .get();
    return row?.n ?? 0;
  }

  private failIfUnavailable(subdomains: readonly string[]): void {
    if (subdomains.length === 0) return;
    const fault = this.db
      .select()
      .from(simFaults)
      .where(
        and(
          inArray(simFaults.subdomain, [...new Set(subdomains)]),
          eq(simFaults.mode, 'UNAVAILABLE'),
          sql`${simFaults.used} < ${simFaults.times}`,
        ),
      )
      .get();
    if (!fault) return;
    this.db.update(simFaults).set({ used: sql`${simFaults.used} + 1` }).where(eq(simFaults.id, fault.id)).run();
    throw new PlatformUnavailableError(fault.error ?? 'The portal platform answered 503 Service Unavailable.');
  }

  /** Uses up one injected failure for this subdomain and operation, if the seed has one left. */
  private injectedFailure(tx: Pick<Db, 'select' | 'update'>, subdomain: string, operation: 'CREATE_RESOURCES' | 'INSTALL_PACKAGE'): string | undefined {
    const fault = tx
      .select()
      .from(simFaults)
      .where(
        and(
          eq(simFaults.subdomain, subdomain),
          eq(simFaults.operation, operation),
          sql`${simFaults.mode} = 'ALWAYS' or (${simFaults.mode} = 'ONCE' and ${simFaults.used} < ${simFaults.times})`,
        ),
      )
      .get();
    if (!fault) return undefined;
    tx.update(simFaults).set({ used: sql`${simFaults.used} + 1` }).where(eq(simFaults.id, fault.id)).run();
    return fault.error ?? `The platform failed to ${operation === 'CREATE_RESOURCES' ? 'create the portal URL' : 'install the portal package'}.`;
  }

  private decideResources(tx: Pick<Db, 'select' | 'update' | 'insert'>, spec: PortalSpec, key: string, id: string): Outcome {
    const injected = this.injectedFailure(tx, spec.subdomain, 'CREATE_RESOURCES');
    if (injected) return { outcome: 'FAILED', error: injected };
    const owner = key.split(':').slice(0, 2).join(':');
    const site = tx.select().from(simSites).where(eq(simSites.subdomain, spec.subdomain)).get();
    if (site && !(site.operationId ?? '').startsWith(`${owner}:`))
      return {
        outcome: 'FAILED',
        error: `The portal URL ${spec.subdomain} is already taken on the portal platform. Change the portal URL and restart provisioning.`,
      };
    if (!site) tx.insert(simSites).values({ subdomain: spec.subdomain, instanceId: spec.instanceId, operationId: `${owner}:${id}` }).run();
    return { outcome: 'SUCCEEDED', error: null };
  }

  private decidePackage(tx: Pick<Db, 'select' | 'update'>, spec: PortalSpec): Outcome {
    const injected = this.injectedFailure(tx, spec.subdomain, 'INSTALL_PACKAGE');
    if (injected) return { outcome: 'FAILED', error: injected };
    const instance = tx.select().from(simInstances).where(eq(simInstances.id, spec.instanceId)).get();
    if (!instance) return { outcome: 'FAILED', error: `The instance ${spec.instanceId} no longer exists.` };
    if (instance.baseLanguage !== spec.language) {
      const base = findLanguage(instance.baseLanguage)?.name ?? instance.baseLanguage;
      const wanted = findLanguage(spec.language)?.name ?? spec.language;
      return {
        outcome: 'FAILED',
        error: `Install Failed: the package installs only in the default language of ${instance.name}, which is ${base}, but the portal language is ${wanted}. Set the default language of ${instance.name} to ${wanted}, then retry the installation.`,
      };
    }
    // The package installs the portal's own solution first, then each add-on, in that order.
    const installed = new Set(instance.solutions);
    if (spec.portalType === 'PARTNER') installed.add(SOLUTIONS.PARTNER_PORTAL);
    for (const addOn of spec.addOns as AddOn[]) {
      const definition = ADD_ON_DEFINITIONS[addOn];
      const missing = [
        ...(installed.has(SOLUTIONS.PARTNER_PORTAL) ? [] : [SOLUTIONS.PARTNER_PORTAL]),
        ...definition.requiredSolutions.filter((s) => !installed.has(s)),
      ];
      if (missing.length > 0)
        return {
          outcome: 'FAILED',
          error: `Install Failed: ${definition.name} needs ${missing.join(' and ')} installed first in ${instance.name}.`,
        };
      installed.add(definition.name);
    }
    return { outcome: 'SUCCEEDED', error: null };
  }

  private decideBinding(tx: Pick<Db, 'select'>, spec: PortalSpec): Outcome {
    const site = tx.select().from(simSites).where(eq(simSites.subdomain, spec.subdomain)).get();
    if (!site) return { outcome: 'FAILED', error: `The portal URL ${spec.subdomain} does not exist on the platform, so no SSL binding can be made.` };
    if (!spec.hostname || !spec.certificateThumbprint) return { outcome: 'FAILED', error: 'An SSL binding needs a host name and a certificate.' };
    return { outcome: 'SUCCEEDED', error: null };
  }

  private applyInstalledPackage(op: typeof simOperations.$inferSelect): void {
    writeTransaction(this.db, (tx) => {
      if (op.kind === 'INSTALL_PACKAGE') {
        const instance = tx.select().from(simInstances).where(eq(simInstances.id, op.instanceId)).get();
        if (instance) {
          const spec = op.spec as unknown as PortalSpec;
          const added = [PORTAL_TYPE_NAMES[spec.portalType as PortalType], ...spec.addOns.map((a) => ADD_ON_DEFINITIONS[a as AddOn].name)];
          const solutions = [...new Set([...instance.solutions, ...added])];
          tx.update(simInstances).set({ solutions }).where(eq(simInstances.id, op.instanceId)).run();
        }
      }
      tx.update(simOperations).set({ applied: true }).where(eq(simOperations.id, op.id)).run();
    });
  }

  async getUsers(ids: readonly string[]): Promise<DirectoryUser[]> {
    if (ids.length === 0) return [];
    return this.db.select().from(simUsers).where(inArray(simUsers.id, [...ids]));
  }

  async findUserByEmail(email: string): Promise<DirectoryUser | undefined> {
    const rows = await this.db
      .select()
      .from(simUsers)
      .where(sql`lower(${simUsers.email}) = ${email.trim().toLowerCase()}`)
      .limit(1);
    return rows[0];
  }

  async listInstances(): Promise<Instance[]> {
    return this.db.select().from(simInstances).orderBy(simInstances.name);
  }

  async getInstances(ids: readonly string[]): Promise<Instance[]> {
    if (ids.length === 0) return [];
    return this.db.select().from(simInstances).where(inArray(simInstances.id, [...ids]));
  }

  async listRoles(filter: { userId?: string; instanceId?: string }): Promise<RoleAssignment[]> {
    const conditions = [
      filter.userId !== undefined ? eq(simRoles.userId, filter.userId) : undefined,
      filter.instanceId !== undefined ? eq(simRoles.instanceId, filter.instanceId) : undefined,
    ];
    return this.db
      .select()
      .from(simRoles)
      .where(and(...conditions));
  }

  async listLicenses(): Promise<License[]> {
    return this.db.select().from(simLicenses).orderBy(simLicenses.id);
  }
}
