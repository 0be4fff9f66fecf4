// What the fake's server and its API modules share: requests and answers, routes, tokens, faults,
// the context each module gets. A module imports this file, never server.ts (which imports them).
import type { IncomingHttpHeaders } from 'node:http';
import type { FakeTenant } from './tenant.ts';
import type { FakeTls } from './tls.ts';

export interface FakeRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The named groups of the route's pattern. */
  params: Record<string, string>;
}

export type FakeAnswer = { status: number; headers?: Record<string, string>; json?: unknown; text?: string; body?: Buffer } | { drop: true };

export interface Route {
  method: string;
  /** Matched against the path (no query); named groups become params. */
  path: RegExp;
  handle(req: FakeRequest): FakeAnswer | Promise<FakeAnswer>;
}

export interface IssuedToken {
  token: string;
  /** The resource the token is for, e.g. https://api.powerplatform.com */
  audience: string;
  /** Delegated (a signed-in user) or app-only (a service principal). */
  kind: 'delegated' | 'app';
  /** The signed-in user's object id, for delegated tokens. */
  userId?: string;
  scopes: string[];
  expiresAt: number;
}

export interface Fault {
  method?: string;
  /** The fault applies to requests whose path (no query) contains this. */
  pathIncludes: string;
  /** How many requests it hits; default 1. */
  times?: number;
  /** An answer given instead of the real one (the work is not done)... */
  answer?: { status: number; headers?: Record<string, string>; json?: unknown };
  /** ...or the work is done and the connection dropped before the answer (a lost answer). */
  loseAnswer?: boolean;
}

export interface FakeState {
  tenant: FakeTenant;
  tokens: Map<string, IssuedToken>;
  issueToken(token: Omit<IssuedToken, 'token' | 'expiresAt' | 'scopes'> & { scopes?: string[]; lifetimeMs?: number }): string;
  faults: Fault[];
  /** Every request seen, method and path, for tests that count calls. */
  requests: Array<{ method: string; path: string; status: number }>;
}

export interface FakeContext {
  /** https://127.0.0.1:<port> */
  url: string;
  state: FakeState;
  /** The token of a request for `audience`, or a thrown 401/403 answer as the real service gives. */
  authorize(req: FakeRequest, audience: string, options?: { delegatedOnly?: boolean }): IssuedToken;
}

/** Thrown by a handler to answer at once (authorize throws it). */
export class FakeReject extends Error {
  constructor(readonly answer: FakeAnswer) {
    super('rejected');
  }
}

export function jsonError(status: number, code: string, message: string, headers: Record<string, string> = {}): FakeAnswer {
  return { status, headers, json: { error: { code, message } } };
}

export interface FakeMicrosoft {
  url: string;
  tls: FakeTls;
  state: FakeState;
  ctx: FakeContext;
  /** The product's endpoint variables and NODE_EXTRA_CA_CERTS, for a child process. */
  env(): Record<string, string>;
  stop(): Promise<void>;
}
