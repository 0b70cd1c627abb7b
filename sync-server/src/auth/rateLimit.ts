/**
 * Failed-login limiter per (username, IP): after `maxFailures` failures within `windowMs`,
 * further attempts are refused until the oldest failure leaves the window. In memory: a
 * restart forgets, which is acceptable for a brake on guessing (not an account lockout).
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => Date,
    private readonly maxFailures = 10,
    private readonly windowMs = 60_000,
  ) {}

  private key(username: string, ip: string): string {
    return `${username.toLowerCase()}\u0000${ip}`;
  }

  private recent(key: string): number[] {
    const list = this.failures.get(key);
    if (!list) return [];
    const since = this.now().getTime() - this.windowMs;
    const kept = list.filter((t) => t > since);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  isBlocked(username: string, ip: string): boolean {
    return this.recent(this.key(username, ip)).length >= this.maxFailures;
  }

  recordFailure(username: string, ip: string): void {
    const key = this.key(username, ip);
    const list = this.recent(key);
    list.push(this.now().getTime());
    this.failures.set(key, list);
    // Bound memory under a spray of usernames: drop expired keys now and then.
    if (this.failures.size > 10_000) for (const k of [...this.failures.keys()]) this.recent(k);
  }

  recordSuccess(username: string, ip: string): void {
    this.failures.delete(this.key(username, ip));
  }
}
