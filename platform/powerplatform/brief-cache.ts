// A brief cache of remote reads: a value is kept `ttlMs` after it arrived, and callers asking while
// it loads share the one request. A failed load is not kept.

export class BriefCache<K, V> {
  private readonly entries = new Map<K, { at: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.at < this.ttlMs) return entry.value;
    const value = load();
    const fresh = { at: this.now(), value };
    this.entries.set(key, fresh);
    value.then(
      () => {
        fresh.at = this.now();
      },
      () => {
        if (this.entries.get(key) === fresh) this.entries.delete(key);
      },
    );
    return value;
  }

  /** The value if it is cached and fresh (settled or not). */
  peek(key: K): Promise<V> | undefined {
    const entry = this.entries.get(key);
    return entry && this.now() - entry.at < this.ttlMs ? entry.value : undefined;
  }

  set(key: K, value: V): void {
    this.entries.set(key, { at: this.now(), value: Promise.resolve(value) });
  }

  clear(): void {
    this.entries.clear();
  }
}
