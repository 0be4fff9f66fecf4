// A fake of Microsoft's side (Entra ID, Graph, BAP, Dataverse, the Power Pages websites API) over
// HTTPS on 127.0.0.1, one OS-picked port for all of them, each under its own path prefix. Every
// module checks bearer tokens the way the real service does (ctx.authorize); tokens live in
// state.tokens, issued by the fake token endpoint or by tests (state.issueToken). Faults are switched
// on per request pattern: a status with or without Retry-After, or an answer lost after the work
// was done (the connection drops).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applicationPackageRoutes } from './application-packages.ts';
import { bapRoutes } from './bap.ts';
import { dataverseRoutes } from './dataverse.ts';
import { entraRoutes } from './entra.ts';
import { graphRoutes } from './graph.ts';
import { type FakeAnswer, type FakeContext, type FakeMicrosoft, FakeReject, type FakeRequest, type FakeState, type Fault, type IssuedToken, jsonError, type Route } from './protocol.ts';
import { type FakeTenant, fakeTenant } from './tenant.ts';
import { makeFakeTls } from './tls.ts';
import { websitesRoutes } from './websites.ts';

export * from './protocol.ts';

/** The route modules; each takes the context and gives its routes. */
const MODULES: Array<(ctx: FakeContext) => Route[]> = [websitesRoutes, applicationPackageRoutes, entraRoutes, graphRoutes, bapRoutes, dataverseRoutes];

export async function startFakeMicrosoft(options: { seedPath?: string } = {}): Promise<FakeMicrosoft> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-microsoft-'));
  const tls = makeFakeTls(dir);
  const sockets = new Set<Socket>();
  let routes: Route[] = [];
  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => void dispatch(routes, state, req, res));
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state = newState(fakeTenant(url, options.seedPath));
  const ctx: FakeContext = { url, state, authorize: (req, audience, opts) => authorize(state, req, audience, opts) };
  routes = MODULES.flatMap((make) => make(ctx));
  return {
    url,
    tls,
    state,
    ctx,
    env: () => ({
      NODE_EXTRA_CA_CERTS: tls.caPath,
      ENTRA_AUTHORITY_HOST: `${url}/entra`,
      POWERPLATFORM_API_URL: `${url}/powerplatform-api`,
      BAP_API_URL: `${url}/bap`,
      GRAPH_API_URL: `${url}/graph`,
      POWERPLATFORM_TENANT_ID: state.tenant.tenantId,
    }),
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function newState(tenant: FakeTenant): FakeState {
  const tokens = new Map<string, IssuedToken>();
  return {
    tenant,
    tokens,
    faults: [],
    requests: [],
    issueToken({ lifetimeMs = 3_600_000, scopes = [], ...token }) {
      const value = `fake.${randomBytes(24).toString('base64url')}`;
      tokens.set(value, { ...token, scopes, token: value, expiresAt: Date.now() + lifetimeMs });
      return value;
    },
  };
}

function authorize(state: FakeState, req: FakeRequest, audience: string, options: { delegatedOnly?: boolean } = {}): IssuedToken {
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? state.tokens.get(header.slice(7)) : undefined;
  if (!token || token.expiresAt <= Date.now()) {
    throw new FakeReject(jsonError(401, 'InvalidAuthenticationToken', 'The access token is missing, invalid or expired.', { 'www-authenticate': 'Bearer' }));
  }
  if (token.audience !== audience) {
    throw new FakeReject(jsonError(401, 'InvalidAuthenticationToken', `The access token's audience ${token.audience} is not ${audience}.`));
  }
  if (options.delegatedOnly && token.kind !== 'delegated') {
    throw new FakeReject(jsonError(403, 'Forbidden', 'This API accepts only a delegated token of a signed-in user; service principal tokens are not supported.'));
  }
  return token;
}

async function dispatch(routes: Route[], state: FakeState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const method = req.method ?? 'GET';
  const fault = takeFault(state, method, url.pathname);
  if (fault?.answer) return send(state, res, method, url, fault.answer);
  let answer: FakeAnswer = jsonError(404, 'NotFound', `No route for ${method} ${url.pathname}.`);
  for (const route of routes) {
    const match = route.method === method ? route.path.exec(url.pathname) : null;
    if (!match) continue;
    try {
      answer = await route.handle({ method, url, headers: req.headers, body: Buffer.concat(chunks), params: { ...match.groups } });
    } catch (error) {
      answer = error instanceof FakeReject ? error.answer : jsonError(500, 'InternalServerError', String(error));
    }
    break;
  }
  send(state, res, method, url, fault?.loseAnswer ? { drop: true } : answer);
}

function takeFault(state: FakeState, method: string, path: string): Fault | undefined {
  const index = state.faults.findIndex((f) => (!f.method || f.method === method) && path.includes(f.pathIncludes));
  const fault = state.faults[index];
  if (!fault) return undefined;
  fault.times = (fault.times ?? 1) - 1;
  if (fault.times <= 0) state.faults.splice(index, 1);
  return fault;
}

function send(state: FakeState, res: ServerResponse, method: string, url: URL, answer: FakeAnswer): void {
  if ('drop' in answer) {
    state.requests.push({ method, path: url.pathname, status: 0 });
    res.socket?.destroy();
    return;
  }
  state.requests.push({ method, path: url.pathname, status: answer.status });
  const body = answer.body ?? (answer.json !== undefined ? Buffer.from(JSON.stringify(answer.json)) : Buffer.from(answer.text ?? ''));
  const type = answer.json !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {};
  res.writeHead(answer.status, { ...type, ...answer.headers, 'content-length': String(body.length) });
  res.end(body);
}
