// The newest choice in a modal wins. Each menu change rebuilds the view from the state Slack sent with
// it; two quick changes race, and Slack refuses the second views.update with hash_conflict because
// the first changed the view. The rebuild of the newest change (by Slack's action_ts) is then sent
// again, with the hash our own last update got, or without one; an older change that finds a newer
// one has arrived sends nothing, so it never overwrites the newer.
//
// The order is kept in this process. Slack sends a user's actions to one request URL; behind a load
// balancer that splits one modal's actions over processes, an older change could still land last.

interface ViewTrack {
  /** The action_ts of the newest change seen for the view. */
  newest: number;
  /** The hash Slack gave our last update of the view. */
  hash: string | undefined;
  seenAt: number;
}

const KEEP_MS = 60 * 60_000;
const MAX_VIEWS = 5_000;

export class ModalUpdates {
  private readonly views = new Map<string, ViewTrack>();

  /** Notes a change; false when a newer change of the same view has arrived already. */
  arrive(viewId: string, actionTs: number): boolean {
    this.prune();
    const track = this.views.get(viewId);
    if (track && track.newest > actionTs) return false;
    this.views.set(viewId, { newest: actionTs, hash: track?.hash, seenAt: Date.now() });
    return true;
  }

  isNewest(viewId: string, actionTs: number): boolean {
    return (this.views.get(viewId)?.newest ?? actionTs) <= actionTs;
  }

  landed(viewId: string, hash: string | undefined): void {
    const track = this.views.get(viewId);
    if (track) track.hash = hash;
  }

  /** The hash to retry with after `refused` was refused: ours from a later update, else none. */
  retryHash(viewId: string, refused: string | undefined): string | undefined {
    const hash = this.views.get(viewId)?.hash;
    return hash && hash !== refused ? hash : undefined;
  }

  private prune(): void {
    const cutoff = Date.now() - KEEP_MS;
    for (const [id, track] of this.views) {
      if (track.seenAt >= cutoff && this.views.size <= MAX_VIEWS) break;
      this.views.delete(id);
    }
  }
}

export function isHashConflict(error: unknown): boolean {
  return (error as { data?: { error?: string } } | undefined)?.data?.error === 'hash_conflict';
}
