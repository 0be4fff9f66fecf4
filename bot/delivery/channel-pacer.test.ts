import { describe, expect, it } from 'vitest';
import { ChannelPacer } from './channel-pacer.ts';

describe('the channel pacer', () => {
  it('gives one channel slots an interval apart, first asked first served, and other channels their own', () => {
    let now = 1_000;
    const pacer = new ChannelPacer(1_000, () => now);
    expect([pacer.reserve('C1', 10_000), pacer.reserve('C1', 10_000), pacer.reserve('C1', 10_000)]).toEqual([0, 1_000, 2_000]);
    expect(pacer.reserve('C2', 10_000)).toBe(0);
    now += 5_000;
    expect(pacer.reserve('C1', 10_000)).toBe(0);
  });

  it('reserves nothing when the wait would be longer than the caller may wait', () => {
    const pacer = new ChannelPacer(1_000, () => 0);
    pacer.reserve('C1', 10_000);
    pacer.reserve('C1', 10_000);
    expect(pacer.reserve('C1', 1_500)).toBeUndefined();
    expect(pacer.waitFor('C1')).toBe(2_000);
    expect(pacer.reserve('C1', 2_000)).toBe(2_000);
  });

  it('holds the whole channel back for a Retry-After', () => {
    const pacer = new ChannelPacer(100, () => 0);
    expect(pacer.reserve('C1', 10_000)).toBe(0);
    pacer.holdOff('C1', 3_000);
    expect(pacer.reserve('C1', 10_000)).toBe(3_000);
    expect(pacer.reserve('C2', 10_000)).toBe(0);
  });

  it('keeps no slots with pacing off', () => {
    const pacer = new ChannelPacer(0, () => 0);
    pacer.holdOff('C1', 3_000);
    expect([pacer.reserve('C1', 10_000), pacer.reserve('C1', 10_000)]).toEqual([0, 0]);
  });
});
