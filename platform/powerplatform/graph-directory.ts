// Users and Global Administrators from Microsoft Graph, read in as few calls as Graph's limits allow:
// ids 15 to a `$filter=id in (…)` (Graph's default ceiling for `in`), up to 20 such reads in one
// JSON $batch, each user kept briefly. A part of a batch answered 429 is asked again after its
// Retry-After.
import type { DirectoryUser } from '../platform.ts';
import { PlatformUnavailableError } from '../platform.ts';
import { BriefCache } from './brief-cache.ts';
import { MicrosoftApiError, type MicrosoftHttp, retryAfterMs } from './http.ts';
import { GLOBAL_ADMINISTRATOR_ROLE, type MicrosoftEndpoints, scopeFor } from './scopes.ts';

const IDS_PER_FILTER = 15;
const REQUESTS_PER_BATCH = 20;
const SELECT = 'id,displayName,mail,userPrincipalName';

interface GraphUser {
  id: string;
  displayName: string | null;
  mail: string | null;
  userPrincipalName: string;
}

interface GraphPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

interface BatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: GraphPage<GraphUser> & { error?: { code?: string; message?: string } };
}

/** An OData string literal: quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export class GraphDirectory {
  private readonly users: BriefCache<string, GraphUser | undefined>;
  private readonly byEmail: BriefCache<string, GraphUser | undefined>;
  private readonly admins: BriefCache<'all', Set<string>>;

  constructor(
    private readonly http: MicrosoftHttp,
    private readonly endpoints: MicrosoftEndpoints,
    cacheMs: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.users = new BriefCache(cacheMs);
    this.byEmail = new BriefCache(cacheMs);
    this.admins = new BriefCache(cacheMs);
  }

  private get base(): string {
    return `${this.endpoints.graph}/v1.0`;
  }

  private get scope(): string {
    return scopeFor('graph', this.endpoints);
  }

  async getUsers(ids: readonly string[]): Promise<DirectoryUser[]> {
    const unique = [...new Set(ids)];
    const missing = unique.filter((id) => !this.users.peek(id));
    if (missing.length > 0) {
      const loading = this.fetchUsers(missing);
      for (const id of missing) this.users.get(id, () => loading.then((found) => found.get(id)));
    }
    const [found, admins] = await Promise.all([Promise.all(unique.map((id) => this.users.get(id, () => this.fetchOne(id)))), this.globalAdministrators()]);
    return found.filter((u): u is GraphUser => u !== undefined).map((u) => toDirectoryUser(u, admins));
  }

  async findUserByEmail(email: string): Promise<DirectoryUser | undefined> {
    const key = email.trim().toLowerCase();
    const user = await this.byEmail.get(key, async () => {
      const filter = `mail eq ${odataString(key)} or userPrincipalName eq ${odataString(key)}`;
      const page = await this.get<GraphPage<GraphUser>>(`/users?$filter=${encodeURIComponent(filter)}&$select=${SELECT}`);
      return page.value[0];
    });
    if (!user) return undefined;
    this.users.set(user.id, user);
    return toDirectoryUser(user, await this.globalAdministrators());
  }

  /** Object ids of the users holding the Global Administrator role (active assignments, directly). */
  globalAdministrators(): Promise<Set<string>> {
    return this.admins.get('all', async () => {
      const filter = `roleDefinitionId eq ${odataString(GLOBAL_ADMINISTRATOR_ROLE)}`;
      const holders = new Set<string>();
      let url: string | undefined = `${this.base}/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(filter)}`;
      while (url) {
        const page: GraphPage<{ principalId: string }> = (
          await this.http.request<GraphPage<{ principalId: string }>>({ api: 'graph', method: 'GET', url, idempotent: true, scope: this.scope })
        ).body;
        for (const assignment of page.value) holders.add(assignment.principalId);
        url = page['@odata.nextLink'];
      }
      return holders;
    });
  }

  private async fetchOne(id: string): Promise<GraphUser | undefined> {
    return (await this.fetchUsers([id])).get(id);
  }

  /** Users by id: one GET for up to 15, else $batch requests of up to 20 GETs of 15. */
  private async fetchUsers(ids: readonly string[]): Promise<Map<string, GraphUser>> {
    const paths: string[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_FILTER) {
      const filter = `id in (${ids
        .slice(i, i + IDS_PER_FILTER)
        .map(odataString)
        .join(',')})`;
      paths.push(`/users?$filter=${encodeURIComponent(filter)}&$select=${SELECT}`);
    }
    const found = new Map<string, GraphUser>();
    if (paths.length === 1) {
      for (const user of (await this.get<GraphPage<GraphUser>>(paths[0] as string)).value) found.set(user.id, user);
      return found;
    }
    for (let i = 0; i < paths.length; i += REQUESTS_PER_BATCH) {
      for (const user of await this.batch(paths.slice(i, i + REQUESTS_PER_BATCH))) found.set(user.id, user);
    }
    return found;
  }

  /** One $batch of GETs; parts answered 429 are sent again after their Retry-After (three times at most). */
  private async batch(paths: readonly string[]): Promise<GraphUser[]> {
    let pending = paths.map((url, index) => ({ id: String(index + 1), method: 'GET', url }));
    const users: GraphUser[] = [];
    for (let round = 1; pending.length > 0; round += 1) {
      const { body } = await this.http.request<{ responses: BatchResponse[] }>({
        api: 'graph',
        method: 'POST',
        url: `${this.base}/$batch`,
        body: { requests: pending },
        idempotent: true,
        scope: this.scope,
      });
      const throttled = body.responses.filter((r) => r.status === 429);
      for (const part of body.responses.filter((r) => r.status !== 429)) users.push(...partUsers(part));
      if (throttled.length > 0 && round >= 3) throw new PlatformUnavailableError('Microsoft Graph kept answering 429 Too Many Requests.');
      if (throttled.length > 0) await this.sleep(Math.max(...throttled.map((r) => retryAfterMs(r.headers?.['Retry-After'] ?? r.headers?.['retry-after'] ?? null) ?? 1000)));
      pending = pending.filter((p) => throttled.some((t) => t.id === p.id));
    }
    return users;
  }

  private async get<T>(path: string): Promise<T> {
    return (await this.http.request<T>({ api: 'graph', method: 'GET', url: `${this.base}${path}`, idempotent: true, scope: this.scope })).body;
  }
}

/** The users of one part of a $batch answer, or its error as the http client would throw it. */
function partUsers(part: BatchResponse): GraphUser[] {
  if (part.status >= 200 && part.status < 300) return part.body?.value ?? [];
  const message = part.body?.error?.message ?? `HTTP ${part.status}`;
  if (part.status >= 500) throw new PlatformUnavailableError(`Microsoft Graph answered ${part.status}: ${message}`);
  throw new MicrosoftApiError(part.status, part.body?.error?.code ?? '', message, 'graph');
}

function toDirectoryUser(user: GraphUser, admins: Set<string>): DirectoryUser {
  return {
    id: user.id,
    email: (user.mail ?? user.userPrincipalName).toLowerCase(),
    displayName: user.displayName ?? user.userPrincipalName,
    globalAdministrator: admins.has(user.id),
  };
}
