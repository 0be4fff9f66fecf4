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
import { claimDelivery, findStatusPost, type PendingEvent, saveStatusPost, undeliveredEvents, updateDelivery } from '../db/delivery-store.ts';
import type { EventRow } from '../db/schema.ts';

export interface DeliveryTiming {
  leaseMs: number;
  backoffMs: number;
  maxBackoffMs: number;
  batchSize: number;
  /** How often to look for new events when nobody rings. */
  idleMs: number;
}

export const DELIVERY_TIMING: DeliveryTiming = { leaseMs: 30_000, backoffMs: 1_000, maxBackoffMs: 60_000, batchSize: 200, idleMs: 1_000 };

/** Slack answers that no retry will change. */
const PERMANENT = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'account_inactive', 'missing_scope', 'invalid_blocks', 'msg_too_long']);

class RetryLater extends Error {
  constructor(
    message: string,
    readonly afterMs: number | undefined,
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
    const { db, log } = this.deps;
    const now = new Date();
    const pending = await undeliveredEvents(db, this.watermark, this.timing.batchSize);
    if (pending.length === 0) return this.timing.idleMs;
    // Everything before the oldest undelivered event is done: later sweeps start there.
    this.watermark = Math.max(this.watermark, (pending[0]?.event.id ?? 1) - 1);

    const byPortal = new Map<number, PendingEvent[]>();
    for (const item of pending) byPortal.set(item.event.portalId as number, [...(byPortal.get(item.event.portalId as number) ?? []), item]);

    let nextInMs = this.timing.idleMs;
    await Promise.all(
      [...byPortal.values()].map(async (queue) => {
        for (const item of queue) {
          const due = item.delivery?.nextAttemptAt ? item.delivery.nextAttemptAt.getTime() - now.getTime() : 0;
          // An earlier event of this portal waits: the later ones wait behind it, to keep the order.
          if (due > 0) return void (nextInMs = Math.min(nextInMs, due));
          const claimed = await claimDelivery(db, item.event, this.owner, now, new Date(now.getTime() + this.timing.leaseMs));
          if (!claimed) return;
          try {
            await this.deliver(item, claimed.state === 'SENDING');
            await updateDelivery(db, item.event.id, this.owner, { state: 'DONE', deliveredAt: new Date(), leaseOwner: null, leaseUntil: null, lastError: null });
          } catch (error) {
            const attempts = claimed.attempts + 1;
            if (error instanceof RetryLater) {
              const wait = error.afterMs ?? Math.min(this.timing.maxBackoffMs, this.timing.backoffMs * 2 ** (attempts - 1));
              log.warn({ eventId: item.event.id, attempts, waitMs: wait, reason: error.message }, 'slack delivery will be retried');
              await updateDelivery(db, item.event.id, this.owner, {
                attempts,
                nextAttemptAt: new Date(Date.now() + wait),
                lastError: error.message,
                leaseOwner: null,
                leaseUntil: null,
              });
              nextInMs = Math.min(nextInMs, wait);
            } else {
              log.error({ err: error, eventId: item.event.id }, 'slack delivery gave up on an event');
              await updateDelivery(db, item.event.id, this.owner, {
                state: 'SKIPPED',
                attempts,
                lastError: error instanceof Error ? error.message : String(error),
                leaseOwner: null,
                leaseUntil: null,
              });
            }
            return;
          }
        }
      }),
    );
    return pending.length === this.timing.batchSize ? 0 : nextInMs;
  }

  /** Calls Slack, turning its answers into: done, retry later (429, 5xx, timeouts), or give up. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
      if (e.code === ErrorCode.RateLimitedError) throw new RetryLater(`${what}: rate limited`, (e.retryAfter ?? 1) * 1000);
      if (e.code === ErrorCode.PlatformError && e.data?.error && PERMANENT.has(e.data.error)) throw new Error(`${what}: ${e.data.error}`);
      if (e.code === ErrorCode.PlatformError && e.data?.error !== 'internal_error' && e.data?.error !== 'fatal_error' && e.data?.error !== 'service_unavailable')
        throw new Error(`${what}: ${e.data?.error ?? e.message}`);
      throw new RetryLater(`${what}: ${e.data?.error ?? e.message ?? String(error)}`, undefined);
    }
  }

  private async deliver(item: PendingEvent, mayHaveSent: boolean): Promise<void> {
    const { db, client, api } = this.deps;
    const { event } = item;
    const channel = item.channel ?? this.deps.defaultChannel;
    if (!channel) return; // Nobody follows this portal in Slack.
    const portalId = event.portalId as number;
    const { portal } = await api.run({ service: 'slack-delivery' }, PortalQuery, { id: encodeGlobalID('Portal', portalId) });
    if (!portal) return;

    // 1. The status message, posted once and then updated in place.
    let post = await findStatusPost(db, portalId);
    if (!post) {
      const posted = await this.call('posting the status message', () =>
        client.chat.postMessage({ channel, text: statusText(portal), blocks: portalCard(portal) }),
      );
      await saveStatusPost(db, portalId, posted.channel ?? channel, posted.ts as string);
      post = { portalId, channel: posted.channel ?? channel, statusTs: posted.ts as string };
    } else {
      await this.call('updating the status message', () =>
        client.chat.update({ channel: post!.channel, ts: post!.statusTs, text: statusText(portal), blocks: portalCard(portal) }),
      );
    }

    // 2. The event in the thread; 3. an alert in the channel for a failure.
    const alert = (event.data as { alert?: boolean }).alert === true;
    await updateDelivery(db, event.id, this.owner, { state: 'SENDING' });
    const status = post;
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
