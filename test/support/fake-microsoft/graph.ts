// The fake Microsoft Graph (v1.0): users ($filter on id with `in` — at most 15 values, as Graph
// allows by default — or on mail/userPrincipalName with eq; $select), the directory role
// assignments of a role definition (Global Administrator: 62e90394-…), and JSON $batch of at most 20
// requests. Permissions are checked on the token as Graph does (403 Authorization_RequestDenied);
// errors are Graph's { error: { code, message, innerError } }.
import { randomUUID } from 'node:crypto';
import { type FakeAnswer, type FakeContext, FakeReject, type FakeRequest, type Route } from './protocol.ts';
import type { FakeUser } from './tenant.ts';

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
const USER_READ = ['User.Read.All', 'User.ReadBasic.All', 'Directory.Read.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];
const ROLES_READ = ['RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'Directory.Read.All', 'RoleManagement.ReadWrite.Directory'];

export const graphSettings = { pageSize: 100 };

export function graphRoutes(ctx: FakeContext): Route[] {
  return [
    { method: 'GET', path: /^\/graph\/v1\.0\/users$/, handle: (req) => users(ctx, req) },
    { method: 'GET', path: /^\/graph\/v1\.0\/roleManagement\/directory\/roleAssignments$/, handle: (req) => roleAssignments(ctx, req) },
    { method: 'POST', path: /^\/graph\/v1\.0\/\$batch$/, handle: (req) => batch(ctx, req) },
  ];
}

function graphError(status: number, code: string, message: string): FakeAnswer {
  return { status, json: { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } } };
}

function requirePermission(ctx: FakeContext, req: FakeRequest, anyOf: readonly string[]): void {
  const token = ctx.authorize(req, `${ctx.url}/graph`);
  if (!token.scopes.some((s) => anyOf.includes(s))) throw new FakeReject(graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'));
}

/** The values of an OData string list: ('a','b''c') → a, b'c. */
function stringList(text: string): string[] {
  return [...text.matchAll(/'((?:[^']|'')*)'/g)].map((m) => (m[1] as string).replace(/''/g, "'"));
}

function users(ctx: FakeContext, req: FakeRequest): FakeAnswer {
  requirePermission(ctx, req, USER_READ);
  const filter = req.url.searchParams.get('$filter') ?? '';
  let matches: FakeUser[];
  const idIn = /^id in \((.*)\)$/.exec(filter);
  const byMail = /^(mail|userPrincipalName) eq '((?:[^']|'')*)'( or (mail|userPrincipalName) eq '((?:[^']|'')*)')?$/.exec(filter);
  if (idIn) {
    const ids = stringList(idIn[1] as string);
    if (ids.length > 15)
      return graphError(400, 'Request_UnsupportedQuery', `Too many child clauses specified in search filter expression containing 'OR' operators: ${ids.length}. Max allowed: 15.`);
    matches = ctx.state.tenant.users.filter((u) => ids.includes(u.id));
  } else if (byMail) {
    const wanted = stringList(filter).map((v) => v.toLowerCase());
    matches = ctx.state.tenant.users.filter((u) => wanted.includes(u.mail.toLowerCase()) || wanted.includes(u.userPrincipalName.toLowerCase()));
  } else if (!filter) matches = ctx.state.tenant.users;
  else return graphError(400, 'BadRequest', `Invalid filter clause: the fake does not read '${filter}'.`);
  const select = (req.url.searchParams.get('$select') ?? 'id,displayName,mail,userPrincipalName').split(',').map((s) => s.trim());
  const value = matches.map((u) => Object.fromEntries(['id', ...select].map((field) => [field, (u as unknown as Record<string, unknown>)[field] ?? null])));
  return { status: 200, json: { '@odata.context': `${ctx.url}/graph/v1.0/$metadata#users(${select.join(',')})`, value } };
}

function roleAssignments(ctx: FakeContext, req: FakeRequest): FakeAnswer {
  requirePermission(ctx, req, ROLES_READ);
  const filter = req.url.searchParams.get('$filter') ?? '';
  const byRole = /^roleDefinitionId eq '([0-9a-f-]+)'$/.exec(filter);
  if (!byRole) return graphError(400, 'BadRequest', `Invalid filter clause: the fake reads only roleDefinitionId eq '…' (got '${filter}').`);
  const holders = byRole[1] === GLOBAL_ADMINISTRATOR ? ctx.state.tenant.users.filter((u) => u.globalAdministrator) : [];
  const all = holders.map((u) => ({ id: `ra-${u.id}`, principalId: u.id, roleDefinitionId: byRole[1], directoryScopeId: '/' }));
  const skip = Number(req.url.searchParams.get('$skiptoken') ?? '0');
  const next = skip + graphSettings.pageSize < all.length ? new URL(req.url.pathname + req.url.search, ctx.url) : undefined;
  next?.searchParams.set('$skiptoken', String(skip + graphSettings.pageSize));
  return {
    status: 200,
    json: {
      '@odata.context': `${ctx.url}/graph/v1.0/$metadata#roleManagement/directory/roleAssignments`,
      value: all.slice(skip, skip + graphSettings.pageSize),
      ...(next ? { '@odata.nextLink': next.toString() } : {}),
    },
  };
}

interface BatchRequest {
  id: string;
  method: string;
  url: string;
}

async function batch(ctx: FakeContext, req: FakeRequest): Promise<FakeAnswer> {
  const parsed = JSON.parse(req.body.toString('utf8') || '{}') as { requests?: BatchRequest[] };
  const requests = parsed.requests ?? [];
  if (requests.length === 0) return graphError(400, 'BadRequest', 'Invalid batch payload format.');
  if (requests.length > 20) return graphError(400, 'BadRequest', 'Invalid batch payload format: the number of requests exceeds the limit of 20.');
  const routes = graphRoutes(ctx).filter((r) => r.method === 'GET');
  const responses = await Promise.all(
    requests.map(async (one) => {
      const url = new URL(`/graph/v1.0${one.url.startsWith('/') ? '' : '/'}${one.url}`, ctx.url);
      const route = routes.find((r) => r.method === one.method && r.path.test(url.pathname));
      let answer: FakeAnswer = graphError(400, 'BadRequest', `Unsupported request in a batch: ${one.method} ${one.url}`);
      try {
        const fault = partFault(ctx, one.method, url.pathname);
        if (fault) answer = fault;
        else if (route) answer = await route.handle({ method: one.method, url, headers: req.headers, body: Buffer.alloc(0), params: {} });
      } catch (error) {
        if (!(error instanceof FakeReject)) throw error;
        answer = error.answer;
      }
      if ('drop' in answer) throw new Error('a batch part cannot drop the connection');
      return { id: one.id, status: answer.status, headers: { 'Content-Type': 'application/json', ...answer.headers }, body: answer.json };
    }),
  );
  return { status: 200, json: { responses } };
}

/** A fault set for a request inside a batch (Graph throttles the parts of a batch one by one). */
function partFault(ctx: FakeContext, method: string, path: string): FakeAnswer | undefined {
  const index = ctx.state.faults.findIndex((f) => (!f.method || f.method === method) && path.includes(f.pathIncludes) && f.answer);
  const fault = ctx.state.faults[index];
  if (!fault?.answer) return undefined;
  fault.times = (fault.times ?? 1) - 1;
  if (fault.times <= 0) ctx.state.faults.splice(index, 1);
  return fault.answer;
}
