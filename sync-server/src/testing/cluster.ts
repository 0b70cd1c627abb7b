/**
 * Several sync nodes behind one address, for tests and benches (issue 11): real processes,
 * each stopped by PID.
 *
 * - the store: a SQLite file in a temporary folder (one node only), or a throwaway PostgreSQL 15
 *   cluster (`postgres.ts`) with one database for the nodes;
 * - Redis (`redis.ts`) when `redis` (default: more than one node): every node gets `--redis`;
 * - the nodes: the real command line (`sync-server/src/cli.ts` through tsx), each on its own
 *   port on 127.0.0.1, started one after the other (the first seeds the demo, the others find
 *   it seeded), `--trusted-proxy loopback` so the proxy's `X-Forwarded-For` is used;
 * - HAProxy (`haproxy.ts`) in front when `proxy` is 'haproxy' (default with more than one node):
 *   round robin, WebSocket, no stickiness.
 *
 * `clusterUnavailable(opts)` says, in French, which Debian binary is missing (tests skip with it
 * printed). Not a test file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haproxyUnavailable, startHaproxy, type Haproxy } from './haproxy';
import { postgresUnavailable, startPostgres, type PostgresCluster } from './postgres';
import { captureOutput, freePort, stopChild, waitForOutput } from './processes';
import { redisUnavailable, startRedis, type RedisServer } from './redis';

export interface ClusterOptions {
  /** Sync-server processes (real `sync-server/src/cli.ts` via tsx, each its own port on 127.0.0.1). */
  nodes: number;
  /** `sqlite` only with `nodes === 1`. */
  store: 'sqlite' | 'postgres';
  /** Default: `nodes > 1` (Socket.IO Redis Streams adapter + shared rate limits). */
  redis?: boolean;
  /** Default: 'haproxy' when `nodes > 1`; round robin, WebSocket, no sticky sessions. */
  proxy?: 'haproxy' | 'none';
  /** Seed the demo (default true). */
  demo?: boolean;
  /** Extra CLI arguments for every node. */
  args?: string[];
  env?: Record<string, string>;
}

export interface ClusterNode {
  index: number;
  url: string;
  /** The node's PID (the last one started). */
  pid: number;
  /** Resolves when the process has exited (SIGKILL for a crash). Default SIGTERM. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** (Re)starts it on the same port; resolves when it prints its ready line. */
  start(): Promise<void>;
  /** Whether the process runs now. */
  running(): boolean;
  /** The last few kilobytes it wrote (its JSON log on stderr), for failure messages. */
  output(): string;
  /** Sockets connected to this process now, counted from its log ("socket connected" / "socket disconnected"). */
  sockets(): number;
}

export interface Cluster {
  /** What clients use: the proxy's url, or node 0's when proxy is 'none'. */
  url: string;
  nodes: ClusterNode[];
  /** The store: SQLite path or postgres:// url. */
  db: string;
  redis?: {
    url: string;
    pid: number;
    restart(): Promise<void>;
    /** Stops Redis (the nodes keep serving); `start()` brings it back, empty, on the same port. */
    stop(): Promise<void>;
    start(): Promise<void>;
  };
  /** `restart` keeps the data folder. */
  postgres?: { url: string; pid: number; restart(): Promise<void> };
  /** The proxy, when there is one. */
  proxy?: { url: string; pid: number; configFile: string };
  /** Stops everything it started, by PID; idempotent. */
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'sync-server/src/cli.ts');
const READY = /VIGIE_SYNC_SERVER_READY (\S+)/;
/** A node's start under load: tsx compiles, and the first node seeds the demo (minutes on PostgreSQL on a loaded machine). */
const NODE_START_MS = 420_000;

function resolved(opts: ClusterOptions): { redis: boolean; proxy: 'haproxy' | 'none'; demo: boolean } {
  return { redis: opts.redis ?? opts.nodes > 1, proxy: opts.proxy ?? (opts.nodes > 1 ? 'haproxy' : 'none'), demo: opts.demo ?? true };
}

/** A printed skip reason when a Debian binary is missing, else null. */
export function clusterUnavailable(opts: ClusterOptions): string | null {
  const r = resolved(opts);
  if (opts.store === 'postgres') {
    const why = postgresUnavailable();
    if (why) return why;
  }
  if (r.redis) {
    const why = redisUnavailable();
    if (why) return why;
  }
  if (r.proxy === 'haproxy') {
    const why = haproxyUnavailable();
    if (why) return why;
  }
  return null;
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  if (!Number.isInteger(opts.nodes) || opts.nodes < 1) throw new Error(`startCluster: nodes must be a positive integer (${opts.nodes})`);
  if (opts.store === 'sqlite' && opts.nodes !== 1) throw new Error('startCluster: the SQLite store serves one node only');
  const why = clusterUnavailable(opts);
  if (why) throw new Error(why);
  const r = resolved(opts);
  const cleanups: Array<() => Promise<void>> = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // The proxy first (no new connections), then the nodes, then the services they use.
      for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
    })();
    return stopping;
  };
  try {
    let db: string;
    let pgCluster: PostgresCluster | undefined;
    if (opts.store === 'postgres') {
      pgCluster = await startPostgres();
      const started = pgCluster;
      cleanups.push(() => started.stop());
      db = await pgCluster.createDatabase('vigie_cluster');
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'vigie-cluster-'));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      db = join(dir, 'server.sqlite');
    }
    let redis: RedisServer | undefined;
    if (r.redis) {
      redis = await startRedis();
      const started = redis;
      cleanups.push(() => started.destroy());
    }
    const nodes: ClusterNode[] = [];
    for (let index = 0; index < opts.nodes; index++) {
      const args = ['--db', db, '--trusted-proxy', 'loopback', '--log-format', 'json'];
      if (r.demo) args.push('--demo');
      if (redis) args.push('--redis', redis.url);
      args.push(...(opts.args ?? []));
      const node = await clusterNode(index, args, opts.env ?? {});
      cleanups.push(() => node.kill('SIGTERM'));
      nodes.push(node);
    }
    let proxy: Haproxy | undefined;
    if (r.proxy === 'haproxy') {
      proxy = await startHaproxy({ backends: nodes.map((n) => n.url) });
      const started = proxy;
      cleanups.push(() => started.stop());
    }
    const redisHandle = redis;
    const pgHandle = pgCluster;
    const proxyHandle = proxy;
    return {
      url: proxy?.url ?? nodes[0].url,
      nodes,
      db,
      redis: redisHandle && {
        url: redisHandle.url,
        get pid() {
          return redisHandle.pid;
        },
        restart: () => redisHandle.restart(),
        stop: () => redisHandle.stop(),
        start: () => redisHandle.start(),
      },
      postgres: pgHandle && {
        url: db,
        get pid() {
          return pgHandle.pid;
        },
        restart: () => pgHandle.restart(),
      },
      proxy: proxyHandle && { url: proxyHandle.url, pid: proxyHandle.pid, configFile: proxyHandle.configFile },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** One node: the real CLI through tsx in one process (`node --import tsx`, signals reach it directly). */
async function clusterNode(index: number, args: string[], env: Record<string, string>): Promise<ClusterNode> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let output: () => string = () => '';
  let sockets = 0;
  const node: ClusterNode = {
    index,
    url: `http://127.0.0.1:${port}`,
    pid: 0,
    running: () => child !== null && child.exitCode === null && child.signalCode === null,
    output: () => output(),
    sockets: () => (node.running() ? sockets : 0),
    async kill(signal = 'SIGTERM') {
      const c = child;
      if (c) await stopChild(c, signal);
    },
    async start() {
      if (node.running()) throw new Error(`node ${index} is already running`);
      const proc = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', String(port), ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      node.pid = proc.pid ?? 0;
      output = captureOutput(proc);
      sockets = 0;
      countSockets(proc, (delta) => {
        sockets += delta;
      });
      const ready = await waitForOutput(proc, READY, `sync node ${index}`, NODE_START_MS).catch(async (err: unknown) => {
        await stopChild(proc, 'SIGKILL');
        throw err;
      });
      if (ready[1] !== node.url) throw new Error(`sync node ${index} listens on ${ready[1]}, expected ${node.url}`);
    },
  };
  await node.start();
  return node;
}

/** Follows a node's JSON log lines on stderr and reports each socket connected (+1) or disconnected (-1). */
function countSockets(child: ChildProcess, onDelta: (delta: 1 | -1) => void): void {
  let pending = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        const msg: unknown = (JSON.parse(line) as { msg?: unknown }).msg;
        if (msg === 'socket connected') onDelta(1);
        else if (typeof msg === 'string' && msg.startsWith('socket disconnected')) onDelta(-1);
      } catch {
        /* not a log line */
      }
    }
  });
}
