// The fake Dataverse Web API (v9.2) of each environment, under its instance URL (/orgs/<environment>):
// systemusers with their security roles (systemuserroles_association), RetrieveProvisionedLanguages(),
// organizations (the base language) and solutions filtered by unique name, in OData's JSON shapes.
// A caller must hold a delegated token for the environment with user_impersonation and be a user
// of the organization (here: hold a role in it), as Dataverse requires; errors are Dataverse's
// { error: { code: "0x…", message } }. throttle() makes it answer 429 with Retry-After.
import { randomBytes } from 'node:crypto';
import { uniqueNameOf } from '../../../platform/powerplatform/solutions.ts';
import { type FakeAnswer, type FakeContext, FakeReject, type FakeRequest, type FakeState, jsonError, type Route } from './protocol.ts';
import type { FakeEnvironment } from './tenant.ts';

const API = '/api/data/v9.2';

export function dataverseRoutes(ctx: FakeContext): Route[] {
  const base = `^/orgs/(?<env>[^/]+)${API.replace(/\./g, '\\.')}`;
  return [
    { method: 'GET', path: new RegExp(`${base}/systemusers$`), handle: (req) => withEnvironment(ctx, req, (env) => systemUsers(ctx, env, req)) },
    { method: 'GET', path: new RegExp(`${base}/RetrieveProvisionedLanguages\\(\\)$`), handle: (req) => withEnvironment(ctx, req, (env) => languages(env)) },
    { method: 'GET', path: new RegExp(`${base}/organizations$`), handle: (req) => withEnvironment(ctx, req, (env) => organizations(env)) },
    { method: 'GET', path: new RegExp(`${base}/solutions$`), handle: (req) => withEnvironment(ctx, req, (env) => solutions(env, req)) },
  ];
}

/** Dataverse's service protection answer: 429 with Retry-After in seconds, or as an HTTP date. */
export function throttleDataverse(state: FakeState, retryAfter: number | Date, times = 1): void {
  const value = typeof retryAfter === 'number' ? String(retryAfter) : retryAfter.toUTCString();
  state.faults.push({
    pathIncludes: API,
    times,
    answer: {
      status: 429,
      headers: { 'retry-after': value },
      json: { error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } },
    },
  });
}

function withEnvironment(ctx: FakeContext, req: FakeRequest, answer: (env: FakeEnvironment) => FakeAnswer): FakeAnswer {
  const env = ctx.state.tenant.environments.find((e) => e.name === req.params.env);
  if (!env) return { status: 404, text: 'Not Found' };
  const token = ctx.authorize(req, env.instanceUrl);
  if (token.kind === 'app' || !token.scopes.includes('user_impersonation')) {
    throw new FakeReject(jsonError(403, '0x80072560', 'The token lacks the user_impersonation permission of Dynamics CRM, or its principal is not a user of the organization.'));
  }
  if (!isMember(ctx, env, token.userId)) {
    throw new FakeReject(jsonError(403, '0x80072560', `The user is not a member of the organization ${env.displayName}.`));
  }
  return answer(env);
}

const excluded = new WeakMap<FakeState, Set<string>>();

/** Takes a user out of an environment's organization (as a security group on the environment does). */
export function excludeFromOrganization(state: FakeState, environment: string, userId: string): void {
  const set = excluded.get(state) ?? new Set<string>();
  set.add(`${environment}/${userId}`);
  excluded.set(state, set);
}

/**
 * A user of the organization: one holding a role there, or a tenant administrator (Global
 * Administrators reach every environment's Dataverse), unless taken out.
 */
function isMember(ctx: FakeContext, env: FakeEnvironment, userId: string | undefined): boolean {
  if (!userId || excluded.get(ctx.state)?.has(`${env.name}/${userId}`)) return false;
  const admin = ctx.state.tenant.users.some((u) => u.id === userId && u.globalAdministrator);
  return admin || ctx.state.tenant.roles.some((r) => r.environment === env.name && r.userId === userId);
}

function context(env: FakeEnvironment, fragment: string): string {
  return `${env.instanceUrl}${API}/$metadata#${fragment}`;
}

function etag(): string {
  return `W/"${Number.parseInt(randomBytes(3).toString('hex'), 16)}"`;
}

/** systemusers, optionally narrowed to an Entra object id or to holders of some roles, with their roles expanded. */
function systemUsers(ctx: FakeContext, env: FakeEnvironment, req: FakeRequest): FakeAnswer {
  const filter = req.url.searchParams.get('$filter') ?? '';
  const expand = req.url.searchParams.get('$expand') ?? '';
  if (expand && !/^systemuserroles_association(\(\$select=name(,roleid)?\))?$/.test(expand))
    return badQuery(`Could not find a property named '${expand}' on type 'Microsoft.Dynamics.CRM.systemuser'.`);
  const byObject = /^azureactivedirectoryobjectid eq '?([^' ]+)'?$/.exec(filter);
  const roleNames = [...filter.matchAll(/r\/name eq '((?:[^']|'')+)'/g)].map((m) => (m[1] as string).replace(/''/g, "'"));
  if (filter && !byObject && roleNames.length === 0) return badQuery(`The query parameter $filter '${filter}' is not supported by this fake.`);
  const holders = new Map<string, string[]>();
  for (const role of ctx.state.tenant.roles.filter((r) => r.environment === env.name)) holders.set(role.userId, [...(holders.get(role.userId) ?? []), role.role]);
  const value = [...holders.entries()]
    .filter(([userId, roles]) => (!byObject || byObject[1] === userId) && (roleNames.length === 0 || roles.some((r) => roleNames.includes(r))))
    .map(([userId, roles]) => {
      const user = ctx.state.tenant.users.find((u) => u.id === userId);
      return {
        '@odata.etag': etag(),
        systemuserid: `su-${env.name}-${userId}`,
        azureactivedirectoryobjectid: userId,
        fullname: user?.displayName ?? userId,
        ...(expand ? { systemuserroles_association: roles.map((name) => ({ '@odata.etag': etag(), name, roleid: `role-${env.name}-${name.replace(/\s/g, '')}` })) } : {}),
      };
    });
  return { status: 200, json: { '@odata.context': context(env, 'systemusers(azureactivedirectoryobjectid,fullname,systemuserroles_association(name))'), value } };
}

function badQuery(message: string): FakeAnswer {
  return jsonError(400, '0x80060888', message);
}

function languages(env: FakeEnvironment): FakeAnswer {
  return {
    status: 200,
    json: { '@odata.context': context(env, 'Microsoft.Dynamics.CRM.RetrieveProvisionedLanguagesResponse'), RetrieveProvisionedLanguages: [...env.languages] },
  };
}

function organizations(env: FakeEnvironment): FakeAnswer {
  return {
    status: 200,
    json: { '@odata.context': context(env, 'organizations(languagecode)'), value: [{ '@odata.etag': etag(), organizationid: env.organizationId, languagecode: env.baseLanguage }] },
  };
}

/** solutions?$filter=uniquename eq 'A' or uniquename eq 'B' (case-insensitive, as Dataverse compares). */
function solutions(env: FakeEnvironment, req: FakeRequest): FakeAnswer {
  const filter = req.url.searchParams.get('$filter') ?? '';
  const wanted = [...filter.matchAll(/uniquename eq '((?:[^']|'')+)'/g)].map((m) => (m[1] as string).replace(/''/g, "'").toLowerCase());
  if (filter && wanted.length === 0) return badQuery(`The query parameter $filter '${filter}' is not supported by this fake.`);
  const installed = env.solutions.map((name) => ({ name, uniquename: uniqueNameOf(name) ?? name.replace(/\s/g, '') }));
  const value = installed
    .filter((s) => wanted.length === 0 || wanted.includes(s.uniquename.toLowerCase()))
    .map((s) => ({ '@odata.etag': etag(), solutionid: `sol-${env.name}-${s.uniquename}`, uniquename: s.uniquename, friendlyname: s.name, version: '9.2.0.1' }));
  return { status: 200, json: { '@odata.context': context(env, 'solutions(uniquename,friendlyname,version)'), value } };
}
