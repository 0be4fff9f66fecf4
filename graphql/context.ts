import type { Logger } from 'pino';
import type { Actor } from '../core/actor.ts';
import type { CnameCheckOptions } from '../core/dns-check.ts';
import type { CheckSchedule } from '../core/dns-schedule.ts';
import type { EventFeed } from '../core/event-feed.ts';
import type { Db } from '../db/client.ts';
import type { Platform } from '../platform/platform.ts';
import type { StreamGate } from './stream-limits.ts';

/** What every resolver gets: the stores, the platform and who is asking. Made fresh per request. */
export interface GraphQLContext {
  db: Db;
  platform: Platform;
  actor: Actor;
  portalDomain: string;
  log: Logger;
  feed: EventFeed;
  /** Counts open event streams against their caps. */
  streams: StreamGate;
  /** The HTTP request, when there is one; its signal ends subscriptions. */
  request?: Request;
  /** Tells the poller there is provisioning work, so it starts at once. */
  wake?: (() => void) | undefined;
  /** Encrypts private keys at rest. */
  secretKey: Buffer;
  dns: CnameCheckOptions;
  schedule?: CheckSchedule | undefined;
  wakeDns?: (() => void) | undefined;
}
