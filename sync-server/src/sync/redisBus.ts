/**
 * Several sync nodes (issue 11): what one node shares with the others through Redis (CLI
 * `--redis redis://…`, `AppOptions.redis`).
 *
 * - Pokes: Socket.IO's Redis Streams adapter, so `io.to(rooms).emit(poke)` on one node reaches
 *   the sockets of every node. Connection-state recovery stays off (docs/design.md, "Several
 *   sync nodes — issue 11"): a client catches up by pull on every reconnection.
 * - Login brakes: `RateLimiterRedis` counters (`redisLimiters`, auth/rateLimit.ts).
 *
 * A Redis outage never stops the node. While Redis is unreachable, pokes go to this node's own
 * sockets only (`pokeTarget`): the adapter would otherwise wait for Redis before emitting even
 * locally; the other nodes' clients catch up by pull (every reconnection, every push of
 * their own). The login brakes fall back to this process's memory (see `redisLimiters`). Both
 * come back by themselves when Redis does (node-redis reconnects).
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { fr } from '../../../common/i18n/fr';
import { redisLimiters, type LimiterFactory } from '../auth/rateLimit';
import { errorText } from '../errors';
import type { LogFn } from '../log';

/** `redis://` or `rediss://` (TLS), with an optional user, password and database number. */
export function checkRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(fr.cluster.badRedisUrl(url));
  }
  if ((parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || !parsed.hostname) throw new Error(fr.cluster.badRedisUrl(url));
  return url;
}

/** Longest wait between two reconnection attempts to Redis. */
const RECONNECT_MAX_MS = 1_000;

export interface RedisBus {
  /** What `io.adapter()` takes: the Redis Streams adapter over this bus's client. */
  adapter: ReturnType<typeof createAdapter>;
  /** The login brakes' counters in Redis, in memory while Redis is unreachable. */
  limiters: LimiterFactory;
  /** Whether a broadcast can reach the other nodes now (the publishing connection is up). */
  connected(): boolean;
  /** Resolves when the first connection is up, or false after `timeoutMs` (the node starts anyway). */
  firstConnection(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export function connectRedisBus(url: string, log: LogFn): RedisBus {
  checkRedisUrl(url);
  const socket = { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, RECONNECT_MAX_MS) };
  // The adapter's client: its offline queue stays on, because the adapter duplicates it for
  // its stream reader, whose loop would spin on immediate refusals; broadcasts are not sent
  // through it while it is down (`pokeTarget`).
  const pubsub = createClient({ url, socket });
  // The login brakes' client refuses at once while down, so the memory fallback answers.
  const counters = createClient({ url, socket, disableOfflineQueue: true });
  let down = false;
  pubsub.on('error', (err: unknown) => {
    // node-redis retries by itself; one line per outage, not one per attempt.
    if (!down) log(`redis unreachable, pokes stay on this node and login brakes use its memory until it is back: ${errorText(err)}`, { level: 'warn' });
    down = true;
  });
  pubsub.on('ready', () => {
    if (down) log('redis reachable again: pokes cross nodes and login brakes are shared again', { level: 'info' });
    down = false;
  });
  counters.on('error', () => {
    /* reported once by the adapter's client above; the brakes fall back to memory */
  });
  const first = Promise.all([pubsub.connect(), counters.connect()]).then(
    () => true,
    (err: unknown) => {
      log(`redis connection failed: ${errorText(err)}`, { level: 'error' });
      return false;
    },
  );
  // The stream is read every 2 s at least, so a closing node lets go of Redis within that.
  const adapter = createAdapter(pubsub, { streamName: 'vigie:sync', channelPrefix: 'vigie:sync', blockTimeInMs: 2_000, onlyPlaintext: true });
  let closed = false;
  return {
    adapter,
    limiters: redisLimiters(counters),
    connected: () => pubsub.isReady,
    firstConnection(timeoutMs) {
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
        void first.then((ok) => {
          clearTimeout(timer);
          resolve(ok);
        });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const client of [pubsub, counters]) {
        if (client.isOpen) client.destroy();
      }
    },
  };
}
