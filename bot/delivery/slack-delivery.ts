// Delivers the outbox (the events table) to Slack: each portal's one status message, updated in
// place; a thread reply per event; an alert with action buttons for each failure. Per portal, events
// go out in order; a 429 waits its Retry-After, a 5xx or timeout backs off, and nothing is posted
// twice: a post that may have left before a crash is looked for (by its metadata) before posting again.
// Messages to one channel keep Slack's pace (see channel-pacer.ts), and a status message is edited
// once for a run of events: the edit shows the portal as it is when the edit goes out.
// This is the bot's outbox reader, the one part of bot/ that reads the database (through
// db/delivery-store.ts; docs/architecture.md, "Layers"). When it runs is the wake loop's
// (jobs/wake-loop.ts), wired in app/runtime.ts: each sweep says when the next is due.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { ErrorCode, type WebClient } from '@slack/web-api';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import {
  claimDelivery,
  claimOverdueStatusEdits,
  deliveryBacklog,
  dueHeads,
  findStatusPost,
  nextUndelivered,
  type PendingEvent,
  saveStatusPost,
  statusEditDue,
  statusEdited,
  updateDelivery,
} from '../../db/delivery-store.ts';
import { newLeaseOwner } from '../../db/lease-owner.ts';
import type { EventRow } from '../../db/schema.ts';
import type { BotApi } from '../api.ts';
import { escapeMrkdwn } from '../blocks/common.ts';
import { domainAlert } from '../blocks/domain.ts';
import { failureAlert, type PortalCard, portalCard, statusText } from '../blocks/portal-card.ts';
import { PortalQuery } from '../operations.ts';
import { ChannelPacer } from './channel-pacer.ts';
import { type DeliveryObserver, NO_DELIVERY_OBSERVER } from './delivery-observer.ts';

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
    /** Slack gave no answer (a timeout, a broken connection): the call may have gone through. */
    readonly unanswered: boolean,
  ) {
    super(message);
  }
}

const EVENT_TYPE = 'portal_event';

type StatusPost = NonNullable<Awaited<ReturnType<typeof findStatusPost>>>;

/** Pages of a channel's history read looking for a status message whose post went unanswered. */
const HISTORY_PAGES = 10;

/** The block that names the portal in its status message, by which a post whose answer was lost is found again. */
const statusBlockId = (portalId: number) => `portal_status_${portalId}`;

/** The portal's card as its status message shows it, its first block naming the portal. */
function statusCard(portalId: number, portal: PortalCard) {
  const [first, ...rest] = portalCard(portal);
  return first ? [{ ...first, block_id: statusBlockId(portalId) }, ...rest] : rest;
}

/** Portals whose events go out at once. */
const PORTALS_AT_ONCE = 16;

export class SlackDelivery {
  /** Names this process's delivery in the deliveries it leases. */
  readonly owner = newLeaseOwner();
  private watermark = 0;
  /** The sweep under way, which stop() waits for. */
  private sweeping: Promise<number> | undefined;
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
      /** Told what became of each event taken; nothing is told without one. */
      observer?: DeliveryObserver;
    },
  ) {
    this.pacer = new ChannelPacer(deps.channelIntervalMs ?? CHANNEL_INTERVAL_MS);
  }

  get timing(): DeliveryTiming {
    return this.deps.timing ?? DELIVERY_TIMING;
  }

  /** Every event up to this id has been delivered (or given up on), as far as this process knows. */
  get doneThrough(): number {
    return this.watermark;
  }

  private get observer(): DeliveryObserver {
    return this.deps.observer ?? NO_DELIVERY_OBSERVER;
  }

  /** Ends the waits for a channel's turn and waits for the sweep and the status edits under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
    await this.sweeping?.catch(() => undefined);
    await Promise.all([...this.statusEdits.values()].map((edit) => edit.done));
  }

  /** Delivers what is due; returns how long to wait before the next look. */
  sweep(): Promise<number> {
    const sweeping = this.deliverDue();
    this.sweeping = sweeping;
    return sweeping;
  }

  private async deliverDue(): Promise<number> {
    const { db } = this.deps;
    await this.editOverdueStatus();
    const heads = await dueHeads(db, this.watermark, new Date(), this.timing.batchSize);
    // Portals go in parallel; within a portal, events go in order and stop at the first that must wait.
    const slot = pLimit(PORTALS_AT_ONCE);
    const counts = await Promise.all(heads.map((head) => slot(() => this.deliverPortal(head))));
    const delivered = counts.reduce((sum, n) => sum + n, 0);
    const backlog = await deliveryBacklog(db, this.watermark);
    // Everything before the oldest undelivered event is done: later sweeps start there.
    if (backlog.oldest !== undefined) this.watermark = Math.max(this.watermark, backlog.oldest - 1);
    if (delivered > 0) return 0;
    const due = backlog.nextAttemptAt ? backlog.nextAttemptAt.getTime() - Date.now() : this.timing.idleMs;
    return Math.max(10, Math.min(this.timing.idleMs, due));
  }

  /** Delivers a portal's events in order from `head`, up to the first that must wait; returns how many went out. */
  private async deliverPortal(head: PendingEvent): Promise<number> {
    const portalId = head.event.portalId as number;
    let item: PendingEvent | undefined = head;
    let delivered = 0;
    let sinceEdit = 0;
    try {
      while (item && !this.stopped) {
        if (!(await this.deliverOne(item))) break;
        delivered += 1;
        // The status message is edited after the portal's run of events, and now and then during a long one.
        if (++sinceEdit >= EVENTS_PER_STATUS_EDIT) {
          sinceEdit = 0;
          this.editStatusSoon(portalId);
        }
        item = await nextUndelivered(this.deps.db, portalId, item.event.id);
      }
    } finally {
      if (sinceEdit > 0) this.editStatusSoon(portalId);
    }
    return delivered;
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
      const posted = await this.deliver(item, claimed.state === 'SENDING');
      // The status message owes an edit from now on; should this process die before making it, another will.
      if (posted) await statusEditDue(db, item.event.portalId as number, new Date(Date.now() + this.timing.leaseMs));
      await updateDelivery(db, item.event.id, this.owner, { state: 'DONE', deliveredAt: new Date(), leaseOwner: null, leaseUntil: null, lastError: null });
      this.observer.delivered(posted ? 'posted' : 'unrouted');
      return true;
    } catch (error) {
      this.observer.delivered(error instanceof RetryLater ? 'retried' : 'failed');
      if (error instanceof RetryLater) {
        // Rate limits say when to come back; other failures back off, doubling with each one.
        const attempts = error.afterMs === undefined ? claimed.attempts + 1 : claimed.attempts;
        const wait = error.afterMs ?? Math.min(this.timing.maxBackoffMs, this.timing.backoffMs * 2 ** Math.max(0, attempts - 1));
        log.warn({ eventId: item.event.id, attempts, waitMs: wait, reason: error.message }, 'slack delivery will be retried');
        await updateDelivery(db, item.event.id, this.owner, {
          attempts,
          ...(error.unanswered ? {} : { state: item.delivery?.state === 'SENDING' || error.posted ? 'SENDING' : 'PENDING' }),
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

  /** Status messages whose edit is overdue (its process died, or the edit failed) get the portal's current state. */
  private async editOverdueStatus(): Promise<void> {
    const now = new Date();
    const overdue = await claimOverdueStatusEdits(this.deps.db, now, new Date(now.getTime() + this.timing.leaseMs), 50);
    for (const portalId of overdue) this.editStatusSoon(portalId);
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
      const readAt = new Date();
      const { portal } = await api.run({ service: 'slack-delivery' }, PortalQuery, { id: encodeGlobalID('Portal', portalId) });
      if (portal) {
        await this.call(
          'updating the status message',
          () => client.chat.update({ channel: post.channel, ts: post.statusTs, text: escapeMrkdwn(statusText(portal)), blocks: statusCard(portalId, portal) }),
          post.channel,
        );
      }
      await statusEdited(db, portalId, readAt, this.timing.leaseMs);
    } catch (error) {
      // Overdue at once: a later sweep, of this replica or another, edits it again.
      await statusEditDue(db, portalId, new Date());
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

  /**
   * Posts an event: the portal's status message first if it has none, then the event in its thread,
   * and an alert in the channel for a failure. `resumed`: an earlier attempt got as far as posting,
   * so each part is looked for before it is posted again. Answers whether anything was for Slack.
   */
  private async deliver(item: PendingEvent, resumed: boolean): Promise<boolean> {
    const { event } = item;
    const channel = item.channel ?? this.deps.defaultChannel;
    if (!channel) return false; // Nobody follows this portal in Slack.
    const portalId = event.portalId as number;
    const { portal } = await this.deps.api.run({ service: 'slack-delivery' }, PortalQuery, { id: encodeGlobalID('Portal', portalId) });
    if (!portal) return false;
    // From the first post that may go out (the status message, then the thread reply), the event stays
    // SENDING, so a retry looks for what already went out before posting it again.
    await updateDelivery(this.deps.db, event.id, this.owner, { state: 'SENDING' });
    const status = await this.statusPost(portalId, channel, portal, event, resumed);
    let posted = false;
    try {
      if (!(resumed && (await this.alreadyPosted(status.channel, event, 'thread', status.statusTs)))) await this.postInThread(status, event);
      posted = true;
      const alert = (event.data as { alert?: boolean }).alert === true;
      if (alert && !(resumed && (await this.alreadyPosted(status.channel, event, 'alert')))) await this.postAlert(status.channel, event, portal);
    } catch (error) {
      if (error instanceof RetryLater && posted) error.posted = true;
      throw error;
    }
    // The status message is edited by editStatusSoon, once for the events delivered meanwhile.
    return true;
  }

  /**
   * The portal's status message, posted once: every event's thread hangs on it. `resumed`: an earlier
   * attempt may have posted it and died (or lost Slack's answer) before recording it, so it is looked for first.
   */
  private async statusPost(portalId: number, channel: string, portal: PortalCard, event: EventRow, resumed: boolean): Promise<StatusPost> {
    const post = await findStatusPost(this.deps.db, portalId);
    if (post) return post;
    let found = resumed ? await this.postedStatus(channel, portalId, event) : undefined;
    if (!found) {
      await this.paced(channel, 'posting the status message');
      const posted = await this.call(
        'posting the status message',
        () => this.deps.client.chat.postMessage({ channel, text: escapeMrkdwn(statusText(portal)), blocks: statusCard(portalId, portal) }),
        channel,
      );
      found = { channel: posted.channel ?? channel, ts: posted.ts as string };
    }
    await saveStatusPost(this.deps.db, portalId, found.channel, found.ts);
    return { portalId, channel: found.channel, statusTs: found.ts, editDueAt: null };
  }

  /** The portal's status message if an earlier attempt posted it (its first block names the portal), newest pages first. */
  private async postedStatus(channel: string, portalId: number, event: EventRow): Promise<{ channel: string; ts: string } | undefined> {
    const oldest = String(event.createdAt.getTime() / 1000 - 60);
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const answer = await this.call('reading the channel', () => this.deps.client.conversations.history({ channel, oldest, limit: 200, ...(cursor ? { cursor } : {}) }));
      const found = answer.messages?.find((m) => !m.thread_ts && m.blocks?.some((b) => b.block_id === statusBlockId(portalId)));
      if (found?.ts) return { channel, ts: found.ts };
      cursor = answer.response_metadata?.next_cursor;
      if (!answer.has_more || !cursor) return undefined;
    }
    return undefined;
  }

  private async postInThread(status: StatusPost, event: EventRow): Promise<void> {
    await this.paced(status.channel, 'posting the event in the thread');
    await this.call(
      'posting the event in the thread',
      () =>
        this.deps.client.chat.postMessage({
          channel: status.channel,
          thread_ts: status.statusTs,
          text: escapeMrkdwn(event.message),
          metadata: { event_type: EVENT_TYPE, event_payload: { event_id: event.id, part: 'thread' } },
        }),
      status.channel,
    );
  }

  /** A custom domain's alert offers Check now; a provisioning failure offers its ways out. */
  private async postAlert(channel: string, event: EventRow, portal: PortalCard): Promise<void> {
    const data = event.data as { error?: string; domainId?: number };
    const reason = String(data.error ?? event.message);
    const blocks = event.type.startsWith('DOMAIN_') ? domainAlert(event.message, data.domainId ? encodeGlobalID('CustomDomain', data.domainId) : undefined) : failureAlert(portal, reason);
    await this.paced(channel, 'posting the alert');
    await this.call(
      'posting the alert',
      () =>
        this.deps.client.chat.postMessage({
          channel,
          text: escapeMrkdwn(`${portal.displayName}: ${reason}`),
          blocks,
          metadata: { event_type: EVENT_TYPE, event_payload: { event_id: event.id, part: 'alert' } },
        }),
      channel,
    );
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
