/**
 * Login brakes (docs/security.md, "Connexion"), over `rate-limiter-flexible` counters:
 *
 * - per address, any username: 50 failures in 15 min → that address is refused until the
 *   window ends (a password spray from one address is stopped; behind a reverse proxy each
 *   real client has its own address thanks to `--trusted-proxy`);
 * - per username and address: 10 failures in a minute → refused until the minute ends (the
 *   fast brake that existed before);
 * - per username, any address: after 5 failures each further attempt must wait a delay that
 *   doubles (1 s, 2 s, 4 s … at most 60 s). Never a lock: an attacker can slow an account,
 *   not shut its owner out. An address from which the account logged in successfully in the
 *   last 14 days is not subject to this delay (only to the two brakes above), so a known
 *   user's usual workstation is never kept waiting by someone else's guesses.
 *
 * An account's failures are forgotten after an hour without a new one. Memory stays bounded
 * under a spray of made-up usernames: each address adds at most 50 keys per 15 minutes, and
 * every key leaves within the hour (known addresses, written only on success, within 14 days).
 *
 * A successful login clears the username's delay and its per-address counter. Refused
 * attempts are not counted (an attacker cannot lengthen a delay by knocking during it).
 * Keys use the username as typed (lower-cased), whether or not it exists: an unknown and a
 * known username are answered alike.
 *
 * Memory store by default; with several nodes (`--redis`, issue 11) `redisLimiters` builds
 * `RateLimiterRedis` counters so that every node counts the same failures, without changing
 * callers.
 */
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { createClient } from 'redis';

/** What a limiter is built from (`points` per `duration` seconds, a store key prefix). */
export type LimiterOptions = ConstructorParameters<typeof RateLimiterMemory>[0] & { keyPrefix: string };

/** Builds one counter; the store behind it (memory, Redis…) is the factory's choice. */
export type LimiterFactory = (options: LimiterOptions) => RateLimiterAbstract;

/** Counters in this process's memory: a restart forgets them. */
export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

/**
 * Counters in Redis, shared by every node that uses the same server (keys `vigie:<prefix>:…`).
 * While Redis is unreachable each counter answers from this process's memory instead
 * (rate-limiter-flexible's insurance limiter): logins go on, still braked, but each node counts
 * only the failures it saw during the outage (so at most one brake's worth per node), and
 * those are not carried over to Redis afterwards. Failing open to per-node brakes rather than
 * closed: an outage of the cache must not lock every crisis cell out. `client` should refuse
 * commands at once while disconnected (`disableOfflineQueue`), or a check waits for Redis.
 */
export function redisLimiters(client: ReturnType<typeof createClient>): LimiterFactory {
  return (options) =>
    new RateLimiterRedis({
      ...options,
      keyPrefix: `vigie:${options.keyPrefix}`,
      storeClient: client,
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
}

export interface LoginPolicy {
  perAddress: { failures: number; windowSec: number };
  perAccountAndAddress: { failures: number; windowSec: number };
  /** `forgetAfterSec`: an account's failures are forgotten after that long without a new one. */
  perAccount: { freeFailures: number; forgetAfterSec: number; firstDelaySec: number; maxDelaySec: number };
  /**
   * How long an address that logged in successfully stays exempt from the account delay. At
   * most 24 days: the memory store expires keys with `setTimeout`, whose delay is a 32-bit
   * number of milliseconds (a longer one fires at once).
   */
  knownAddressSec: number;
}

export const LOGIN_POLICY: LoginPolicy = {
  perAddress: { failures: 50, windowSec: 15 * 60 },
  perAccountAndAddress: { failures: 10, windowSec: 60 },
  perAccount: { freeFailures: 5, forgetAfterSec: 60 * 60, firstDelaySec: 1, maxDelaySec: 60 },
  knownAddressSec: 14 * 24 * 60 * 60,
};

/** Seconds the next attempt on an account must wait after `failures` consecutive failures: 0, then 1, 2, 4 … capped. */
export function accountDelaySec(failures: number, policy: LoginPolicy['perAccount'] = LOGIN_POLICY.perAccount): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(policy.firstDelaySec * 2 ** (failures - policy.freeFailures), policy.maxDelaySec);
}

export type LoginVerdict = { allowed: true } | { allowed: false; retryAfterSec: number };

/** Lower-cased: `SAMU75` and `samu75` are one account for the brakes as for the lookup. */
function accountKey(username: string): string {
  return username.trim().toLowerCase();
}

function pairKey(username: string, address: string): string {
  return `${accountKey(username)}\u0000${address}`;
}

export class LoginThrottle {
  private readonly byAddress: RateLimiterAbstract;
  private readonly byPair: RateLimiterAbstract;
  private readonly accountFailures: RateLimiterAbstract;
  /** A key exists (blocked) while the account's delay runs. */
  private readonly accountDelay: RateLimiterAbstract;
  private readonly knownAddresses: RateLimiterAbstract;
  /** One attempt per account at a time in this process, so parallel guesses see each other's failures. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    limiters: LimiterFactory = memoryLimiters,
    private readonly policy: LoginPolicy = LOGIN_POLICY,
  ) {
    const p = policy;
    this.byAddress = limiters({ keyPrefix: 'login-addr', points: p.perAddress.failures, duration: p.perAddress.windowSec });
    this.byPair = limiters({ keyPrefix: 'login-pair', points: p.perAccountAndAddress.failures, duration: p.perAccountAndAddress.windowSec });
    // A plain count (written with `set`, never refused): the delay is what brakes, not this counter's ceiling.
    this.accountFailures = limiters({ keyPrefix: 'login-account', points: 1_000_000, duration: p.perAccount.forgetAfterSec });
    this.accountDelay = limiters({ keyPrefix: 'login-delay', points: 1, duration: p.perAccount.maxDelaySec });
    this.knownAddresses = limiters({ keyPrefix: 'login-known', points: 1, duration: p.knownAddressSec });
  }

  /**
   * Runs `attempt` (check, verify, record) for one account after the previous attempt on the
   * same account has finished: without it, a burst of parallel guesses would all pass the
   * check before the first failure is recorded.
   */
  async serialised<T>(username: string, attempt: () => Promise<T>): Promise<T> {
    const key = accountKey(username);
    const previous = this.inFlight.get(key) ?? Promise.resolve();
    const run = previous.then(attempt, attempt);
    const settled = run.catch(() => undefined);
    this.inFlight.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
    }
  }

  /** Whether an attempt may be verified now; if not, how many seconds until it may. */
  async check(username: string, address: string): Promise<LoginVerdict> {
    const [byAddress, byPair, delay, known] = await Promise.all([
      this.byAddress.get(address),
      this.byPair.get(pairKey(username, address)),
      this.accountDelay.get(accountKey(username)),
      this.knownAddresses.get(pairKey(username, address)),
    ]);
    const waitsMs: number[] = [];
    // An expired record may linger until its timer fires: a non-positive remaining time is no record.
    if (byAddress && byAddress.msBeforeNext > 0 && byAddress.consumedPoints >= this.policy.perAddress.failures) waitsMs.push(byAddress.msBeforeNext);
    if (byPair && byPair.msBeforeNext > 0 && byPair.consumedPoints >= this.policy.perAccountAndAddress.failures) waitsMs.push(byPair.msBeforeNext);
    const knownAddress = known !== null && known.msBeforeNext > 0;
    if (delay && delay.msBeforeNext > 0 && !knownAddress) waitsMs.push(delay.msBeforeNext);
    if (!waitsMs.length) return { allowed: true };
    return { allowed: false, retryAfterSec: Math.max(1, Math.ceil(Math.max(...waitsMs) / 1000)) };
  }

  async recordFailure(username: string, address: string): Promise<void> {
    const account = accountKey(username);
    const [, , previous] = await Promise.all([
      this.byAddress.penalty(address),
      this.byPair.penalty(pairKey(username, address)),
      this.accountFailures.get(account),
    ]);
    // Rewritten rather than incremented so that the count lives `forgetAfterSec` after the
    // *last* failure: an attacker at the 60 s cap never sees it reset, and an abandoned
    // username (a spray of made-up ones) leaves memory within the hour.
    const failures = (previous && previous.msBeforeNext > 0 ? previous.consumedPoints : 0) + 1;
    await this.accountFailures.set(account, failures, this.policy.perAccount.forgetAfterSec);
    const delaySec = accountDelaySec(failures, this.policy.perAccount);
    if (delaySec > 0) await this.accountDelay.block(account, delaySec);
  }

  /** Clears the account's delay and this address's counter for it, and remembers the address as known. Not the address's own counter: logging in to one's own account must not reset a spray brake. */
  async recordSuccess(username: string, address: string): Promise<void> {
    await Promise.all([
      this.accountFailures.delete(accountKey(username)),
      this.accountDelay.delete(accountKey(username)),
      this.byPair.delete(pairKey(username, address)),
      this.knownAddresses.set(pairKey(username, address), 1, this.policy.knownAddressSec),
    ]);
  }
}
