// Several replicas of the product (real `node --import tsx app/main.ts` processes) on one PostgreSQL
// database: started together, killed with SIGKILL and started again one at a time, and called over
// GraphQL through whichever of them is up. Also what the replica drill reads back from the database:
// a record of every lease claimed (kept by triggers the drill adds), and Slack's channel held against
// the outbox.
import pg from 'pg';
import type { SlackMessage } from './fake-slack.ts';
import { type Child, freePort, runScript, waitForReady } from './process.ts';
import { sleep } from './wait.ts';
import type { WireJson } from './wire-json.ts';

/** One replica's slot: the process now running in it (if any) and every earlier one's output. */
interface Slot {
  index: number;
  child: Child | undefined;
  url: string | undefined;
  /** False from the moment it is chosen to be killed until it answers /ready again. */
  up: boolean;
  incarnations: Array<{ pid: number | undefined; output: () => string }>;
}

export class ReplicaSet {
  private readonly slots: Slot[];

  /** `program`: what each replica runs, app/main.ts through tsx or the bundle of it that `npm start` runs. */
  constructor(
    readonly size: number,
    private readonly env: Record<string, string>,
    private readonly program = 'app/main.ts',
  ) {
    this.slots = Array.from({ length: size }, (_, index) => ({ index, child: undefined, url: undefined, up: false, incarnations: [] }));
  }

  /** Starts every replica at the same moment (on a new database: each races to migrate and seed it). */
  async startAll(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.start(slot.index)));
  }

  /** Starts replica `index` on a free port and waits until it answers /ready. */
  async start(index: number): Promise<void> {
    const slot = this.slot(index);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = runScript(this.program, [], { HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...this.env, PORT: String(port) });
    slot.child = child;
    slot.url = url;
    slot.incarnations.push({ pid: child.process.pid, output: () => child.output() });
    await waitForReady(url, child, 60_000);
    slot.up = true;
  }

  /** SIGKILL, as a crash or an OOM killer would: no shutdown runs. Resolves once the process is gone. */
  async kill(index: number): Promise<void> {
    const slot = this.slot(index);
    slot.up = false;
    const child = slot.child;
    if (!child) return;
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill('SIGKILL');
      await child.exited;
    }
    slot.child = undefined;
    slot.url = undefined;
  }

  /** Stops every replica still running: SIGTERM (a clean shutdown), SIGKILL if it lingers. Answers their exit codes. */
  async stopAll(): Promise<Array<number | null>> {
    return Promise.all(
      this.slots.map(async (slot) => {
        const child = slot.child;
        slot.up = false;
        if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return child?.process.exitCode ?? null;
        child.process.kill('SIGTERM');
        const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
        const code = await child.exited;
        clearTimeout(timer);
        return code;
      }),
    );
  }

  /** The URLs of the replicas up now. */
  upUrls(): string[] {
    return this.slots.filter((s) => s.up && s.url).map((s) => s.url as string);
  }

  /** A replica that is up, chosen at random. */
  anyUrl(): string | undefined {
    const urls = this.upUrls();
    return urls[Math.floor(Math.random() * urls.length)];
  }

  url(index: number): string {
    const url = this.slot(index).url;
    if (!url) throw new Error(`replica ${index} is not running`);
    return url;
  }

  /** Which replica (slot) a process id ran in, for lease owners (`host:pid:…`). */
  replicaOfPid(pid: number): number | undefined {
    return this.slots.find((s) => s.incarnations.some((i) => i.pid === pid))?.index;
  }

  /** Processes started so far, the first start of each replica included. */
  get starts(): number {
    return this.slots.reduce((n, s) => n + s.incarnations.length, 0);
  }

  /** Log lines at error or fatal level, of every process that ran in the set. */
  errorLines(): string[] {
    return this.outputs()
      .flatMap((o) => o.text.split('\n').map((line) => `[replica ${o.replica}] ${line}`))
      .filter((line) => /"level":(50|60)/.test(line));
  }

  outputs(): Array<{ replica: number; pid: number | undefined; text: string }> {
    return this.slots.flatMap((s) => s.incarnations.map((i) => ({ replica: s.index, pid: i.pid, text: i.output() })));
  }

  private slot(index: number): Slot {
    const slot = this.slots[index];
    if (!slot) throw new Error(`no replica ${index}`);
    return slot;
  }
}

export interface Chaos {
  /** Ends the loop after the restart under way; answers how many kills (each followed by a restart) it made. */
  stop(): Promise<{ kills: number; restarts: number; downMs: number[] }>;
  readonly kills: number;
}

/**
 * Kills a replica chosen at random with SIGKILL every `minMs`–`maxMs`, and starts it again at once;
 * one replica at a time is down, so the others keep serving.
 */
export function killLoop(set: ReplicaSet, { minMs = 1_000, maxMs = 2_000 } = {}): Chaos {
  let stopped = false;
  let kills = 0;
  let restarts = 0;
  const downMs: number[] = [];
  const loop = (async () => {
    while (!stopped) {
      await sleep(minMs + Math.random() * (maxMs - minMs));
      if (stopped) break;
      const index = Math.floor(Math.random() * set.size);
      const downAt = Date.now();
      await set.kill(index);
      kills += 1;
      await set.start(index);
      restarts += 1;
      downMs.push(Date.now() - downAt);
    }
  })();
  return {
    get kills() {
      return kills;
    },
    async stop() {
      stopped = true;
      await loop;
      return { kills, restarts, downMs };
    },
  };
}

export type GqlAnswer = { data?: Record<string, WireJson> | null; errors?: Array<{ message: string }> };

/** A GraphQL answer and whether an earlier try of the same call may have been carried out (its answer was lost). */
export interface ReplicaAnswer {
  body: GqlAnswer;
  /** A try reached a replica that died before answering: the operation may have run there. */
  uncertain: boolean;
  url: string;
  /** Tries that found no replica to answer (refused, reset, cut short) before this answer. */
  failedTries: number;
}

/**
 * Calls GraphQL on a replica that is up, as ops tooling behind a load balancer would: when the replica
 * dies before answering (refused, reset), the call goes again to another one.
 */
export async function callAnyReplica(set: ReplicaSet, token: string, query: string, variables: Record<string, unknown>, tries = 40): Promise<ReplicaAnswer> {
  let uncertain = false;
  let lastError: unknown;
  let failedTries = 0;
  for (let i = 0; i < tries; i++) {
    const url = set.anyUrl();
    if (!url) {
      await sleep(100);
      continue;
    }
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await response.text();
      // A proxy would answer 502 for a dead upstream; the replica itself answers JSON.
      return { body: JSON.parse(text) as GqlAnswer, uncertain, url, failedTries };
    } catch (error) {
      lastError = error;
      failedTries += 1;
      // Refused: nothing reached it. Reset or cut mid-answer: it may have run.
      if (!/ECONNREFUSED/.test(String((error as { cause?: unknown }).cause ?? error))) uncertain = true;
      await sleep(50);
    }
  }
  throw new Error(`no replica answered in ${tries} tries: ${String(lastError)}`);
}

// ---- the database, read as an operator would ----

/** A pool on the drill's database, for reading it back. */
export function readerPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  return pool;
}

export async function query<T>(pool: pg.Pool, text: string, values: unknown[] = []): Promise<T[]> {
  return (await pool.query(text, values)).rows as T[];
}

/**
 * Keeps a record of every lease taken on `tables` (their lease_owner set to another owner), with the
 * lease it replaced and the database's clock at the claim. Installed by the drill, not the product.
 */
export async function recordClaims(pool: pg.Pool, tables: Array<{ table: string; key: string }>): Promise<void> {
  await pool.query(`
    create table drill_claims (
      id bigserial primary key, tbl text not null, row_id bigint not null, owner text not null,
      previous_owner text, previous_until bigint, claimed_at bigint not null, lease_until bigint
    );
    create function drill_record_claim() returns trigger language plpgsql as $$
    begin
      if new.lease_owner is not null and new.lease_owner is distinct from old.lease_owner then
        insert into drill_claims (tbl, row_id, owner, previous_owner, previous_until, claimed_at, lease_until)
        values (tg_table_name, (to_jsonb(new) ->> tg_argv[0])::bigint, new.lease_owner, old.lease_owner, old.lease_until,
                (extract(epoch from clock_timestamp()) * 1000)::bigint, new.lease_until);
      end if;
      return new;
    end $$;
  `);
  for (const { table, key } of tables) {
    await pool.query(`create trigger drill_claims_${table} after update of lease_owner on ${table} for each row execute function drill_record_claim('${key}')`);
  }
}

export interface Claim {
  tbl: string;
  row_id: number;
  owner: string;
  previous_owner: string | null;
  previous_until: number | null;
  claimed_at: number;
}

/** Claims taken while another owner's lease on the row still ran: two workers on one row at once. */
export async function overlappingClaims(pool: pg.Pool): Promise<Claim[]> {
  return query<Claim>(
    pool,
    `select tbl, row_id::int, owner, previous_owner, previous_until::float8 as previous_until, claimed_at::float8 as claimed_at from drill_claims
     where previous_owner is not null and previous_owner <> owner and previous_until > claimed_at order by id`,
  );
}

/** Claims of each table by the process that took them (the pid in the lease owner `host:pid:…`). */
export async function claimsByPid(pool: pg.Pool, table: string): Promise<Map<number, number>> {
  const rows = await query<{ owner: string; n: number }>(pool, 'select owner, count(*)::int as n from drill_claims where tbl = $1 group by owner', [table]);
  const byPid = new Map<number, number>();
  for (const { owner, n } of rows) {
    const pid = Number(owner.split(':').at(-2));
    byPid.set(pid, (byPid.get(pid) ?? 0) + n);
  }
  return byPid;
}

// ---- Slack against the outbox ----

export interface OutboxEvent {
  id: number;
  portalId: number;
  type: string;
  alert: boolean;
}

const eventIdOf = (m: SlackMessage) => m.metadata?.event_payload.event_id as number | undefined;

/**
 * What Slack delivery should have posted for the events in the outbox, against what the channel got:
 * one status message per portal (top level, no metadata, `Name…: status`), one thread reply per event
 * under it (metadata part `thread`), one alert per event marked alert (metadata part `alert`), each
 * portal's replies in event order. Answers every discrepancy found, by kind; all empty when right.
 */
export function slackAgainstOutbox(messages: readonly SlackMessage[], channel: string, events: readonly OutboxEvent[], portals: ReadonlyArray<{ id: number; name: string }>) {
  const inChannel = messages.filter((m) => m.channel === channel);
  const portalOfEvent = new Map(events.map((e) => [e.id, e.portalId]));
  const count = (part: string) => {
    const posted = new Map<number, number>();
    for (const m of inChannel) if (m.metadata?.event_payload.part === part) posted.set(eventIdOf(m) as number, (posted.get(eventIdOf(m) as number) ?? 0) + 1);
    return posted;
  };
  const replies = count('thread');
  const alerts = count('alert');
  const statusMessages = inChannel.filter((m) => !m.thread_ts && !m.metadata);
  const byName = new Map(portals.map((p) => [p.name, p.id]));
  const statusOf = new Map<number, SlackMessage[]>();
  const strangers: string[] = [];
  for (const m of statusMessages) {
    const id = byName.get(/^(.+?)(?:-Configuring|-Provisioning Failed)?: /.exec(m.text ?? '')?.[1] ?? '');
    if (id === undefined) strangers.push(m.text ?? '');
    else statusOf.set(id, [...(statusOf.get(id) ?? []), m]);
  }
  const threadOf = new Map<number, string>([...statusOf].map(([id, list]) => [id, list[0]?.ts as string]));
  const outOfThread: number[] = [];
  const outOfOrder = new Set<number>();
  const lastPosted = new Map<number, number>();
  for (const m of inChannel.filter((x) => x.metadata?.event_payload.part === 'thread')) {
    const id = eventIdOf(m) as number;
    const portalId = portalOfEvent.get(id);
    if (portalId === undefined) continue;
    if (m.thread_ts !== threadOf.get(portalId)) outOfThread.push(id);
    if ((lastPosted.get(portalId) ?? 0) > id) outOfOrder.add(portalId);
    lastPosted.set(portalId, id);
  }
  return {
    repliesTwice: [...replies].filter(([, n]) => n > 1).map(([id, n]) => ({ eventId: id, posts: n })),
    repliesMissing: events.filter((e) => !replies.has(e.id)).map((e) => ({ eventId: e.id, portalId: e.portalId, type: e.type })),
    repliesForNoEvent: [...replies.keys()].filter((id) => !portalOfEvent.has(id)),
    alertsTwice: [...alerts].filter(([, n]) => n > 1).map(([id]) => id),
    alertsMissing: events.filter((e) => e.alert && !alerts.has(e.id)).map((e) => e.id),
    alertsUncalledFor: [...alerts.keys()].filter((id) => !events.find((e) => e.id === id)?.alert),
    statusMessagesTwice: [...statusOf].filter(([, list]) => list.length > 1).map(([id, list]) => ({ portalId: id, ts: list.map((m) => m.ts) })),
    statusMessagesMissing: portals.filter((p) => !statusOf.has(p.id)).map((p) => p.id),
    topLevelStrangers: strangers,
    repliesOutOfThread: outOfThread,
    portalsOutOfOrder: [...outOfOrder],
  };
}
