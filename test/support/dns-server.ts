// A real (if tiny) authoritative DNS server on a loopback UDP port, for tests. Its records can be
// changed while a test runs, every query is recorded, and it can be told to stop answering
// (the client times out), to answer SERVFAIL, or to answer late. Only what the tests need: A, AAAA, CNAME and NS.
// Told which zones it serves, it refuses (REFUSED) a question for any other name, as an
// authoritative-only server does for names outside its zones.
import { createSocket, type RemoteInfo } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket } from 'dns-packet';

export type DnsMode = 'normal' | 'silent' | 'servfail';

export interface TestDnsServer {
  /** "127.0.0.1:PORT", usable in Node's Resolver.setServers. */
  address: string;
  /** The name has exactly one record: a CNAME to `target` (replaces whatever it had). */
  setCname(name: string, target: string): void;
  /** No record at all for this name (NXDOMAIN). */
  remove(name: string): void;
  /** The name has an A record `ip` and no CNAME (a CNAME query answers NOERROR with no answer). */
  setA(name: string, ip: string): void;
  /** The name has an AAAA record `ip` and no CNAME. */
  setAaaa(name: string, ip: string): void;
  /** The zone `zone` has the NS record(s) `nsHosts` (replacing earlier ones) and no CNAME. */
  setNs(zone: string, nsHosts: string | string[]): void;
  /**
   * Answers only for names in these zones (and the zones themselves), REFUSED for any other name;
   * an empty list (the default) answers for every name.
   */
  serveOnly(zones: string[]): void;
  /**
   * silent = never answers (the client times out); servfail = every answer has rcode SERVFAIL.
   * With `onlyFor`, for questions about that one name only.
   */
  mode(mode: DnsMode, onlyFor?: string): void;
  /** Answers each question `ms` later than it would (0, the default: at once), as a slow server does. */
  delay(ms: number): void;
  /** Every query received, in order: the name as asked and the record type. */
  queries: Array<{ name: string; type: string }>;
  close(): Promise<void>;
}

interface Records {
  cname?: string;
  a: string[];
  aaaa: string[];
  ns: string[];
}

const RCODE_NOERROR = 0;
const RCODE_SERVFAIL = 2;
const RCODE_NXDOMAIN = 3;
const RCODE_NOTIMP = 4;
const RCODE_REFUSED = 5;

/** Names compare case-insensitively, with or without the trailing dot. */
function key(name: string): string {
  return name.trim().replace(/\.+$/, '').toLowerCase();
}

/** The answers are not to be cached: a test changes records between two queries. */
const TTL = 0;

export function startDnsServer(options: { port?: number } = {}): Promise<TestDnsServer> {
  const records = new Map<string, Records>();
  const queries: Array<{ name: string; type: string }> = [];
  let currentMode: DnsMode = 'normal';
  let delayMs = 0;
  /** Modes for single names (`mode(mode, name)`), over the mode for every name. */
  const nameModes = new Map<string, DnsMode>();
  let zones: string[] = [];
  const served = (name: string) => zones.length === 0 || zones.some((zone) => key(name) === zone || key(name).endsWith(`.${zone}`));
  const socket = createSocket('udp4');

  const entry = (name: string): Records => {
    const k = key(name);
    let r = records.get(k);
    if (!r) {
      r = { a: [], aaaa: [], ns: [] };
      records.set(k, r);
    }
    return r;
  };

  function answersFor(qname: string, qtype: string): { rcode: number; answers: Answer[] } {
    const answers: Answer[] = [];
    let name = qname; // the owner name of the next records, as asked (so the case matches the question)
    const seen = new Set<string>();
    for (;;) {
      // A CNAME out of the zones served ends the answer there: another server answers for the rest.
      if (!served(name)) return { rcode: RCODE_NOERROR, answers };
      const r = records.get(key(name));
      if (!r) {
        // NXDOMAIN for the name asked; a CNAME that leads out of our data ends the answer.
        return { rcode: answers.length === 0 ? RCODE_NXDOMAIN : RCODE_NOERROR, answers };
      }
      if (r.cname !== undefined) {
        answers.push({ type: 'CNAME', name, ttl: TTL, class: 'IN', data: r.cname });
        // A CNAME query gets the CNAME only; other types are followed within our data, as real
        // authoritative servers do (the resolver follows the rest).
        if (qtype === 'CNAME' || seen.has(key(name))) return { rcode: RCODE_NOERROR, answers };
        seen.add(key(name));
        name = r.cname;
        continue;
      }
      const data = qtype === 'A' ? r.a : qtype === 'AAAA' ? r.aaaa : qtype === 'NS' ? r.ns : [];
      for (const d of data) {
        answers.push({ type: qtype as 'A' | 'AAAA' | 'NS', name, ttl: TTL, class: 'IN', data: d });
      }
      return { rcode: RCODE_NOERROR, answers };
    }
  }

  function reply(msg: Buffer, rinfo: RemoteInfo): void {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return; // not DNS: ignore
    }
    if (query.type !== 'query') return;
    const question = query.questions?.[0];
    if (question) queries.push({ name: question.name, type: question.type });
    const mode = (question && nameModes.get(key(question.name))) ?? currentMode;
    if (mode === 'silent') return;

    let rcode = RCODE_NOERROR;
    let answers: Answer[] = [];
    if (mode === 'servfail') rcode = RCODE_SERVFAIL;
    else if (!question || (question.class !== undefined && question.class !== 'IN')) rcode = RCODE_NOTIMP;
    else if (!served(question.name)) rcode = RCODE_REFUSED;
    else ({ rcode, answers } = answersFor(question.name, question.type));

    const flags = dnsPacket.AUTHORITATIVE_ANSWER | (query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) | (rcode & 0xf);
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags,
      questions: query.questions ?? [],
      answers,
    });
    if (delayMs > 0) setTimeout(() => socket.send(response, rinfo.port, rinfo.address), delayMs);
    else socket.send(response, rinfo.port, rinfo.address);
  }

  socket.on('message', (msg, rinfo) => reply(msg, rinfo));

  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, '127.0.0.1', () => {
      socket.off('error', reject);
      socket.on('error', () => {}); // e.g. ICMP port unreachable for a client gone away
      const { port } = socket.address() as AddressInfo;
      let closed: Promise<void> | undefined;
      resolve({
        address: `127.0.0.1:${port}`,
        setCname(name, target) {
          records.set(key(name), { cname: key(target), a: [], aaaa: [], ns: [] });
        },
        remove(name) {
          records.delete(key(name));
        },
        setA(name, ip) {
          const r = entry(name);
          delete r.cname;
          r.a = [ip];
        },
        setAaaa(name, ip) {
          const r = entry(name);
          delete r.cname;
          r.aaaa = [ip];
        },
        setNs(zone, nsHosts) {
          const r = entry(zone);
          delete r.cname;
          r.ns = (Array.isArray(nsHosts) ? nsHosts : [nsHosts]).map(key);
        },
        serveOnly(list) {
          zones = list.map(key);
        },
        mode(mode, onlyFor) {
          if (onlyFor === undefined) currentMode = mode;
          else nameModes.set(key(onlyFor), mode);
        },
        delay(ms) {
          delayMs = ms;
        },
        queries,
        close() {
          closed ??= new Promise<void>((done) => socket.close(() => done()));
          return closed;
        },
      });
    });
  });
}
