// The table of failed authentications stays bounded and forgets a window once it is over.
import { describe, expect, it } from 'vitest';
import { FailedAuthentications } from '../graphql/auth-throttle.ts';

describe('failed authentications per address', () => {
  it('holds an address off after its failures until the window ends', () => {
    const failures = new FailedAuthentications({ maxFailures: 3, windowMs: 60_000, maxAddresses: 100 });
    for (let i = 0; i < 3; i += 1) {
      expect(failures.retryAfterSeconds('10.0.0.1', 1_000)).toBe(0);
      failures.recordFailure('10.0.0.1', 1_000);
    }
    expect(failures.retryAfterSeconds('10.0.0.1', 1_000)).toBe(60);
    expect(failures.retryAfterSeconds('10.0.0.2', 1_000)).toBe(0);
    expect(failures.retryAfterSeconds('10.0.0.1', 61_000)).toBe(0);
    expect(failures.size).toBe(0);
  });

  it('remembers at most its bound of addresses, forgetting the one seen longest ago', () => {
    const failures = new FailedAuthentications({ maxFailures: 1, windowMs: 60_000, maxAddresses: 1_000 });
    for (let i = 0; i < 50_000; i += 1) failures.recordFailure(`addr-${i}`, 0);
    expect(failures.size).toBe(1_000);
    expect(failures.retryAfterSeconds('addr-0', 0)).toBe(0);
    expect(failures.retryAfterSeconds('addr-49999', 0)).toBe(60);
  });
});
