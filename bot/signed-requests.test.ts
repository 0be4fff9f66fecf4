import { describe, expect, it } from 'vitest';
import { RecentSignatures } from './signed-requests.ts';

describe('recent signatures', () => {
  it('knows a signature until it expires, then forgets it', () => {
    const recent = new RecentSignatures();
    expect(recent.remember('v0=a', 1_000, 0)).toBe(true);
    expect(recent.remember('v0=a', 1_000, 999)).toBe(false);
    expect(recent.remember('v0=a', 1_000, 1_000)).toBe(false);
    expect(recent.remember('v0=b', 3_000, 1_001)).toBe(true);
    expect(recent.size).toBe(1);
    expect(recent.remember('v0=a', 2_000, 1_001)).toBe(true);
  });

  it('holds a bounded number, dropping the oldest first', () => {
    const recent = new RecentSignatures(3);
    for (const s of ['a', 'b', 'c', 'd']) expect(recent.remember(s, 10_000, 0)).toBe(true);
    expect(recent.size).toBe(3);
    expect(recent.remember('d', 10_000, 1)).toBe(false);
    expect(recent.remember('a', 10_000, 1)).toBe(true);
  });
});
