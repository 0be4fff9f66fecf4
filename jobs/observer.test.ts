import { describe, expect, it } from 'vitest';
import { PlatformUnavailableError } from '../platform/platform.ts';
import { CallTimeoutError, platformFailureKind } from './observer.ts';
import { withTimeout } from './sweeper.ts';

describe('why a platform call failed', () => {
  it('tells an unavailable platform, a call that took too long and anything else apart', async () => {
    expect(platformFailureKind(new PlatformUnavailableError('503 from the platform'))).toBe('unavailable');
    const signIn = Object.assign(new Error('Log in first'), { name: 'SignInRequiredError' });
    expect(platformFailureKind(signIn)).toBe('unavailable');
    const late = await withTimeout(new Promise(() => undefined), 1, 'Asking the platform').catch((error: unknown) => error);
    expect(late).toBeInstanceOf(CallTimeoutError);
    expect((late as Error).message).toBe('Asking the platform took longer than 1 ms');
    expect(platformFailureKind(late)).toBe('timeout');
    expect(platformFailureKind(new TypeError('fetch failed'))).toBe('error');
    expect(platformFailureKind('a string')).toBe('error');
  });
});
