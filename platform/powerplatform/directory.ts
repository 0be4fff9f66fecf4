// The directory half of the Power Platform driver: users and Global Administrators from Microsoft
// Graph, instances (environments with a Dataverse) from BAP and their Dataverse, security roles
// from each Dataverse, and licenses from POWERPLATFORM_LICENSES (Power Pages capacity has no API).
// Reads are cached briefly (a minute by default) and batched; driver.ts passes the Platform's
// directory calls here.
import type { Logger } from 'pino';
import type { DirectoryUser, Instance, InstanceRole, License, RoleAssignment, RoleHolder } from '../platform.ts';
import type { DirectoryHalf } from './driver.ts';
import { type Environment, Environments } from './environments.ts';
import { GraphDirectory } from './graph-directory.ts';
import type { MicrosoftHttp } from './http.ts';
import type { MicrosoftEndpoints } from './scopes.ts';

export interface DirectoryOptions {
  http: MicrosoftHttp;
  endpoints: MicrosoftEndpoints;
  /** From POWERPLATFORM_LICENSES. */
  licenses: readonly License[];
  /** How long reads are kept; default 60 s. */
  cacheMs?: number;
  log?: Logger;
  sleep?: (ms: number) => Promise<void>;
}

export class PowerPlatformDirectory implements DirectoryHalf {
  readonly graph: GraphDirectory;
  readonly environments: Environments;

  constructor(private readonly options: DirectoryOptions) {
    const cacheMs = options.cacheMs ?? 60_000;
    this.graph = new GraphDirectory(options.http, options.endpoints, cacheMs, options.sleep);
    this.environments = new Environments(options.http, options.endpoints, cacheMs, options.log);
  }

  getUsers(ids: readonly string[]): Promise<DirectoryUser[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.graph.getUsers(ids);
  }

  findUserByEmail(email: string): Promise<DirectoryUser | undefined> {
    return this.graph.findUserByEmail(email);
  }

  async listInstances(): Promise<Instance[]> {
    return this.environments.instances(await this.environments.environments());
  }

  async getInstances(ids: readonly string[]): Promise<Instance[]> {
    if (ids.length === 0) return [];
    return this.environments.instances(await this.environmentsById(ids));
  }

  /** The environment behind an instance id (the driver creates sites with its organization id). */
  environment(id: string): Promise<Environment | undefined> {
    return this.environments.environment(id);
  }

  async listRoles(filter: { userId?: string; instanceId?: string }): Promise<RoleAssignment[]> {
    const envs = filter.instanceId !== undefined ? await this.environmentsById([filter.instanceId]) : await this.environments.environments();
    const assignments: RoleAssignment[] = [];
    for (const [env, holders] of await this.holdersOf(envs)) {
      for (const holder of holders) {
        if (filter.userId !== undefined && holder.userId !== filter.userId) continue;
        for (const role of holder.roles) assignments.push({ instanceId: env.id, userId: holder.userId, role });
      }
    }
    return assignments;
  }

  async listRoleHolders(instanceIds: readonly string[], role: InstanceRole): Promise<RoleHolder[]> {
    if (instanceIds.length === 0) return [];
    const pairs: Array<{ instanceId: string; userId: string }> = [];
    for (const [env, holders] of await this.holdersOf(await this.environmentsById(instanceIds))) {
      for (const holder of holders) if (holder.roles.includes(role)) pairs.push({ instanceId: env.id, userId: holder.userId });
    }
    const users = new Map((await this.getUsers(pairs.map((p) => p.userId))).map((u) => [u.id, u]));
    return pairs.flatMap(({ instanceId, userId }) => {
      const user = users.get(userId);
      return user ? [{ instanceId, user }] : [];
    });
  }

  async listLicenses(): Promise<License[]> {
    return [...this.options.licenses];
  }

  private async environmentsById(ids: readonly string[]): Promise<Environment[]> {
    const wanted = new Set(ids);
    return (await this.environments.environments()).filter((e) => wanted.has(e.id));
  }

  /** Role holders of each environment whose Dataverse answers (a refusing one has none to give). */
  private holdersOf(envs: readonly Environment[]): Promise<Array<[Environment, Array<{ userId: string; roles: InstanceRole[] }>]>> {
    return this.environments.answering(envs, async (env) => [env, await this.environments.roleHolders(env)] as [Environment, Array<{ userId: string; roles: InstanceRole[] }>]);
  }
}

/** Licenses as the product counts them, from POWERPLATFORM_LICENSES. */
export function licensesFrom(quantities: ReadonlyArray<{ type: License['type']; quantity: number }>): License[] {
  return quantities.map(({ type, quantity }) => ({
    id: `power-pages-${type.toLowerCase()}`,
    name: type === 'PRODUCTION' ? 'Power Pages production capacity' : 'Power Pages trial capacity',
    type,
    quantity,
  }));
}
