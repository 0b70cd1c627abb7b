/**
 * The proxies and the raw baseline's cluster for the scale bench, on the cluster harness's
 * own pieces (`sync-server/src/testing/`: `startRedis`, `startHaproxy` and its operator-like
 * configuration): Redis, two bare Socket.IO servers (`scaleRawServer.ts`) on its Streams
 * adapter, and HAProxy in front, all child processes stopped by PID. The same proxy stands
 * in front of Vigie's two nodes, so both pay the same hop.
 */
import { spawnSync } from 'node:child_process';
import { haproxyUnavailable, startHaproxy, type Haproxy } from '../../sync-server/src/testing/haproxy';
import { freePort } from '../../sync-server/src/testing/processes';
import { redisUnavailable, startRedis, type RedisServer } from '../../sync-server/src/testing/redis';
import { startTs, type Child } from './processes';

/** Why the raw cluster (or the bench's proxy) cannot run here, or null. */
export function rawClusterUnavailable(): string | null {
  return redisUnavailable() ?? haproxyUnavailable();
}

/** The hard limit of open files a process started from here may raise itself to (`ulimit -Hn`). */
export function hardFileLimit(): number {
  const out = spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim();
  return out === 'unlimited' ? 1_048_576 : Number(out) || 1024;
}

/**
 * How many HAProxy processes carry `connections` and the `maxconn` of each: HAProxy needs two
 * descriptors per proxied connection and cannot go past the hard limit of open files (20,000
 * in this container: ~9,950 connections per process). Beyond it, several HAProxy processes
 * bind the same address (SO_REUSEPORT, HAProxy's default on Linux) and the kernel spreads
 * the connections between them: still one address for the clients.
 */
export function proxyPlan(connections: number, fileLimit = hardFileLimit()): { processes: number; maxconn: number } {
  const maxconn = Math.max(100, Math.floor((fileLimit - 100) / 2));
  // Margin: the kernel's spread by connection hash is even only on average.
  const processes = Math.max(1, Math.ceil((connections * 1.2) / maxconn));
  return { processes, maxconn };
}

export interface Proxy {
  url: string;
  pids: Record<string, number>;
  stop(): Promise<void>;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** HAProxy (the harness's configuration) in front of `backends` (base urls), as many processes on one port as `connections` need (`proxyPlan`). */
export async function startProxy(backends: string[], connections: number): Promise<Proxy> {
  const plan = proxyPlan(connections);
  const port = await freePort();
  const proxies: Haproxy[] = [];
  const stop = async () => {
    for (const p of proxies) await p.stop();
  };
  try {
    // Health checks every 2 s rather than the harness's 500 ms: on two shared cores a node busy
    // with thousands of handshakes may miss two quick checks and be cut from the rotation.
    for (let i = 0; i < plan.processes; i++) proxies.push(await startHaproxy({ backends, port, maxConn: plan.maxconn, checkIntervalMs: 2000 }));
    // A second process on a port already open "listens" at once: check it did not die binding.
    await new Promise((r) => setTimeout(r, 500));
    const dead = proxies.find((p) => !alive(p.pid));
    if (dead) throw new Error(`haproxy ${dead.pid} stopped right after its start (port ${port} shared by ${plan.processes} processes)`);
    return { url: `http://127.0.0.1:${port}`, pids: Object.fromEntries(proxies.map((p, i) => [`haproxy ${i + 1}`, p.pid])), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Redis, two bare Socket.IO servers on its Streams adapter, HAProxy in front (`startProxy`). `connections`: the bench's sockets. */
export async function startRawCluster(connections: number): Promise<Proxy> {
  const why = rawClusterUnavailable();
  if (why) throw new Error(why);
  let redis: RedisServer | null = null;
  let proxy: Proxy | null = null;
  const servers: Child[] = [];
  const stop = async () => {
    await proxy?.stop();
    for (const s of servers) await s.stop();
    await redis?.destroy();
  };
  try {
    redis = await startRedis();
    for (let i = 0; i < 2; i++) servers.push(await startTs('bench/support/scaleRawServer.ts', ['--redis', redis.url], 'SCALE_RAW_READY', 120_000));
    proxy = await startProxy(servers.map((s) => s.url), connections);
    return {
      url: proxy.url,
      pids: { 'raw server 1': servers[0].proc.pid ?? 0, 'raw server 2': servers[1].proc.pid ?? 0, redis: redis.pid, ...proxy.pids },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
