/**
 * The login brakes on Redis (`redisLimiters`, issue 11): a real `redis-server` (testing/redis.ts),
 * two throttles as two nodes would hold, each with its own connection. Skipped, with the reason
 * printed, where redis-server is absent.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_POLICY, LoginThrottle, redisLimiters } from './rateLimit';
import { redisUnavailable, startRedis, type RedisServer } from '../testing/redis';

const skip = redisUnavailable();
if (skip) console.warn(`rateLimitRedis.test.ts ignoré : ${skip}`);

describe.skipIf(skip !== null)('login brakes counted in Redis', () => {
  let redis: RedisServer;
  const clients: Array<ReturnType<typeof createClient>> = [];

  /** A node's connection, as `sync/redisBus.ts` opens it (refuses at once while Redis is down). */
  async function node(): Promise<LoginThrottle> {
    const client = createClient({ url: redis.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 100 } });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return new LoginThrottle(redisLimiters(client));
  }

  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) if (c.isOpen) c.destroy();
    await redis?.destroy();
  });

  it('counts the failures seen by two nodes together', async () => {
    const [a, b] = [await node(), await node()];
    const address = '198.51.100.10';
    const half = LOGIN_POLICY.perAddress.failures / 2;
    for (let i = 0; i < half; i++) {
      await a.recordFailure(`inconnu-a${i}`, address);
      await b.recordFailure(`inconnu-b${i}`, address);
    }
    // Each node saw half the failures: only a shared counter trips the brake.
    expect((await a.check('samu75', address)).allowed).toBe(false);
    expect((await b.check('samu75', address)).allowed).toBe(false);
    expect((await b.check('samu75', '198.51.100.11')).allowed).toBe(true);
    // The account delay too: failures on either node, the delay on both.
    for (let i = 0; i < LOGIN_POLICY.perAccount.freeFailures; i++) await (i % 2 ? a : b).recordFailure('samu29', `203.0.113.${i}`);
    expect(await a.check('samu29', '192.0.2.1')).toMatchObject({ allowed: false });
    await b.recordSuccess('samu29', '192.0.2.1');
    expect(await a.check('samu29', '192.0.2.1')).toEqual({ allowed: true });
  });

  it('keeps braking from the node’s memory while Redis is down, and shares again once it is back', { timeout: 60_000 }, async () => {
    const [a, b] = [await node(), await node()];
    await redis.stop();
    // Fail open to per-node brakes: nothing throws, logins are still verified…
    expect(await a.check('samu75', '198.51.100.20')).toEqual({ allowed: true });
    // …and one node's own failures still brake it.
    for (let i = 0; i < LOGIN_POLICY.perAddress.failures; i++) await a.recordFailure(`panne-${i}`, '198.51.100.20');
    expect((await a.check('samu75', '198.51.100.20')).allowed).toBe(false);
    // The other node did not see them (its own memory).
    expect((await b.check('samu75', '198.51.100.20')).allowed).toBe(true);

    await redis.start();
    const back = Date.now() + 30_000;
    while (!clients.every((c) => c.isReady) && Date.now() < back) await new Promise((r) => setTimeout(r, 100));
    expect(clients.every((c) => c.isReady)).toBe(true);
    for (let i = 0; i < LOGIN_POLICY.perAddress.failures; i++) await a.recordFailure(`retour-${i}`, '198.51.100.30');
    expect((await b.check('samu75', '198.51.100.30')).allowed).toBe(false);
  });
});
