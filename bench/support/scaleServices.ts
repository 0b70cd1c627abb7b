/**
 * The raw baseline's cluster for the scale bench: Redis and HAProxy from Debian's packages as
 * child processes in a temporary folder, in front of two bare Socket.IO servers
 * (`scaleRawServer.ts`), stopped by PID. Vigie's own cluster comes from the test harness
 * (`sync-server/src/testing/cluster.ts`); this is its twin for servers that are not Vigie's.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTs, type Child } from './processes';

export const REDIS_SERVER = '/usr/bin/redis-server';
export const HAPROXY = '/usr/sbin/haproxy';

/** Why the raw cluster cannot run here, or null. */
export function rawClusterUnavailable(): string | null {
  if (!existsSync(REDIS_SERVER)) return `redis-server absent (${REDIS_SERVER}) : installez le paquet Debian « redis-server »`;
  if (!existsSync(HAPROXY)) return `haproxy absent (${HAPROXY}) : installez le paquet Debian « haproxy »`;
  return null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, proc: ChildProcess, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${what} exited (${proc.exitCode}) before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`${what} not listening on ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, 'exit');
  proc.kill('SIGTERM');
  const killer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}

/** The HAProxy configuration of the baseline: round-robin, WebSocket (HTTP mode, long tunnel timeout), no stickiness. */
export function haproxyConfig(port: number, backends: readonly number[], maxconn: number): string {
  return [
    'global',
    `  maxconn ${maxconn}`,
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    '  timeout client 1h',
    '  timeout server 1h',
    '  timeout tunnel 1h',
    'frontend fe',
    `  bind 127.0.0.1:${port}`,
    '  default_backend nodes',
    'backend nodes',
    '  balance roundrobin',
    ...backends.map((p, i) => `  server n${i} 127.0.0.1:${p} maxconn ${maxconn}`),
    '',
  ].join('\n');
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

/**
 * HAProxy in front of `backends` (ports on 127.0.0.1), as many processes on one port as
 * `connections` need (`proxyPlan`). The same proxy stands in front of Vigie's two nodes and
 * of the bare cluster, so the comparison pays the same hop.
 */
export async function startProxy(backends: readonly number[], connections: number): Promise<Proxy> {
  if (!existsSync(HAPROXY)) throw new Error(`haproxy absent (${HAPROXY}) : installez le paquet Debian « haproxy »`);
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-haproxy-'));
  const proxies: ChildProcess[] = [];
  const stop = async () => {
    for (const p of proxies) await stopChild(p);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const cfg = join(dir, 'haproxy.cfg');
    const plan = proxyPlan(connections);
    writeFileSync(cfg, haproxyConfig(port, backends, plan.maxconn));
    const check = spawnSync(HAPROXY, ['-c', '-f', cfg], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`haproxy refused its configuration: ${check.stderr || check.stdout}`);
    for (let i = 0; i < plan.processes; i++) {
      const haproxy = spawn(HAPROXY, ['-f', cfg, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      haproxy.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-2000);
      });
      proxies.push(haproxy);
      await waitForPort(port, haproxy, 'haproxy').catch((err: unknown) => {
        throw new Error(`${err instanceof Error ? err.message : String(err)}: ${stderr}`);
      });
    }
    return { url: `http://127.0.0.1:${port}`, pids: Object.fromEntries(proxies.map((p, i) => [`haproxy ${i + 1}`, p.pid ?? 0])), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Redis, two bare Socket.IO servers on its Streams adapter, HAProxy in front (`startProxy`). `connections`: the bench's sockets. */
export async function startRawCluster(connections: number): Promise<Proxy> {
  const why = rawClusterUnavailable();
  if (why) throw new Error(why);
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-raw-'));
  let redis: ChildProcess | null = null;
  let proxy: Proxy | null = null;
  const servers: Child[] = [];
  const stop = async () => {
    await proxy?.stop();
    for (const s of servers) await s.stop();
    if (redis) await stopChild(redis);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const redisPort = await freePort();
    redis = spawn(REDIS_SERVER, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    await waitForPort(redisPort, redis, 'redis-server');
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    for (let i = 0; i < 2; i++) servers.push(await startTs('bench/support/scaleRawServer.ts', ['--redis', redisUrl], 'SCALE_RAW_READY', 120_000));
    proxy = await startProxy(servers.map((s) => Number(new URL(s.url).port)), connections);
    return {
      url: proxy.url,
      pids: { 'raw server 1': servers[0].proc.pid ?? 0, 'raw server 2': servers[1].proc.pid ?? 0, redis: redis.pid ?? 0, ...proxy.pids },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
