import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  eachLimited
} from "./chunk-DV7PBBNW.js";
import {
  PortalQuery,
  domainAlert,
  failureAlert,
  portalCard,
  statusText
} from "./chunk-NZ2V2CA6.js";
import {
  require_dist3 as require_dist
} from "./chunk-D75S2DMK.js";
import {
  and,
  encodeGlobalID,
  eq,
  events,
  gt,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  or,
  portals,
  slackDeliveries,
  slackPosts,
  sql,
  writeTransaction
} from "./chunk-AWEWKH4D.js";
import {
  __toESM
} from "./chunk-VF57VZD3.js";

// jobs/slack-delivery.ts
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
var import_web_api = __toESM(require_dist(), 1);

// db/delivery-store.ts
var UNDELIVERED = or(isNull(slackDeliveries.eventId), sql`${slackDeliveries.state} in ('PENDING', 'SENDING')`);
function pendingEvents(db) {
  return db.select({ event: events, delivery: slackDeliveries, channel: portals.notifyChannel }).from(events).innerJoin(portals, eq(portals.id, events.portalId)).leftJoin(slackDeliveries, eq(slackDeliveries.eventId, events.id));
}
async function dueHeads(db, afterId, at, limit) {
  const heads = db.select({ id: sql`min(${events.id})` }).from(events).leftJoin(slackDeliveries, eq(slackDeliveries.eventId, events.id)).where(and(gt(events.id, afterId), isNotNull(events.portalId), UNDELIVERED)).groupBy(events.portalId);
  return pendingEvents(db).where(
    and(
      inArray(events.id, heads),
      or(isNull(slackDeliveries.nextAttemptAt), lte(slackDeliveries.nextAttemptAt, at)),
      or(isNull(slackDeliveries.leaseUntil), lt(slackDeliveries.leaseUntil, at))
    )
  ).orderBy(events.id).limit(limit);
}
async function nextUndelivered(db, portalId, afterId) {
  const [row] = await pendingEvents(db).where(and(eq(events.portalId, portalId), gt(events.id, afterId), UNDELIVERED)).orderBy(events.id).limit(1);
  return row;
}
async function deliveryBacklog(db, afterId) {
  const [oldest] = await db.select({ id: events.id }).from(events).leftJoin(slackDeliveries, eq(slackDeliveries.eventId, events.id)).where(and(gt(events.id, afterId), isNotNull(events.portalId), UNDELIVERED)).orderBy(events.id).limit(1);
  const [next] = await db.select({ at: sql`min(${slackDeliveries.nextAttemptAt})` }).from(slackDeliveries).where(sql`${slackDeliveries.state} in ('PENDING', 'SENDING')`);
  return { oldest: oldest?.id, nextAttemptAt: next?.at ? new Date(next.at) : void 0 };
}
async function claimDelivery(db, event, owner, at, until) {
  return writeTransaction(db, (tx) => {
    tx.insert(slackDeliveries).values({ eventId: event.id, portalId: event.portalId, state: "PENDING" }).onConflictDoNothing().run();
    return tx.update(slackDeliveries).set({ leaseOwner: owner, leaseUntil: until }).where(
      and(
        eq(slackDeliveries.eventId, event.id),
        sql`${slackDeliveries.state} in ('PENDING', 'SENDING')`,
        or(isNull(slackDeliveries.leaseUntil), lt(slackDeliveries.leaseUntil, at), eq(slackDeliveries.leaseOwner, owner))
      )
    ).returning().get();
  });
}
async function updateDelivery(db, eventId, owner, changes) {
  await db.update(slackDeliveries).set(changes).where(and(eq(slackDeliveries.eventId, eventId), eq(slackDeliveries.leaseOwner, owner)));
}
async function findStatusPost(db, portalId) {
  const [row] = await db.select().from(slackPosts).where(eq(slackPosts.portalId, portalId)).limit(1);
  return row;
}
async function saveStatusPost(db, portalId, channel, statusTs) {
  await db.insert(slackPosts).values({ portalId, channel, statusTs }).onConflictDoUpdate({ target: slackPosts.portalId, set: { channel, statusTs } });
}
async function markStatusPost(db, portalId, stale) {
  await db.update(slackPosts).set({ stale }).where(eq(slackPosts.portalId, portalId));
}
async function staleStatusPosts(db, limit) {
  return db.select().from(slackPosts).where(eq(slackPosts.stale, true)).limit(limit);
}

// jobs/slack-delivery.ts
var DELIVERY_TIMING = { leaseMs: 3e4, backoffMs: 1e3, maxBackoffMs: 15e3, batchSize: 200, idleMs: 1e3 };
var PERMANENT = /* @__PURE__ */ new Set(["channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "account_inactive", "missing_scope", "invalid_blocks", "msg_too_long"]);
var RetryLater = class extends Error {
  constructor(message, afterMs, maySent) {
    super(message);
    this.afterMs = afterMs;
    this.maySent = maySent;
  }
  afterMs;
  maySent;
  /** Set when a post of this event went out before the failure. */
  posted = false;
};
var EVENT_TYPE = "portal_event";
var SlackDelivery = class {
  constructor(deps) {
    this.deps = deps;
  }
  deps;
  owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  watermark = 0;
  timer;
  running;
  again = false;
  stopped = false;
  get timing() {
    return this.deps.timing ?? DELIVERY_TIMING;
  }
  start() {
    this.wake();
  }
  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
  /** New events were written: deliver them now. */
  wake() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.sweep().then((nextInMs) => this.schedule(this.again ? 0 : nextInMs)).catch((error) => {
      this.deps.log.error({ err: error }, "slack delivery sweep failed");
      this.schedule(this.timing.idleMs);
    }).finally(() => {
      this.running = void 0;
      this.again = false;
    });
  }
  schedule(ms) {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }
  /** Delivers what is due; returns how long to wait before the next look. */
  async sweep() {
    const { db } = this.deps;
    const now = /* @__PURE__ */ new Date();
    await this.refreshStaleStatus();
    const heads = await dueHeads(db, this.watermark, now, this.timing.batchSize);
    let delivered = 0;
    await eachLimited(heads, 16, async (head) => {
      let item = head;
      while (item && !this.stopped) {
        if (!await this.deliverOne(item)) return;
        delivered += 1;
        item = await nextUndelivered(db, item.event.portalId, item.event.id);
      }
    });
    const backlog = await deliveryBacklog(db, this.watermark);
    if (backlog.oldest !== void 0) this.watermark = Math.max(this.watermark, backlog.oldest - 1);
    if (delivered > 0) return 0;
    const due = backlog.nextAttemptAt ? backlog.nextAttemptAt.getTime() - Date.now() : this.timing.idleMs;
    return Math.max(10, Math.min(this.timing.idleMs, due));
  }
  /** Claims and delivers one event; true when it is done (or given up on), false when it must wait. */
  async deliverOne(item) {
    const { db, log } = this.deps;
    const now = /* @__PURE__ */ new Date();
    const claimed = await claimDelivery(db, item.event, this.owner, now, new Date(now.getTime() + this.timing.leaseMs));
    if (!claimed) return false;
    if (claimed.nextAttemptAt && claimed.nextAttemptAt > now) {
      await updateDelivery(db, item.event.id, this.owner, { leaseOwner: null, leaseUntil: null });
      return false;
    }
    try {
      await this.deliver(item, claimed.state === "SENDING");
      await updateDelivery(db, item.event.id, this.owner, { state: "DONE", deliveredAt: /* @__PURE__ */ new Date(), leaseOwner: null, leaseUntil: null, lastError: null });
      return true;
    } catch (error) {
      if (error instanceof RetryLater) {
        const attempts = error.afterMs === void 0 ? claimed.attempts + 1 : claimed.attempts;
        const wait = error.afterMs ?? Math.min(this.timing.maxBackoffMs, this.timing.backoffMs * 2 ** Math.max(0, attempts - 1));
        log.warn({ eventId: item.event.id, attempts, waitMs: wait, reason: error.message }, "slack delivery will be retried");
        await updateDelivery(db, item.event.id, this.owner, {
          attempts,
          ...error.maySent ? {} : { state: item.delivery?.state === "SENDING" || error.posted ? "SENDING" : "PENDING" },
          nextAttemptAt: new Date(Date.now() + wait),
          lastError: error.message,
          leaseOwner: null,
          leaseUntil: null
        });
        return false;
      }
      log.error({ err: error, eventId: item.event.id }, "slack delivery gave up on an event");
      await updateDelivery(db, item.event.id, this.owner, {
        state: "SKIPPED",
        attempts: claimed.attempts + 1,
        lastError: error instanceof Error ? error.message : String(error),
        leaseOwner: null,
        leaseUntil: null
      });
      return true;
    }
  }
  /** Status messages whose last update failed get the portal's current state. */
  async refreshStaleStatus() {
    for (const post of await staleStatusPosts(this.deps.db, 50)) {
      try {
        const { portal } = await this.deps.api.run({ service: "slack-delivery" }, PortalQuery, { id: encodeGlobalID("Portal", post.portalId) });
        if (portal) await this.deps.client.chat.update({ channel: post.channel, ts: post.statusTs, text: statusText(portal), blocks: portalCard(portal) });
        await markStatusPost(this.deps.db, post.portalId, false);
      } catch (error) {
        this.deps.log.warn({ err: error, portalId: post.portalId }, "status message still not updated");
        return;
      }
    }
  }
  /** Calls Slack, turning its answers into: done, retry later (429, 5xx, timeouts), or give up. */
  async call(what, run) {
    try {
      return await run();
    } catch (error) {
      const e = error;
      if (e.code === import_web_api.ErrorCode.RateLimitedError) throw new RetryLater(`${what}: rate limited`, (e.retryAfter ?? 1) * 1e3, false);
      if (e.code === import_web_api.ErrorCode.PlatformError && e.data?.error && PERMANENT.has(e.data.error)) throw new Error(`${what}: ${e.data.error}`);
      if (e.code === import_web_api.ErrorCode.PlatformError && !["internal_error", "fatal_error", "service_unavailable", "request_timeout"].includes(e.data?.error ?? ""))
        throw new Error(`${what}: ${e.data?.error ?? e.message}`);
      const answered = e.code === import_web_api.ErrorCode.PlatformError || e.code === import_web_api.ErrorCode.HTTPError;
      throw new RetryLater(`${what}: ${e.data?.error ?? e.message ?? String(error)}`, void 0, !answered);
    }
  }
  async deliver(item, mayHaveSent) {
    const { db, client, api, log } = this.deps;
    const { event } = item;
    const channel = item.channel ?? this.deps.defaultChannel;
    if (!channel) return;
    const portalId = event.portalId;
    const { portal } = await api.run({ service: "slack-delivery" }, PortalQuery, { id: encodeGlobalID("Portal", portalId) });
    if (!portal) return;
    let post = await findStatusPost(db, portalId);
    if (!post) {
      const posted2 = await this.call(
        "posting the status message",
        () => client.chat.postMessage({ channel, text: statusText(portal), blocks: portalCard(portal) })
      );
      await saveStatusPost(db, portalId, posted2.channel ?? channel, posted2.ts);
      post = { portalId, channel: posted2.channel ?? channel, statusTs: posted2.ts, stale: false };
    }
    const status = post;
    await updateDelivery(db, event.id, this.owner, { state: "SENDING" });
    let posted = false;
    try {
      if (!(mayHaveSent && await this.alreadyPosted(status.channel, event, "thread", status.statusTs))) {
        await this.call(
          "posting the event in the thread",
          () => client.chat.postMessage({
            channel: status.channel,
            thread_ts: status.statusTs,
            text: event.message,
            metadata: { event_type: EVENT_TYPE, event_payload: { event_id: event.id, part: "thread" } }
          })
        );
      }
      posted = true;
      const alert = event.data.alert === true;
      if (alert && !(mayHaveSent && await this.alreadyPosted(status.channel, event, "alert"))) {
        const data = event.data;
        const reason = String(data.error ?? event.message);
        const blocks = event.type.startsWith("DOMAIN_") ? domainAlert(event.message, data.domainId ? encodeGlobalID("CustomDomain", data.domainId) : void 0) : failureAlert(portal, reason);
        await this.call(
          "posting the alert",
          () => client.chat.postMessage({
            channel: status.channel,
            text: `${portal.displayName}: ${reason}`,
            blocks,
            metadata: { event_type: EVENT_TYPE, event_payload: { event_id: event.id, part: "alert" } }
          })
        );
      }
    } catch (error) {
      if (error instanceof RetryLater && posted) error.posted = true;
      throw error;
    }
    try {
      await this.call(
        "updating the status message",
        () => client.chat.update({ channel: status.channel, ts: status.statusTs, text: statusText(portal), blocks: portalCard(portal) })
      );
      if (status.stale) await markStatusPost(db, portalId, false);
    } catch (error) {
      log.warn({ portalId, reason: error.message }, "status message update failed; it will be updated again");
      await markStatusPost(db, portalId, true);
    }
  }
  /** Whether an earlier attempt posted this part of this event before it could record so. */
  async alreadyPosted(channel, event, part, threadTs) {
    const oldest = String(event.createdAt.getTime() / 1e3 - 60);
    const answer = threadTs ? await this.call("reading the thread", () => this.deps.client.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200 })) : await this.call("reading the channel", () => this.deps.client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 }));
    return (answer.messages ?? []).some((m) => {
      const payload = m.metadata;
      return payload?.event_type === EVENT_TYPE && payload.event_payload?.event_id === event.id && payload.event_payload?.part === part;
    });
  }
};
export {
  DELIVERY_TIMING,
  SlackDelivery
};
