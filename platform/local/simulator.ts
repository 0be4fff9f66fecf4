// The embedded platform: a simulated tenant kept in SQLite, seeded once from a JSON file.
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Transaction } from '../../db/client.ts';
import { dialectOf, twinOf } from '../../db/dialect.ts';
import { exec, execSql, row, rows, sqliteWriteTransaction, type Work, writeTransaction } from '../../db/transaction.ts';
import { ADD_ON_DEFINITIONS, type AddOn, PORTAL_TYPE_NAMES, type PortalType, SOLUTIONS } from '../../vocabulary/catalog.ts';
import { findLanguage } from '../../vocabulary/languages.ts';
import {
  type DirectoryUser,
  type Instance,
  type InstanceRole,
  type License,
  type OperationKind,
  type OperationRequest,
  type OperationState,
  type Platform,
  PlatformUnavailableError,
  type PortalSpec,
  type RoleAssignment,
  type RoleHolder,
  type StartAnswer,
  type SubdomainAvailability,
} from '../platform.ts';
import * as sqliteTables from './schema.ts';
import * as pgTables from './schema-pg.ts';
import { readTenantSeed } from './seed.ts';

/** How long the simulated operations take. `demo` makes a portal in about a minute. */
export const SPEEDS = {
  demo: { CREATE_RESOURCES: 20_000, INSTALL_PACKAGE: 35_000, BIND_SSL: 5_000, UNBIND_SSL: 3_000 },
  fast: { CREATE_RESOURCES: 150, INSTALL_PACKAGE: 250, BIND_SSL: 100, UNBIND_SSL: 50 },
} as const;
export type Speed = keyof typeof SPEEDS;

type Outcome = { outcome: 'SUCCEEDED'; error: null } | { outcome: 'FAILED'; error: string };

/** Tells this process's operation IDs from those of other processes on the same file. */
const PROCESS_TAG = randomBytes(6).toString('hex');
let operationCount = 0;

/**
 * A new operation's ID: the time, this process's tag and a count, each of fixed width, so IDs sort in
 * the order operations were started. Random IDs (UUIDs) put each new row of the ID index on a random
 * page, so a sweep starting thousands of operations rewrote most of that index.
 */
function operationId(): string {
  operationCount += 1;
  return `op-${Date.now().toString(36).padStart(9, '0')}-${PROCESS_TAG}-${operationCount.toString(36).padStart(8, '0')}`;
}

/** A list of IDs bound as one JSON parameter, so one prepared statement serves any number of them. */
const idsParameter = (column: Parameters<typeof sql>[1]) => sql`${column} in (select value from json_each(${sql.placeholder('ids')}))`;

/**
 * The directory reads every Slack command and GraphQL request makes (who is asking, their roles, the
 * instances and their administrators), prepared once: building a query through Drizzle each time cost
 * more than running it.
 */
function directoryReads(db: Db): DirectoryReads {
  return dialectOf(db) === 'postgres' ? postgresDirectoryReads(db) : sqliteDirectoryReads(db);
}

type DirectoryReads = ReturnType<typeof sqliteDirectoryReads>;

function sqliteDirectoryReads(db: Db) {
  const { simInstances, simRoles, simUsers } = sqliteTables;
  return {
    userByEmail: db
      .select()
      .from(simUsers)
      .where(sql`lower(${simUsers.email}) = ${sql.placeholder('email')}`)
      .limit(1)
      .prepare(),
    usersById: db.select().from(simUsers).where(idsParameter(simUsers.id)).prepare(),
    instances: db.select().from(simInstances).orderBy(simInstances.name).prepare(),
    instancesById: db.select().from(simInstances).where(idsParameter(simInstances.id)).prepare(),
    rolesOfUser: db
      .select()
      .from(simRoles)
      .where(eq(simRoles.userId, sql.placeholder('userId')))
      .prepare(),
    roleHolders: db
      .select({ instanceId: simRoles.instanceId, user: simUsers })
      .from(simRoles)
      .innerJoin(simUsers, eq(simUsers.id, simRoles.userId))
      .where(and(eq(simRoles.role, sql.placeholder('role')), idsParameter(simRoles.instanceId)))
      .orderBy(simRoles.instanceId, simRoles.userId)
      .prepare(),
  };
}

/** The simulator's tables in `db`'s dialect. */
function simTablesOf(db: Db | Transaction): typeof sqliteTables {
  return twinOf(db, sqliteTables, pgTables);
}

/**
 * The same reads on PostgreSQL, each a named statement the server prepares once per connection; a
 * list of IDs is bound as one array parameter (`= any($1)`), so one statement serves any number.
 */
function postgresDirectoryReads(db: Db): DirectoryReads {
  const { simInstances, simRoles, simUsers } = simTablesOf(db);
  const anyOf = (column: Parameters<typeof sql>[1]) => sql`${column} = any(${sql.placeholder('ids')})`;
  type Prepared = { execute(values?: Record<string, unknown>): Promise<unknown[]> };
  const prepared = (query: { prepare(): unknown }) => query.prepare() as Prepared;
  const userByEmail = prepared(
    db
      .select()
      .from(simUsers)
      .where(sql`lower(${simUsers.email}) = ${sql.placeholder('email')}`)
      .limit(1),
  );
  const usersById = prepared(db.select().from(simUsers).where(anyOf(simUsers.id)));
  const instances = prepared(db.select().from(simInstances).orderBy(simInstances.name));
  const instancesById = prepared(db.select().from(simInstances).where(anyOf(simInstances.id)));
  const rolesOfUser = prepared(
    db
      .select()
      .from(simRoles)
      .where(eq(simRoles.userId, sql.placeholder('userId'))),
  );
  const roleHolders = prepared(
    db
      .select({ instanceId: simRoles.instanceId, user: simUsers })
      .from(simRoles)
      .innerJoin(simUsers, eq(simUsers.id, simRoles.userId))
      .where(and(eq(simRoles.role, sql.placeholder('role')), anyOf(simRoles.instanceId)))
      .orderBy(simRoles.instanceId, simRoles.userId),
  );
  const ids = (json: string) => JSON.parse(json) as string[];
  const reads = {
    userByEmail: { get: async ({ email }: { email: string }) => (await userByEmail.execute({ email }))[0] },
    usersById: { all: ({ ids: list }: { ids: string }) => usersById.execute({ ids: ids(list) }) },
    instances: { all: () => instances.execute() },
    instancesById: { all: ({ ids: list }: { ids: string }) => instancesById.execute({ ids: ids(list) }) },
    rolesOfUser: { all: ({ userId }: { userId: string }) => rolesOfUser.execute({ userId }) },
    roleHolders: { all: ({ role, ids: list }: { role: string; ids: string }) => roleHolders.execute({ role, ids: ids(list) }) },
  };
  return reads as unknown as DirectoryReads;
}

export class LocalPlatform implements Platform {
  private readonly reads: DirectoryReads;

  constructor(
    private readonly db: Db,
    private readonly speed: Speed = 'demo',
  ) {
    this.reads = directoryReads(db);
  }

  /** Loads the tenant from the seed file when the database holds none yet; a later start keeps its state. */
  static async connect(db: Db, seedPath: string, speed: Speed = 'demo'): Promise<LocalPlatform> {
    const { simUsers } = simTablesOf(db);
    const [seeded] = await db.select({ n: sql<number>`count(*)` }).from(simUsers);
    if (!seeded || Number(seeded.n) === 0) {
      const seed = readTenantSeed(seedPath);
      await writeTransaction(db, (tx) => seedTenant(tx, seed));
    }
    return new LocalPlatform(db, speed);
  }

  /** `connect` for a SQLite file, answered synchronously. */
  static open(db: Db, seedPath: string, speed: Speed = 'demo'): LocalPlatform {
    const seeded = db.select({ n: sql<number>`count(*)` }).from(sqliteTables.simUsers).get();
    if (!seeded || seeded.n === 0) {
      const seed = readTenantSeed(seedPath);
      sqliteWriteTransaction(db, (tx) => seedTenant(tx, seed));
    }
    return new LocalPlatform(db, speed);
  }

  async startOperation(kind: OperationKind, key: string, spec: PortalSpec): Promise<{ id: string }> {
    const [answer] = await this.startOperations([{ kind, key, spec }]);
    if (!answer || 'error' in answer) throw new PlatformUnavailableError(answer?.error ?? 'The portal platform gave no answer.');
    return answer;
  }

  /** Decides every request in one transaction (a local call: `concurrency` does not matter here). */
  async startOperations(requests: readonly OperationRequest[], _options?: { concurrency: number }): Promise<StartAnswer[]> {
    if (requests.length === 0) return [];
    const self = this;
    return writeTransaction(this.db, function* (tx) {
      yield* serializeOnPostgres(tx);
      const answers: StartAnswer[] = [];
      for (let i = 0; i < requests.length; i += 500) answers.push(...(yield* self.startSlice(tx, requests.slice(i, i + 500))));
      return answers;
    });
  }

  private *startSlice(tx: Transaction, requests: readonly OperationRequest[]): Work<StartAnswer[]> {
    const slice = yield* readSlice(tx, requests);
    const answers: StartAnswer[] = [];
    for (const request of requests) answers.push(yield* this.startOne(tx, slice, request));
    yield* writeSlice(tx, slice);
    return answers;
  }

  /** The platform is down for this request, or it was started before (same key), or it starts now with its outcome decided. */
  private *startOne(tx: Transaction, slice: Slice, { kind, key, spec }: OperationRequest): Work<StartAnswer> {
    const down = useFault(
      slice,
      slice.faults.find((f) => f.subdomain === spec.subdomain && isUnavailable(f)),
    );
    if (down) return { error: down.error ?? UNAVAILABLE };
    const existing = slice.known.get(key);
    if (existing) return { id: existing };
    const id = operationId();
    slice.known.set(key, id);
    const decided = yield* decideOperation(tx, slice, { kind, key, spec }, id);
    slice.newOperations.push({
      id,
      key,
      kind,
      subdomain: spec.subdomain,
      instanceId: spec.instanceId,
      // The certificate a platform uploads (key and one-time password) is not kept.
      spec: { ...spec, certificate: undefined },
      startedAt: new Date(),
      durationMs: SPEEDS[this.speed][kind],
      ...decided,
    });
    return { id };
  }

  async getOperations(ids: readonly string[]): Promise<OperationState[]> {
    if (ids.length === 0) return [];
    const { simOperations } = simTablesOf(this.db);
    const found: OperationRow[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const slice = ids.slice(i, i + 500);
      found.push(...(await this.db.select(operationStateColumns(simOperations)).from(simOperations).where(inArray(simOperations.id, slice))));
    }
    await this.failIfUnavailable(found.map((r) => r.subdomain));
    const now = Date.now();
    const finished = found.filter((op) => now >= op.startedAt.getTime() + op.durationMs);
    await this.applyFinished(finished.filter((op) => op.outcome === 'SUCCEEDED' && !op.applied));
    const done = new Set(finished);
    return found.map((op) => (done.has(op) ? { id: op.id, status: op.outcome, error: op.error ?? undefined } : { id: op.id, status: 'RUNNING' }));
  }

  async subdomainAvailability(subdomain: string, owner?: string): Promise<SubdomainAvailability> {
    const { simSites } = simTablesOf(this.db);
    const [site] = await this.db.select().from(simSites).where(eq(simSites.subdomain, subdomain.toLowerCase()));
    if (!site) return 'FREE';
    return owner && (site.operationId ?? '').startsWith(`${owner}:`) ? 'FREE' : 'TAKEN';
  }

  /** Another tenant takes a portal URL (as a portal created elsewhere does), for race drills. */
  async takeSubdomain(subdomain: string): Promise<void> {
    const { simSites } = simTablesOf(this.db);
    await this.db.insert(simSites).values({ subdomain: subdomain.toLowerCase() }).onConflictDoNothing();
  }

  /** The admin changes an instance's base language (the fix for a failed install). */
  async setBaseLanguage(instanceId: string, code: string): Promise<void> {
    const language = findLanguage(code);
    const [instance] = await this.getInstances([instanceId]);
    if (!language || !instance) throw new Error(`no instance ${instanceId} or language ${code}`);
    const languages = instance.languages.includes(language.code) ? instance.languages : [...instance.languages, language.code];
    const { simInstances } = simTablesOf(this.db);
    await this.db.update(simInstances).set({ baseLanguage: language.code, languages }).where(eq(simInstances.id, instanceId));
  }

  /** Sets which solutions an instance has installed. */
  async setSolutions(instanceId: string, solutions: string[]): Promise<void> {
    const { simInstances } = simTablesOf(this.db);
    await this.db.update(simInstances).set({ solutions }).where(eq(simInstances.id, instanceId));
  }

  /** The next `times` calls about this portal fail as if the platform could not be reached (drills). */
  async makeUnavailable(subdomain: string, times: number): Promise<void> {
    const { simFaults } = simTablesOf(this.db);
    await this.db.insert(simFaults).values({ subdomain: subdomain.toLowerCase(), operation: 'STATUS', mode: 'UNAVAILABLE', times, used: 0 });
  }

  /** Counts the operations started, for tests that prove a call was not repeated. */
  async countOperations(filter: { subdomain?: string; kind?: OperationKind } = {}): Promise<number> {
    const { simOperations } = simTablesOf(this.db);
    const [counted] = await this.db
      .select({ n: sql<number>`count(*)` })
      .from(simOperations)
      .where(and(filter.subdomain ? eq(simOperations.subdomain, filter.subdomain) : undefined, filter.kind ? eq(simOperations.kind, filter.kind) : undefined));
    return Number(counted?.n ?? 0);
  }

  /** A status call fails while any of its portals has an unavailability left to use up (one per call). */
  private async failIfUnavailable(subdomains: readonly string[]): Promise<void> {
    if (subdomains.length === 0) return;
    const { simFaults } = simTablesOf(this.db);
    const fault = (
      await this.db
        .select()
        .from(simFaults)
        .where(inArray(simFaults.subdomain, [...new Set(subdomains)]))
    ).find(isUnavailable);
    if (!fault) return;
    await this.db
      .update(simFaults)
      .set({ used: sql`${simFaults.used} + 1` })
      .where(eq(simFaults.id, fault.id));
    throw new PlatformUnavailableError(fault.error ?? UNAVAILABLE);
  }

  /** The SSL bindings the platform holds now, host name by host name. */
  async listBindings(): Promise<Array<typeof sqliteTables.simBindings.$inferSelect>> {
    const { simBindings, simOperations } = simTablesOf(this.db);
    // Operations take effect when they finish, whether or not anyone asked about them since.
    const due = await this.db
      .select(operationStateColumns(simOperations))
      .from(simOperations)
      .where(
        and(
          inArray(simOperations.kind, ['BIND_SSL', 'UNBIND_SSL']),
          eq(simOperations.applied, false),
          eq(simOperations.outcome, 'SUCCEEDED'),
          sql`${simOperations.startedAt} + ${simOperations.durationMs} <= cast(${Date.now()} as bigint)`,
        ),
      );
    await this.applyFinished(due);
    return this.db.select().from(simBindings).orderBy(simBindings.hostname);
  }

  /**
   * Records, once, what finished operations did to the tenant: an installed package adds its
   * solutions to the instance; SSL bindings are made and removed in the order they were asked for.
   */
  private async applyFinished(operations: readonly OperationRow[]): Promise<void> {
    if (operations.length === 0) return;
    await writeTransaction(this.db, function* (tx) {
      const { simBindings, simInstances, simOperations } = simTablesOf(tx);
      yield* serializeOnPostgres(tx);
      const effectful = operations.filter((op) => op.kind !== 'CREATE_RESOURCES').map((op) => op.id);
      const specs: Array<{ id: string; kind: OperationKind; subdomain: string; instanceId: string; startedAt: Date; spec: PortalSpec }> = [];
      for (let i = 0; i < effectful.length; i += 500) {
        const found = yield* rows(
          tx
            .select({
              id: simOperations.id,
              kind: simOperations.kind,
              subdomain: simOperations.subdomain,
              instanceId: simOperations.instanceId,
              startedAt: simOperations.startedAt,
              spec: simOperations.spec,
            })
            .from(simOperations)
            .where(inArray(simOperations.id, effectful.slice(i, i + 500))),
        );
        specs.push(...found.map((op) => ({ ...op, spec: op.spec as unknown as PortalSpec })));
      }
      for (const op of specs.filter((o) => o.kind === 'BIND_SSL' || o.kind === 'UNBIND_SSL').sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())) {
        const hostname = op.spec.hostname;
        if (!hostname) continue;
        if (op.kind === 'BIND_SSL') {
          const binding = { hostname, subdomain: op.subdomain, certificateThumbprint: op.spec.certificateThumbprint ?? '', operationId: op.id };
          yield* exec(tx.insert(simBindings).values(binding).onConflictDoUpdate({ target: simBindings.hostname, set: binding }));
        } else yield* exec(tx.delete(simBindings).where(and(eq(simBindings.hostname, hostname), eq(simBindings.subdomain, op.subdomain))));
      }
      const packages = specs.filter((o) => o.kind === 'INSTALL_PACKAGE');
      const instanceIds = [...new Set(packages.map((op) => op.instanceId))];
      for (const instance of instanceIds.length > 0 ? yield* rows(tx.select().from(simInstances).where(inArray(simInstances.id, instanceIds))) : []) {
        const solutions = new Set(instance.solutions);
        for (const { spec } of packages.filter((p) => p.instanceId === instance.id)) {
          solutions.add(PORTAL_TYPE_NAMES[spec.portalType as PortalType]);
          for (const addOn of spec.addOns) solutions.add(ADD_ON_DEFINITIONS[addOn as AddOn].name);
        }
        yield* exec(
          tx
            .update(simInstances)
            .set({ solutions: [...solutions] })
            .where(eq(simInstances.id, instance.id)),
        );
      }
      for (let i = 0; i < operations.length; i += 500) {
        const ids = operations.slice(i, i + 500).map((op) => op.id);
        yield* exec(
          tx
            .update(simOperations)
            .set({ applied: true })
            .where(and(inArray(simOperations.id, ids), eq(simOperations.applied, false))),
        );
      }
    });
  }

  async getUsers(ids: readonly string[]): Promise<DirectoryUser[]> {
    if (ids.length === 0) return [];
    return this.reads.usersById.all({ ids: JSON.stringify(ids) });
  }

  async findUserByEmail(email: string): Promise<DirectoryUser | undefined> {
    return this.reads.userByEmail.get({ email: email.trim().toLowerCase() });
  }

  async listInstances(): Promise<Instance[]> {
    return this.reads.instances.all();
  }

  async getInstances(ids: readonly string[]): Promise<Instance[]> {
    if (ids.length === 0) return [];
    return this.reads.instancesById.all({ ids: JSON.stringify(ids) });
  }

  async listRoles(filter: { userId?: string; instanceId?: string }): Promise<RoleAssignment[]> {
    // The caller's own roles are read on every request and prepared; other filters are built as asked.
    if (filter.userId !== undefined && filter.instanceId === undefined) {
      return this.reads.rolesOfUser.all({ userId: filter.userId });
    }
    const { simRoles } = simTablesOf(this.db);
    const conditions = [
      filter.userId !== undefined ? eq(simRoles.userId, filter.userId) : undefined,
      filter.instanceId !== undefined ? eq(simRoles.instanceId, filter.instanceId) : undefined,
    ];
    return this.db
      .select()
      .from(simRoles)
      .where(and(...conditions));
  }

  async listRoleHolders(instanceIds: readonly string[], role: InstanceRole): Promise<RoleHolder[]> {
    if (instanceIds.length === 0) return [];
    return this.reads.roleHolders.all({ role, ids: JSON.stringify(instanceIds) });
  }

  async listLicenses(): Promise<License[]> {
    const { simLicenses } = simTablesOf(this.db);
    return this.db.select().from(simLicenses).orderBy(simLicenses.id);
  }
}

type SimFault = typeof sqliteTables.simFaults.$inferSelect;

/** Writes the seed's tenant, unless another process did between the count and the lock. */
function* seedTenant(tx: Transaction, seed: ReturnType<typeof readTenantSeed>): Work<void> {
  const { simFaults, simInstances, simLicenses, simRoles, simSites, simUsers } = simTablesOf(tx);
  yield* serializeOnPostgres(tx);
  if (Number((yield* row(tx.select({ n: sql<number>`count(*)` }).from(simUsers)))?.n ?? 0) > 0) return;
  yield* exec(tx.insert(simUsers).values(seed.users));
  yield* exec(tx.insert(simInstances).values(seed.instances));
  if (seed.roles.length > 0) yield* exec(tx.insert(simRoles).values(seed.roles));
  if (seed.licenses.length > 0) yield* exec(tx.insert(simLicenses).values(seed.licenses));
  for (const subdomain of seed.takenSubdomains) yield* exec(tx.insert(simSites).values({ subdomain: subdomain.toLowerCase() }));
  for (const fault of seed.faults) yield* exec(tx.insert(simFaults).values({ ...fault, subdomain: fault.subdomain.toLowerCase() }));
}

/**
 * The simulated platform decides one request at a time, as SQLite's write lock makes it on one file:
 * on PostgreSQL, replicas starting operations or applying their effects take turns on a lock held to
 * the commit.
 */
function* serializeOnPostgres(tx: Transaction): Work<void> {
  if (dialectOf(tx) === 'postgres') yield* execSql(sql`select pg_advisory_xact_lock(7073010004)`);
}

const UNAVAILABLE = 'The portal platform answered 503 Service Unavailable.';

/** A seeded outage of a portal that has not been used up yet. */
function isUnavailable(fault: SimFault): boolean {
  return fault.mode === 'UNAVAILABLE' && fault.used < fault.times;
}

/** What a status look needs of an operation (its spec is read only when a finished package is applied). */
function operationStateColumns(simOperations: typeof sqliteTables.simOperations) {
  return {
    id: simOperations.id,
    kind: simOperations.kind,
    subdomain: simOperations.subdomain,
    startedAt: simOperations.startedAt,
    durationMs: simOperations.durationMs,
    outcome: simOperations.outcome,
    error: simOperations.error,
    applied: simOperations.applied,
  };
}
type OperationRow = { [K in keyof ReturnType<typeof operationStateColumns>]: (typeof sqliteTables.simOperations.$inferSelect)[K] };
type SimSite = typeof sqliteTables.simSites.$inferSelect;
type SimInstance = typeof sqliteTables.simInstances.$inferSelect;

/** The part of an idempotency key naming what asks (`portal:<id>`): a retry of it may reuse its own URL. */
function siteOwner(key: string): string {
  return key.split(':').slice(0, 2).join(':');
}

/** What starting a slice of requests reads once (faults, operations by key, sites, instances) and writes once. */
interface Slice {
  faults: SimFault[];
  known: Map<string, string>;
  sites: Map<string, SimSite>;
  instances: Map<string, SimInstance>;
  usedFaults: Set<SimFault>;
  newSites: SimSite[];
  newOperations: Array<typeof sqliteTables.simOperations.$inferInsert>;
}

function* readSlice(tx: Transaction, requests: readonly OperationRequest[]): Work<Slice> {
  const { simFaults, simInstances, simOperations, simSites } = simTablesOf(tx);
  const subdomains = [...new Set(requests.map((r) => r.spec.subdomain))];
  const instanceIds = [...new Set(requests.map((r) => r.spec.instanceId))];
  const operations = yield* rows(
    tx
      .select({ id: simOperations.id, key: simOperations.key })
      .from(simOperations)
      .where(
        inArray(
          simOperations.key,
          requests.map((r) => r.key),
        ),
      ),
  );
  const faults = yield* rows(tx.select().from(simFaults).where(inArray(simFaults.subdomain, subdomains)));
  const sites = yield* rows(tx.select().from(simSites).where(inArray(simSites.subdomain, subdomains)));
  const instances = yield* rows(tx.select().from(simInstances).where(inArray(simInstances.id, instanceIds)));
  return {
    faults,
    known: new Map(operations.map((op) => [op.key, op.id])),
    sites: new Map(sites.map((site) => [site.subdomain, site])),
    instances: new Map(instances.map((i) => [i.id, i])),
    usedFaults: new Set(),
    newSites: [],
    newOperations: [],
  };
}

function* writeSlice(tx: Transaction, slice: Slice): Work<void> {
  const { simFaults, simOperations, simSites } = simTablesOf(tx);
  for (const fault of slice.usedFaults) yield* exec(tx.update(simFaults).set({ used: fault.used }).where(eq(simFaults.id, fault.id)));
  if (slice.newSites.length > 0) yield* exec(tx.insert(simSites).values(slice.newSites));
  // SQLite binds at most 32,766 values per statement; PostgreSQL 65,535, and each statement is a round trip there.
  const perInsert = dialectOf(tx) === 'postgres' ? 1000 : 100;
  for (let i = 0; i < slice.newOperations.length; i += perInsert) yield* exec(tx.insert(simOperations).values(slice.newOperations.slice(i, i + perInsert)));
}

/** Counts a use of `fault`, when there is one, and hands it back. */
function useFault(slice: Slice, fault: SimFault | undefined): SimFault | undefined {
  if (!fault) return undefined;
  fault.used += 1;
  slice.usedFaults.add(fault);
  return fault;
}

/** The outcome of a new operation: an injected failure, or what the platform's state decides. */
function* decideOperation(tx: Transaction, slice: Slice, { kind, key, spec }: OperationRequest, id: string): Work<Outcome> {
  if (kind === 'BIND_SSL') return decideBinding(slice.sites.get(spec.subdomain), spec);
  if (kind === 'UNBIND_SSL') {
    // Removing a binding that is not there is no error; a binding still being made is called off.
    yield* cancelRunningBinds(tx, spec);
    return { outcome: 'SUCCEEDED', error: null };
  }
  const injected = useFault(
    slice,
    slice.faults.find((f) => f.subdomain === spec.subdomain && f.operation === kind && (f.mode === 'ALWAYS' || (f.mode === 'ONCE' && f.used < f.times))),
  );
  if (injected) {
    const step = kind === 'CREATE_RESOURCES' ? 'create the portal URL' : 'install the portal package';
    return { outcome: 'FAILED', error: injected.error ?? `The platform failed to ${step}.` };
  }
  if (kind !== 'CREATE_RESOURCES') return decidePackage(slice.instances.get(spec.instanceId), spec);
  const decided = decideResources(slice.sites.get(spec.subdomain), spec, key);
  if (decided.outcome === 'SUCCEEDED' && !slice.sites.has(spec.subdomain)) {
    const site = { subdomain: spec.subdomain, instanceId: spec.instanceId, operationId: `${siteOwner(key)}:${id}` };
    slice.sites.set(spec.subdomain, site);
    slice.newSites.push(site);
  }
  return decided;
}

function decideResources(site: SimSite | undefined, spec: PortalSpec, key: string): Outcome {
  if (site && !(site.operationId ?? '').startsWith(`${siteOwner(key)}:`))
    return {
      outcome: 'FAILED',
      error: `The portal URL ${spec.subdomain} is already taken on the portal platform. Change the portal URL and restart provisioning.`,
    };
  return { outcome: 'SUCCEEDED', error: null };
}

function decidePackage(instance: SimInstance | undefined, spec: PortalSpec): Outcome {
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
    const missing = [...(installed.has(SOLUTIONS.PARTNER_PORTAL) ? [] : [SOLUTIONS.PARTNER_PORTAL]), ...definition.requiredSolutions.filter((s) => !installed.has(s))];
    if (missing.length > 0) return { outcome: 'FAILED', error: `Install Failed: ${definition.name} needs ${missing.join(' and ')} installed first in ${instance.name}.` };
    installed.add(definition.name);
  }
  return { outcome: 'SUCCEEDED', error: null };
}

/** An SSL binding of this host name to this portal that is still being made will not be made. */
function* cancelRunningBinds(tx: Transaction, spec: PortalSpec): Work<void> {
  const { simOperations } = simTablesOf(tx);
  const now = Date.now();
  const binds = yield* rows(
    tx
      .select({ id: simOperations.id, spec: simOperations.spec, startedAt: simOperations.startedAt, durationMs: simOperations.durationMs })
      .from(simOperations)
      .where(and(eq(simOperations.kind, 'BIND_SSL'), eq(simOperations.subdomain, spec.subdomain), eq(simOperations.applied, false))),
  );
  const pending = binds.filter((op) => (op.spec as unknown as PortalSpec).hostname === spec.hostname && now < op.startedAt.getTime() + op.durationMs);
  for (const op of pending) {
    yield* exec(tx.update(simOperations).set({ outcome: 'FAILED', error: 'Called off: the SSL binding was removed before it was made.', applied: true }).where(eq(simOperations.id, op.id)));
  }
}

function decideBinding(site: SimSite | undefined, spec: PortalSpec): Outcome {
  if (!site) return { outcome: 'FAILED', error: `The portal URL ${spec.subdomain} does not exist on the platform, so no SSL binding can be made.` };
  if (!spec.hostname || !spec.certificateThumbprint) return { outcome: 'FAILED', error: 'An SSL binding needs a host name and a certificate.' };
  return { outcome: 'SUCCEEDED', error: null };
}
