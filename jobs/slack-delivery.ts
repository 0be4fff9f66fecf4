// Delivers the outbox (the events table) to Slack: each portal's one status message, updated in
// place; a thread reply per event; an alert with action buttons for each failure. Per portal, events
// go out in order; a 429 waits its Retry-After, a 5xx or timeout backs off, and nothing is posted
// twice: a post that may have left before a crash is looked for (by its metadata) before posting again.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { BotApi } from '../bot/api.ts';
import { domainAlert } from '../bot/blocks/domain.ts';
import { failureAlert, portalCard, statusText } from '../bot/blocks/portal-card.ts';
import { PortalQuery } from '../bot/operations.ts';
import type { Db } from '../db/client.ts';
import {
  claimDelivery,
  deliveryBacklog,
  dueHeads,
  findStatusPost,
  markStatusPost,
  nextUndelivered,
  type PendingEvent,
  saveStatusPost,
  staleStatusPosts,
  updateDelivery,
} from '../db/delivery-store.ts';
import { eachLimited } from './sweeper.ts';
import type { EventRow } from '../db/schema.ts';

export interface DeliveryTiming {
  leaseMs: number;
  backoffMs: number;
  maxBackoffMs: number;
  batchSize: number;
  /** How often to look for new events when nobody rings. */
  idleMs: number;
}

export const DELIVERY_TIMING: DeliveryTiming = { leaseMs: 30_000, backoffMs: 1_000, maxBackoffMs: 15_000, batchSize: 200, idleMs: 1_000 };

/** Slack answers that no retry will change. */
const PERMANENT = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'account_inactive', 'missing_scope', 'invalid_blocks', 'msg_too_long']);

class RetryLater extends Error {
  /** Set when a post of this event went out before the failure. */
  posted = false;
  constructor(
    message: string,
    /** Slack's Retry-After, when it gave one. */
    readonly afterMs: number | undefined,
    /** Whether the call may have gone through (a timeout, a broken connection). */
    readonly maySent: boolean,
  ) {
    super(message);
  }
}

const EVENT_TYPE = 'portal_event';

export class SlackDelivery {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private watermark = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly deps: {
      db: Db;
      client: WebClient;
      api: BotApi;
      log: Logger;
      defaultChannel?: string | undefined;
      timing?: DeliveryTiming;
    },
  ) {}

  private get timing(): DeliveryTiming {
    return this.deps.timing ?? DELIVERY_TIMING;
  }

  start(): void {
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** New events were written: deliver them now. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.sweep()
      .then((nextInMs) => this.schedule(this.again ? 0 : nextInMs))
      .catch((error: unknown) => {
        this.deps.log.error({ err: error }, 'slack delivery sweep failed');
        this.schedule(this.timing.idleMs);
      })
      .finally(() => {
        this.running = undefined;
        this.again = false;
      });
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }

  /** Delivers what is due; returns how long to wait before the next look. */
  async sweep(): Promise<number> {
    const { db } = this.deps;
    const now = new Date();
    await this.refreshStaleStatus();
    const heads = await dueHeads(db, this.watermark, now, this.timing.batchSize);
    let delivered = 0;
    // Portals go in parallel; within a portal, events go in order and stop at the first that must wait.
    await eachLimited(heads, 16, async (head) => {
      let item: PendingEvent | undefined = head;
      while (item && !this.stopped) {
        if (!(await this.deliverOne(item))) return;
        delivered += 1;
        item = await nextUndelivered(db, item.event.portalId as number, item.event.id);
      }
    });
    const backlog = await deliveryBacklog(db, this.watermark);
    // Everything before the oldest undelivered event is done: later sweeps start there.
    if (backlog.oldest !== undefined) this.watermark = Math.max(this.watermark, backlog.oldest - 1);
    if (delivered > 0) return 0;
    const due = backlog.nextAttemptAt ? backlog.nextAttemptAt.getTime() - Date.now() : this.timing.idleMs;
    return Math.max(10, Math.min(this.timing.idleMs, due));
  }

  /** Claims and delivers one event; true when it is done (or given up on), false when it must wait. */
  private async deliverOne(item: PendingEvent): Promise<boolean> {
    const { db, log } = this.deps;
    const now = new Date();
    const claimed = await claimDelivery(db, item.event, this.owner, now, new Date(now.getTime() + this.timing.leaseMs));
    if (!claimed) return false;
    if (claimed.nextAttemptAt && claimed.nextAttemptAt > now) {
      await updateDelivery(db, item.event.id, this.owner, { leaseOwner: null, leaseUntil: null });
      return false;
    }
    try {
      await this.deliver(item, claimed.state === 'SENDING');
      await updateDelivery(db, item.event.id, this.owner, { state: 'DONE', deliveredAt: new Date(), leaseOwner: null, leaseUntil: null, lastError: null });
      return true;
    } catch (error) {
      if (error instanceof RetryLater) {
        // Rate limits say when to come back; other failures back off, doubling with each one.
        const attempts = error.afterMs === undefined ? claimed.attempts + 1 : claimed.attempts;
        const wait = error.afterMs ?? Math.min(this.timing.maxBackoffMs, this.timing.backoffMs * 2 ** Math.max(0, attempts - 1));
        log.warn({ eventId: item.event.id, attempts, waitMs: wait, reason: error.message }, 'slack delivery will be retried');
        await updateDelivery(db, item.event.id, this.owner, {
          attempts,
          ...(error.maySent ? {} : { state: item.delivery?.state === 'SENDING' || error.posted ? 'SENDING' : 'PENDING' }),
          nextAttemptAt: new Date(Date.now() + wait),
          lastError: error.message,
          leaseOwner: null,
          leaseUntil: null,
        });
        return false;
      }
      log.error({ err: error, eventId: item.event.id }, 'slack delivery gave up on an event');
      await updateDelivery(db, item.event.id, this.owner, {
        state: 'SKIPPED',
        attempts: claimed.attempts + 1,
        lastError: error instanceof Error ? error.message : String(error),
        leaseOwner: null,
        leaseUntil: null,
      });
      return true;
    }
  }

  /** Status messages whose last update failed get the portal's current state. */
  private async refreshStaleStatus(): Promise<void> {
    for (const post of await staleStatusPosts(this.deps.db, 50)) {
      try {
        const { portal } = await this.deps.api.run({ service: 'slack-delivery' }, PortalQuery, { id: encodeGlobalID('Portal', post.portalId) });
        if (portal) await this.deps.client.chat.update({ channel: post.channel, ts: post.statusTs, text: statusText(portal), blocks: portalCard(portal) });
        await markStatusPost(this.deps.db, post.portalId, false);
      } catch (error) {
        this.deps.log.warn({ err: error, portalId: post.portalId }, 'status message still not updated');
        return;
      }
    }
  }

  /** Calls Slack, turning its answers into: done, retry later (429, 5xx, timeouts), or give up. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
      if (e.code === ErrorCode.RateLimitedError) throw new RetryLater(`${what}: rate limited`, (e.retryAfter ?? 1) * 1000, false);
      if (e.code === ErrorCode.PlatformError && e.data?.error && PERMANENT.has(e.data.error)) throw new Error(`${what}: ${e.data.error}`);
      if (e.code === ErrorCode.PlatformError && !['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'].includes(e.data?.error ?? ''))
        throw new Error(`${what}: ${e.data?.error ?? e.message}`);
      // Slack answered an error (5xx or a retryable platform error): nothing was posted. A timeout
      // or a broken connection leaves it unknown whether the post went through.
      const answered = e.code === ErrorCode.PlatformError || e.code === ErrorCode.HTTPError;
      throw new RetryLater(`${what}: ${e.data?.error ?? e.message ?? String(error)}`, undefined, !answered);
    }
  }

  private async deliver(item: PendingEvent, mayHaveSent: boolean): Promise<void> {
    const { db, client, api, log } = this.deps;
    const { event } = item;
    const channel = item.channel ?? this.deps.defaultChannel;
    if (!channel) return; // Nobody follows this portal in Slack.
    const portalId = event.portalId as number;
    const { portal } = await api.run({ service: 'slack-delivery' }, PortalQuery, { id: encodeGlobalID('Portal', portalId) });
    if (!portal) return;

    // 1. The status message exists (posted once; every event's thread hangs on it).
    let post = await findStatusPost(db, portalId);
    if (!post) {
      const posted = await this.call('posting the status message', () =>
        client.chat.postMessage({ channel, text: statusText(portal), blocks: portalCard(portal) }),
      );
      await saveStatusPost(db, portalId, posted.channel ?? channel, posted.ts as string);
      post = { portalId, channel: posted.channel ?? channel, statusTs: posted.ts as string, stale: false };
    }
    const status = post;

    // 2. The event in the thread; 3. an alert in the channel for a failure. Once one post has gone
    // out, the event stays SENDING, so a retry looks for what already went out before posting.
    await updateDelivery(db, event.id, this.owner, { state: 'SENDING' });
    let posted = false;
    try {
      if (!(mayHaveSent && (await this.alreadyPosted(status.channel, event, 'thread', status.statusTs)))) {
        await this.call('posting the event in the thread', () =>
          client.chat.postMessage({
            channel: status.channel,
            thread_ts: status.statusTs,
            text: event.message,
            metadata: { event_type: EVENT_TYPE, event_payload: { event_id: event.id, part: 'thread' } },
          }),
        );
      }
      posted = true;
      const alert = (event.data as { alert?: boolean }).alert === true;
      if (alert && !(mayHaveSent && (await this.alreadyPosted(status.channel, event, 'alert')))) {
        const data = event.data as { error?: string; domainId?: number };
        const reason = String(data.error ?? event.message);
        // A custom domain's alert offers Check now; a provisioning failure offers its ways out.
        const blocks = event.type.startsWith('DOMAIN_')
          ? domainAlert(event.message, data.domainId ? encodeGlobalID('CustomDomain', data.domainId) : undefined)
          : failureAlert(portal, reason);
        await this.call('posting the alert', () =>
          client.chat.postMessage({
            channel: status.channel,
            text: `${portal.displayName}: ${reason}`,
            blocks,
            metadata: { event_type: EVENT_TYPE, event_payload: { event_id: event.id, part: 'alert' } },
          }),
        );
      }
    } catch (error) {
      if (error instanceof RetryLater && posted) error.posted = true;
      throw error;
    }

    // 4. The status message shows the portal now; if Slack refuses, a later sweep updates it again.
    try {
      await this.call('updating the status message', () =>
        client.chat.update({ channel: status.channel, ts: status.statusTs, text: statusText(portal), blocks: portalCard(portal) }),
      );
      if (status.stale) await markStatusPost(db, portalId, false);
    } catch (error) {
      log.warn({ portalId, reason: (error as Error).message }, 'status message update failed; it will be updated again');
      await markStatusPost(db, portalId, true);
    }
  }

  /** Whether an earlier attempt posted this part of this event before it could record so. */
  private async alreadyPosted(channel: string, event: EventRow, part: 'thread' | 'alert', threadTs?: string): Promise<boolean> {
    const oldest = String(event.createdAt.getTime() / 1000 - 60);
    const answer = threadTs
      ? await this.call('reading the thread', () => this.deps.client.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200 }))
      : await this.call('reading the channel', () => this.deps.client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 }));
    return (answer.messages ?? []).some((m) => {
      const payload = (m as { metadata?: { event_type?: string; event_payload?: { event_id?: number; part?: string } } }).metadata;
      return payload?.event_type === EVENT_TYPE && payload.event_payload?.event_id === event.id && payload.event_payload?.part === part;
    });
  }
}
