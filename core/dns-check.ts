// Does `hostname` point (by CNAME, directly or through a chain) at `target` yet? One check, no
// waiting: the caller polls. The answer has three kinds: FOUND, NOT_YET (the records are not what
// they should be, yet) and TRANSIENT (DNS could not be asked: try again later, this is no verdict).
//
// Without configured servers the check asks the authoritative name servers of each name's zone, not
// a recursive resolver: a resolver that has cached "no such name" would keep saying so for the
// negative-caching TTL after the customer has added the record.
import { Resolver } from 'node:dns/promises';

/**
 * Every reason is one statement naming the host name once (no caller prefixes it again), and
 * `pointsTo` is the furthest name the chain was seen to reach when that is not the target.
 */
export type CnameCheck =
  | { state: 'FOUND'; chain: string[] } // the names followed, ending at the target
  | { state: 'NOT_YET'; reason: string; pointsTo?: string } // no such name / no CNAME / CNAME elsewhere
  | { state: 'TRANSIENT'; reason: string; pointsTo?: string }; // timeout, SERVFAIL: try again later

export interface CnameCheckOptions {
  /**
   * "host:port" list (DNS_SERVERS); when absent or empty, the zone's authoritative name servers are
   * asked. An entry Resolver.setServers rejects makes checkCname throw (a configuration error).
   */
  servers?: string[];
  /**
   * Per query, default 3000. Node checks c-ares timeouts on a timer ticking every min(timeout, 1 s),
   * so a query that gets no answer fails after between one and two times this.
   */
  timeoutMs?: number;
  /** CNAME chain length limit (CNAME records followed), default 8. */
  maxDepth?: number;
}

const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_MAX_DEPTH = 8;

/** Names compare case-insensitively and without the trailing dot. */
function normalize(name: string): string {
  return name.trim().replace(/\.+$/, '').toLowerCase();
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeError(err: unknown): string {
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/** What a DNS failure means for the person reading the reason, with the resolver's code to search for. */
function describeFailure(err: unknown): string {
  const code = codeOf(err);
  switch (code) {
    case 'ETIMEOUT':
      return 'the DNS server did not answer in time (ETIMEOUT)';
    case 'ESERVFAIL':
      return 'the DNS server failed to answer (ESERVFAIL)';
    case 'EREFUSED':
      return 'the DNS server refused to answer for it (EREFUSED)';
    case 'ECONNREFUSED':
      return 'the DNS server could not be reached (ECONNREFUSED)';
    default:
      return describeError(err);
  }
}

/** The name does not exist (NXDOMAIN). */
const isNoSuchName = (err: unknown) => codeOf(err) === 'ENOTFOUND';
/** The name exists but has no record of the type asked (NOERROR, empty answer). */
const isNoData = (err: unknown) => codeOf(err) === 'ENODATA';
/**
 * The server asked will not answer for the name (REFUSED): an authoritative server does so for a
 * name outside its zones. For a later link of the chain that is no passing failure: the first
 * hops are known, and asking again gets the same answer.
 */
const isRefused = (err: unknown) => codeOf(err) === 'EREFUSED';

class ZoneNotFound extends Error {
  readonly code = 'ENOTFOUND';
}

/**
 * The addresses of the authoritative name servers of the zone holding `name`, in a form
 * `Resolver.setServers` takes (IPv4 first). Walks up the labels of `name` asking `resolver` (by
 * default the system's) for NS records until a name has some, skipping names that are CNAMEs (a
 * zone apex cannot be one, and a resolver would answer for the CNAME's target instead), then
 * resolves the name servers' host names. Throws the DNS error when a lookup fails other than
 * with "no such name"/"no data" (timeout, SERVFAIL...), an error with code ENOTFOUND when no zone
 * is found at all, and one with code ENOSERVERS when the name servers have no address.
 */
export async function authoritativeServers(name: string, resolver?: Resolver): Promise<string[]> {
  const dns = resolver ?? new Resolver({ timeout: DEFAULT_TIMEOUT_MS, tries: 1 });
  const labels = normalize(name).split('.').filter(Boolean);
  for (let i = 0; i < labels.length; i++) {
    const candidate = labels.slice(i).join('.');
    let nsHosts: string[];
    try {
      nsHosts = await dns.resolveNs(candidate);
    } catch (err) {
      if (isNoSuchName(err) || isNoData(err)) continue;
      throw err;
    }
    if (nsHosts.length === 0) continue;
    if (await hasCname(dns, candidate)) continue;
    return addressesOf(dns, candidate, nsHosts);
  }
  throw new ZoneNotFound(`no DNS zone found for ${normalize(name)}`);
}

async function hasCname(dns: Resolver, name: string): Promise<boolean> {
  try {
    return (await dns.resolveCname(name)).length > 0;
  } catch (err) {
    if (isNoSuchName(err) || isNoData(err)) return false;
    throw err;
  }
}

async function addressesOf(dns: Resolver, zone: string, nsHosts: string[]): Promise<string[]> {
  const hosts = [...new Set(nsHosts.map(normalize))];
  const lookups = await Promise.allSettled([...hosts.map((h) => dns.resolve4(h)), ...hosts.map((h) => dns.resolve6(h))]);
  const servers = new Set<string>(); // IPv4 first: not every host has an IPv6 route
  let failure: unknown;
  for (const lookup of lookups) {
    if (lookup.status === 'fulfilled') {
      for (const ip of lookup.value) servers.add(ip);
    } else if (!isNoSuchName(lookup.reason) && !isNoData(lookup.reason)) {
      failure ??= lookup.reason;
    }
  }
  if (servers.size > 0) return [...servers];
  if (failure !== undefined) throw failure;
  throw Object.assign(new Error(`the name servers of ${zone} (${hosts.join(', ')}) have no address`), {
    code: 'ENOSERVERS',
  });
}

/**
 * Resolvers kept by servers and timeout (undefined servers: the system's), so that a sweep of thousands
 * of checks does not make and drop a resolver (a c-ares channel, with its sockets) for each one. A
 * resolver answers any number of queries at once. The least recently used goes beyond RESOLVERS_KEPT.
 */
const RESOLVERS_KEPT = 64;
const resolvers = new Map<string, Resolver>();

function resolverFor(servers: readonly string[] | undefined, timeoutMs: number): Resolver {
  const key = `${timeoutMs} ${servers?.join(',') ?? 'system'}`;
  let resolver = resolvers.get(key);
  if (resolver) {
    resolvers.delete(key);
  } else {
    resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
    // Throws for an entry it rejects (a configuration error), before the resolver is kept.
    if (servers) resolver.setServers([...servers]);
    if (resolvers.size >= RESOLVERS_KEPT) resolvers.delete(resolvers.keys().next().value as string);
  }
  resolvers.set(key, resolver);
  return resolver;
}

/**
 * Follows the CNAME chain from `hostname`, one CNAME query per name, and says whether it reaches
 * `target`. Never throws for DNS failures: they come back as TRANSIENT.
 */
export async function checkCname(hostname: string, target: string, options: CnameCheckOptions = {}): Promise<CnameCheck> {
  const walk: CnameWalk = { host: normalize(hostname), goal: normalize(target), chain: [normalize(hostname)] };
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const resolverOf = chainResolvers(options);
  if (walk.host === walk.goal) return { state: 'FOUND', chain: walk.chain };
  for (;;) {
    const current = walk.chain[walk.chain.length - 1]!;
    if (walk.chain.length - 1 >= maxDepth) {
      return {
        state: 'NOT_YET',
        reason: `${walk.host} leads through a CNAME chain longer than ${maxDepth} links without reaching ${walk.goal}: ${walk.chain.join(' → ')} → …`,
        pointsTo: current,
      };
    }
    const next = await followLink(walk, current, resolverOf);
    if (typeof next !== 'string') return next;
    if (next === walk.goal) return { state: 'FOUND', chain: [...walk.chain, next] };
    if (walk.chain.includes(next)) return { state: 'NOT_YET', reason: `${walk.host} leads into a CNAME loop: ${[...walk.chain, next].join(' → ')}`, pointsTo: next };
    walk.chain.push(next);
  }
}

/** A CNAME chain being followed: from `host`, looking for `goal`, through the names of `chain` so far. */
interface CnameWalk {
  host: string;
  goal: string;
  chain: string[];
}

/**
 * The resolver to ask about each name of a chain. With configured servers, one resolver for the whole
 * chain; without, each name is asked of its own zone's authoritative servers (the names may be in
 * different zones).
 */
function chainResolvers(options: CnameCheckOptions): (name: string) => Promise<Resolver> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fixed = options.servers && options.servers.length > 0 ? resolverFor(options.servers, timeout) : undefined;
  if (fixed) return async () => fixed;
  const system = resolverFor(undefined, timeout);
  return async (name) => resolverFor(await authoritativeServers(name, system), timeout);
}

/** Where `current` leads (its CNAME, normalized), or the outcome of the check when it leads nowhere to follow. */
async function followLink(walk: CnameWalk, current: string, resolverOf: (name: string) => Promise<Resolver>): Promise<string | CnameCheck> {
  let resolver: Resolver;
  try {
    resolver = await resolverOf(current);
  } catch (err) {
    if (isNoSuchName(err)) {
      return current === walk.host
        ? { state: 'NOT_YET', reason: `${walk.host} does not exist in DNS yet (no such name: no DNS zone holds it)` }
        : pointsElsewhere(walk, current, `, and ${current} does not exist`);
    }
    return unanswered(walk, current, 'name servers', err);
  }
  let records: string[];
  try {
    records = await resolver.resolveCname(current);
  } catch (err) {
    if (isNoSuchName(err)) {
      return current === walk.host
        ? { state: 'NOT_YET', reason: `${walk.host} does not exist in DNS yet (no such name)` }
        : pointsElsewhere(walk, current, `, and ${current} does not exist`);
    }
    if (isNoData(err)) return noCname(walk, current);
    return unanswered(walk, current, 'CNAME', err);
  }
  const next = records[0] === undefined ? undefined : normalize(records[0]);
  return next === undefined || next === '' ? noCname(walk, current) : next;
}

function noCname(walk: CnameWalk, current: string): CnameCheck {
  return current === walk.host ? { state: 'NOT_YET', reason: `${walk.host} has no CNAME record` } : pointsElsewhere(walk, current);
}

/** The chain ends at `last`, which is not the goal. */
function pointsElsewhere(walk: CnameWalk, last: string, why = ''): CnameCheck {
  const via = walk.chain.length > 2 ? ` (via ${walk.chain.slice(1, -1).join(' → ')})` : '';
  return { state: 'NOT_YET', reason: `${walk.host} points to ${last}, not ${walk.goal}${via}${why}`, pointsTo: last };
}

/**
 * A lookup about `current` failed. A refusal past the host itself (a name server that will not say
 * where a name of someone else's leads) ends the chain there; any other failure is transient.
 */
function unanswered(walk: CnameWalk, current: string, what: string, err: unknown): CnameCheck {
  if (isRefused(err) && current !== walk.host) return pointsElsewhere(walk, current, `; where ${current} leads cannot be followed: ${describeFailure(err)}`);
  return current === walk.host
    ? { state: 'TRANSIENT', reason: `${walk.host} could not be checked (looking up its ${what}): ${describeFailure(err)}` }
    : { state: 'TRANSIENT', reason: `${walk.host} points to ${current}, whose ${what} could not be looked up: ${describeFailure(err)}`, pointsTo: current };
}
