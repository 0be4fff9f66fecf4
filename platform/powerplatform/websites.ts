// The Power Pages websites API (api-version 2024-10-01) as the driver calls it: list with paging,
// get, create, delete, restart, custom domains, certificates and SSL bindings, and the polls of
// Operation-Location. One instance per process; every call goes through MicrosoftHttp.
import type { MicrosoftHttp, MicrosoftRequest } from './http.ts';

export const WEBSITES_API_VERSION = '2024-10-01';

export interface Website {
  id: string;
  name: string;
  subdomain: string;
  websiteRecordId?: string;
  type?: 'Production' | 'Trial' | string;
  status?: string;
  packageInstallStatus?: string;
  customHostNames?: string[];
  websiteUrl?: string;
  selectedBaseLanguage?: number;
}

export interface NewWebsite {
  dataverseOrganizationId: string;
  name: string;
  selectedBaseLanguage: number;
  subdomain: string;
  templateName: string;
  websiteRecordId: string;
}

type WebsitePage = { value?: Website[]; '@odata.nextLink'?: string };

export type PollOutcome = { status: 'RUNNING' } | { status: 'SUCCEEDED' } | { status: 'FAILED'; code?: string; message?: string };

const SUCCEEDED = new Set(['succeeded', 'operationcomplete', 'completed', 'complete', 'success']);
const FAILED = new Set(['failed', 'operationfailed', 'canceled', 'cancelled']);

export class WebsitesApi {
  constructor(
    private readonly http: MicrosoftHttp,
    /** https://api.powerplatform.com (POWERPLATFORM_API_URL), without a trailing slash. */
    private readonly apiUrl: string,
    private readonly scope: string,
  ) {}

  private url(environment: string, path: string, query: Record<string, string> = {}): string {
    const url = new URL(`${this.apiUrl}/powerpages/environments/${encodeURIComponent(environment)}/websites${path}`);
    url.searchParams.set('api-version', WEBSITES_API_VERSION);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url.toString();
  }

  private call<T>(method: MicrosoftRequest['method'], url: string, options: { body?: unknown; idempotent: boolean }) {
    return this.http.request<T>({ api: 'powerplatform', method, url, scope: this.scope, ...options });
  }

  /** Every website of the environment, following @odata.nextLink (or skip) page by page. */
  async list(environment: string): Promise<Website[]> {
    const sites: Website[] = [];
    let url: string | undefined = this.url(environment, '');
    for (let page = 0; url && page < 1000; page += 1) {
      const answer: { body: WebsitePage | undefined } = await this.call<WebsitePage>('GET', url, { idempotent: true });
      sites.push(...(answer.body?.value ?? []));
      const next = answer.body?.['@odata.nextLink'];
      url = next ? this.sameHost(next) : undefined;
    }
    return sites;
  }

  async findBySubdomain(environment: string, subdomain: string): Promise<Website | undefined> {
    const wanted = subdomain.toLowerCase();
    return (await this.list(environment)).find((site) => site.subdomain?.toLowerCase() === wanted);
  }

  async get(environment: string, id: string): Promise<Website> {
    return (await this.call<Website>('GET', this.url(environment, `/${encodeURIComponent(id)}`), { idempotent: true })).body;
  }

  /** Starts a create; the Operation-Location to poll, when the platform gave one. */
  async create(environment: string, site: NewWebsite): Promise<string | undefined> {
    const answer = await this.call('POST', this.url(environment, ''), { body: site, idempotent: false });
    return answer.headers.get('operation-location') ?? undefined;
  }

  async remove(environment: string, id: string): Promise<void> {
    await this.call('DELETE', this.url(environment, `/${encodeURIComponent(id)}`), { idempotent: true });
  }

  async restart(environment: string, id: string): Promise<void> {
    await this.call('POST', this.url(environment, `/${encodeURIComponent(id)}/restart`), { idempotent: true });
  }

  async addCustomDomain(environment: string, id: string, hostname: string): Promise<string | undefined> {
    const answer = await this.call('POST', this.url(environment, `/${encodeURIComponent(id)}/customDomain`, { customDomain: hostname }), { idempotent: true });
    return answer.headers.get('operation-location') ?? undefined;
  }

  async removeCustomDomain(environment: string, id: string, hostname: string): Promise<void> {
    await this.call('DELETE', this.url(environment, `/${encodeURIComponent(id)}/customDomain`, { customDomain: hostname }), { idempotent: true });
  }

  /** Uploads a .pfx; the thumbprint the platform names it by (its answers are PascalCase). */
  async uploadCertificate(environment: string, id: string, pfx: Uint8Array, password: string): Promise<string | undefined> {
    const form = new FormData();
    form.set('certificate', new Blob([new Uint8Array(pfx)], { type: 'application/x-pkcs12' }), 'certificate.pfx');
    form.set('password', password);
    const answer = await this.call<{ Thumbprint?: string }>('POST', this.url(environment, `/${encodeURIComponent(id)}/certificates`, { certType: 'SSL' }), { body: form, idempotent: true });
    return answer.body?.Thumbprint;
  }

  async bind(environment: string, id: string, hostname: string, thumbprint: string): Promise<void> {
    await this.call('POST', this.url(environment, `/${encodeURIComponent(id)}/sslBindings`, { thumbprint, hostName: hostname }), { idempotent: true });
  }

  async unbind(environment: string, id: string, hostname: string, thumbprint: string): Promise<void> {
    await this.call('DELETE', this.url(environment, `/${encodeURIComponent(id)}/sslBindings`, { thumbprint, hostName: hostname }), { idempotent: true });
  }

  /**
   * One look at an Operation-Location. Its body is undocumented: `operationStatus` or `status` is read
   * as Microsoft's own tooling reads it. A non-2xx answer other than an unreachable platform says
   * nothing about the operation: it counts as still running.
   */
  async poll(location: string): Promise<PollOutcome> {
    let body: { status?: unknown; operationStatus?: unknown; error?: { code?: string; message?: string } } | undefined;
    try {
      body = (await this.call<typeof body>('GET', this.sameHost(location), { idempotent: true })).body;
    } catch (error) {
      if ((error as Error).name === 'MicrosoftApiError') return { status: 'RUNNING' };
      throw error;
    }
    const state = String(body?.operationStatus ?? body?.status ?? '').toLowerCase();
    if (SUCCEEDED.has(state)) return { status: 'SUCCEEDED' };
    if (FAILED.has(state)) return { status: 'FAILED', ...(body?.error?.code ? { code: body.error.code } : {}), ...(body?.error?.message ? { message: body.error.message } : {}) };
    return { status: 'RUNNING' };
  }

  /**
   * A URL the platform handed back (Operation-Location, nextLink), checked to be on the API's own
   * host (the token is never sent elsewhere), with the api-version added when it lacks one.
   */
  sameHost(location: string): string {
    const base = new URL(this.apiUrl);
    const url = new URL(location, base);
    if (url.host !== base.host || url.protocol !== base.protocol) throw new Error(`The platform pointed to ${url.protocol}//${url.host}, not ${base.host}; not followed.`);
    if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', WEBSITES_API_VERSION);
    return url.toString();
  }
}
