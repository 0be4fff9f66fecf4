// Delivers the outbox (the events table) to Slack: each portal's one status message, updated in
// place; a thread reply per event; an alert with action buttons for each failure. Per portal, events
// go out in order; a 429 waits its Retry-After, a 5xx or timeout backs off, and nothing is posted
// twice: a post that may have left before a crash is looked for (by its metadata) before posting again.
// Messages to one channel keep Slack's pace (see channel-pacer.ts), and a status message is edited
// once for a run of events: the edit shows the portal as it is when the edit goes out.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { BotApi } from '../bot/api.ts';
import { domainAlert } from '../bot/blocks/domain.ts';
import { escape } from '../bot/blocks/common.ts';
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
import { ChannelPacer } from './channel-pacer.ts';
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

/** A long run of a portal's events edits its status message after this many. */
const EVENTS_PER_STATUS_EDIT = 10;

/** Slack's guideline: about one message a second in a channel. */
export const CHANNEL_INTERVAL_MS = 1_000;

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
    readonly callMayHaveGoneThrough: boolean,
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
  private readonly pacer: ChannelPacer;
  /** Waits for a channel slot, cut short by stop(). */
  private readonly sleepers = new Set<() => void>();
  /** Status messages with an edit on its way, by portal; `again` when the portal changed after it read the portal. */
  private readonly statusEdits = new Map<number, { read: boolean; again: boolean; done: Promise<void> }>();

  constructor(
    private readonly deps: {
      db: Db;
      client: WebClient;
      api: BotApi;
      log: Logger;
      defaultChannel?: string | undefined;
      timing?: DeliveryTiming;
      /** Least time between two messages to one channel (0: no pacing). */
      channelIntervalMs?: number;
    },
  ) {
    this.pacer = new ChannelPacer(deps.channelIntervalMs ?? CHANNEL_INTERVAL_MS);
  }

  private get timing(): DeliveryTiming {
    return this.deps.timing ?? DELIVERY_TIMING;
  }

  start(): void {
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const wake of this.sleepers) wake();
    await this.running;
    await Promise.all([...this.statusEdits.values()].map((edit) => edit.done));
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
      const portalId = head.event.portalId as number;
      let item: PendingEvent | undefined = head;
      let sinceEdit = 0;
      try {
        while (item && !this.stopped) {
          if (!(await this.deliverOne(item))) return;
          delivered += 1;
          // The status message is edited after the portal's run of events, and now and then during a long one.
          if (++sinceEdit >= EVENTS_PER_STATUS_EDIT) {
            sinceEdit = 0;
            this.editStatusSoon(portalId);
          }
          item = await nextUndelivered(db, portalId, item.event.id);
        }
      } finally {
        if (sinceEdit > 0) this.editStatusSoon(portalId);
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
          ...(error.callMayHaveGoneThrough ? {} : { state: item.delivery?.state === 'SENDING' || error.posted ? 'SENDING' : 'PENDING' }),
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
    for (const post of await staleStatusPosts(this.deps.db, 50)) this.editStatusSoon(post.portalId);
  }

  /**
   * Edits the portal's status message to show the portal as it is then. One edit serves every event
   * delivered before it reads the portal: only an event after that read needs another edit.
   */
  private editStatusSoon(portalId: number): void {
    const pending = this.statusEdits.get(portalId);
    if (pending) {
      if (pending.read) pending.again = true;
      return;
    }
    const edit = { read: false, again: false, done: Promise.resolve() };
    this.statusEdits.set(portalId, edit);
    edit.done = (async () => {
      do {
        edit.read = false;
        edit.again = false;
        await this.editStatus(portalId, () => (edit.read = true));
      } while (edit.again && !this.stopped);
    })()
      .catch((error: unknown) => this.deps.log.warn({ err: error, portalId }, 'status message not updated; it will be updated again'))
      .finally(() => this.statusEdits.delete(portalId));
  }

  private async editStatus(portalId: number, reading: () => void): Promise<void> {
    const { db, client, api } = this.deps;
    const post = await findStatusPost(db, portalId);
    if (!post) return;
    try {
      await this.paced(post.channel, 'updating the status message', Number.POSITIVE_INFINITY);
      if (this.stopped) throw new Error('stopping');
      reading();
      const { portal } = await api.run({ service: 'slack-delivery' }, PortalQuery, { id: encodeGlobalID('Portal', portalId) });
      if (portal) {
        await this.call('updating the status message', () => client.chat.update({ channel: post.channel, ts: post.statusTs, text: escape(statusText(portal)), blocks: portalCard(portal) }), post.channel);
      }
      if (post.stale) await markStatusPost(db, portalId, false);
    } catch (error) {
      // A later sweep finds it stale and edits it again.
      if (!post.stale) await markStatusPost(db, portalId, true);
      throw error;
    }
  }

  /**
   * Waits for the channel's next slot. A wait longer than `maxWaitMs` is not taken: the event goes
   * back to wait in the outbox instead of holding its lease.
   */
  private async paced(channel: string, what: string, maxWaitMs = this.timing.leaseMs / 2): Promise<void> {
    const wait = this.pacer.reserve(channel, maxWaitMs);
    if (wait === undefined) throw new RetryLater(`${what}: waiting for its turn in ${channel}`, this.pacer.waitFor(channel), false);
    if (wait <= 0) return;
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, wait);
      this.sleepers.add(wake);
    });
    if (this.stopped) throw new RetryLater(`${what}: stopping`, 0, false);
  }

  /** Calls Slack, turning its answers into: done, retry later (429, 5xx, timeouts), or give up. */
  private async call<T>(what: string, run: () => Promise<T>, channel?: string): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
      if (e.code === ErrorCode.RateLimitedError) {
        const afterMs = (e.retryAfter ?? 1) * 1000;
        // Every message to the channel waits, not only this one.
        if (channel) this.pacer.holdOff(channel, afterMs);
        throw new RetryLater(`${what}: rate limited`, afterMs, false);
      }
      if (e.code === ErrorCode.PlatformError && e.data?.error && PERMANENT.has(e.data.error)) throw new Error(`${what}: ${e.data.error}`);
      if (e.code === ErrorCode.PlatformError && !['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'].includes(e.data?.error ?? ''))
        throw new Error(`${what}: ${e.data?.error ?? e.message}`);
      // Slack answered an error (5xx or a retryable platform error): nothing was posted. A timeout
      // or a broken connection leaves it unknown whether the post went through.
      const answered = e.code === ErrorCode.PlatformError || e.code === ErrorCode.HTTPError;
      throw new RetryLater(`${what}: ${e.data?.error ?? e.message ?? String(error)}`, undefined, !answered);
    }
  }

  /** Posts the event; `earlierTryMayHavePosted` (an earlier try stopped while SENDING) first looks for what already went out. */
  private async deliver(item: PendingEvent, earlierTryMayHavePosted: boolean): Promise<void> {
    const { db, client, api } = this.deps;
    const { event } = item;
    const channel = item.channel ?? this.deps.defaultChannel;
    if (!channel) return; // Nobody follows this portal in Slack.
    const portalId = event.portalId as number;
    const { portal } = await api.run({ service: 'slack-delivery' }, PortalQuery, { id: encodeGlobalID('Portal', portalId) });
    if (!portal) return;

    // 1. The status message exists (posted once; every event's thread hangs on it).
    let post = await findStatusPost(db, portalId);
    if (!post) {
      await this.paced(channel, 'posting the status message');
      const posted = await this.call('posting the status message', () => client.chat.postMessage({ channel, text: escape(statusText(portal)), blocks: portalCard(portal) }), channel);
      await saveStatusPost(db, portalId, posted.channel ?? channel, posted.ts as string);
      post = { portalId, channel: posted.channel ?? channel, statusTs: posted.ts as string, stale: false };
    }
    const status = post;

    // 2. The event in the thread; 3. an alert in the channel for a failure. Once one post has gone
    // out, the event stays SENDING, so a retry looks for what already went out before posting.
    await updateDelivery(db, event.id, this.owner, { state: 'SENDING' });
    let posted = false;
    try {
      if (!(earlierTryMayHavePosted && (await this.alreadyPosted(status.channel, event, 'thread', status.statusTs)))) {
        await this.paced(status.channel, 'posting the event in the thread');
        await this.call(
          'posting the event in the thread',
          () =>
            client.chat.postMessage({
              channel: status.channel,
              thread_ts: status.statusTs,
              text: escape(event.message),
              metadata: { event_type: EVENT_TYPE, event_payload: { event_id: event.id, part: 'thread' } },
            }),
          status.channel,
        );
      }
      posted = true;
      const alert = (event.data as { alert?: boolean }).alert === true;
      if (alert && !(earlierTryMayHavePosted && (await this.alreadyPosted(status.channel, event, 'alert')))) {
        const data = event.data as { error?: string; domainId?: number };
        const reason = String(data.error ?? event.message);
        // A custom domain's alert offers Check now; a provisioning failure offers its ways out.
        const blocks = event.type.startsWith('DOMAIN_')
          ? domainAlert(event.message, data.domainId ? encodeGlobalID('CustomDomain', data.domainId) : undefined)
          : failureAlert(portal, reason);
        await this.paced(status.channel, 'posting the alert');
        await this.call(
          'posting the alert',
          () =>
            client.chat.postMessage({
              channel: status.channel,
              text: escape(`${portal.displayName}: ${reason}`),
              blocks,
              metadata: { event_type: EVENT_TYPE, event_payload: { event_id: event.id, part: 'alert' } },
            }),
          status.channel,
        );
      }
    } catch (error) {
      if (error instanceof RetryLater && posted) error.posted = true;
      throw error;
    }
    // 4. The status message is edited by editStatusSoon, once for the events delivered meanwhile.
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
