import { RateLimiterMemory } from 'rate-limiter-flexible';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { accountDelaySec, LOGIN_POLICY, LoginThrottle, type LimiterOptions } from './rateLimit';

afterEach(() => vi.useRealTimers());

describe('accountDelaySec', () => {
  it('is free for four failures, then 1 s, doubling, never above 60 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 50].map((n) => accountDelaySec(n))).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]);
  });
});

describe('LoginThrottle', () => {
  it('builds every counter through the factory it is given (a Redis store plugs in there)', async () => {
    const built: string[] = [];
    const throttle = new LoginThrottle((options: LimiterOptions) => {
      built.push(options.keyPrefix);
      return new RateLimiterMemory(options);
    });
    await throttle.recordFailure('samu75', '198.51.100.1');
    expect(built.sort()).toEqual(['login-account', 'login-addr', 'login-delay', 'login-known', 'login-pair']);
  });

  it('treats SAMU75 and samu75 as one account', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const throttle = new LoginThrottle();
    for (let i = 0; i < LOGIN_POLICY.perAccount.freeFailures; i++) await throttle.recordFailure(i % 2 ? 'SAMU75' : ' samu75', `198.51.100.${i}`);
    expect(await throttle.check('Samu75', '203.0.113.1')).toEqual({ allowed: false, retryAfterSec: 1 });
    vi.setSystemTime(Date.now() + 1_001);
    expect(await throttle.check('samu75', '203.0.113.1')).toEqual({ allowed: true });
  });

  it('does not reset an address spray brake when that address logs in to an account of its own', async () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < LOGIN_POLICY.perAddress.failures; i++) await throttle.recordFailure(`agent${i}`, '198.51.100.66');
    await throttle.recordSuccess('complice', '198.51.100.66');
    const verdict = await throttle.check('agent99', '198.51.100.66');
    expect(verdict.allowed).toBe(false);
  });
});

describe('LoginThrottle memory of an account', () => {
  it('keeps counting while failures go on, and forgets them after an hour without one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const throttle = new LoginThrottle();
    const step = (ms: number) => vi.setSystemTime(Date.now() + ms);
    for (let i = 0; i < 5; i++) await throttle.recordFailure('samu75', '198.51.100.1');
    // Fifty minutes apart, twice: past a fixed hour since the first failure, yet the count holds.
    for (const retry of [2, 4]) {
      step(50 * 60_000);
      await throttle.recordFailure('samu75', '198.51.100.1');
      expect(await throttle.check('samu75', '203.0.113.1')).toEqual({ allowed: false, retryAfterSec: retry });
    }
    step(LOGIN_POLICY.perAccount.forgetAfterSec * 1000 + 1);
    await throttle.recordFailure('samu75', '198.51.100.1');
    expect(await throttle.check('samu75', '203.0.113.1')).toEqual({ allowed: true });
  });
});
