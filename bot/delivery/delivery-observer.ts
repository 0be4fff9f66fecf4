// What Slack delivery tells whoever watches it (app/metrics.ts counts it for /metrics): what became of
// each event it took. Delivery knows only this interface; without a watcher it is handed
// NO_DELIVERY_OBSERVER, which does nothing.

/**
 * posted: the event went out to Slack. unrouted: nobody follows the portal in Slack (no channel) or
 * the portal is gone, so nothing was posted and the event is done. retried: Slack could not take it now
 * (rate limit, a 5xx, a timeout, the channel's pace); it waits for another attempt. failed: Slack
 * refused it for good (a missing channel, a bad token); it is given up on.
 */
export type DeliveryOutcome = 'posted' | 'unrouted' | 'retried' | 'failed';

export interface DeliveryObserver {
  delivered(outcome: DeliveryOutcome): void;
}

export const NO_DELIVERY_OBSERVER: DeliveryObserver = { delivered: () => undefined };
