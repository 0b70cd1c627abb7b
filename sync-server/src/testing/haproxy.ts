/**
 * HAProxy in front of sync nodes for tests: Debian's `haproxy` (or `VIGIE_HAPROXY`) in the
 * foreground (`-db`) with a generated configuration in a temporary folder, stopped by PID.
 *
 * The configuration is the one an operator would start from (`haproxyConfig`): one frontend on
 * a loopback port, the nodes as backends, round robin without stickiness (every node can
 * serve every client: sessions, revocations and brakes are shared), WebSocket tunnels kept an
 * hour, a health check on `GET /api/territories` (answers 401 without a login: the node is up
 * and its store answers), and a failed connection retried on another node. Not a test file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild, waitForPort } from './processes';

/** Debian installs it in /usr/sbin, which an unprivileged PATH may lack. */
export const HAPROXY = process.env.VIGIE_HAPROXY ?? (existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy');

/** Why HAProxy cannot be started here, or null when it can. */
export function haproxyUnavailable(): string | null {
  const probe = spawnSync(HAPROXY, ['-v'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `haproxy absent (${HAPROXY}) : installez le paquet Debian « haproxy » (voir .ci/run)`;
  return null;
}

export interface HaproxyOptions {
  /** The nodes' base urls (`http://127.0.0.1:<port>`). */
  backends: string[];
  /** The frontend's port (default: a free one). */
  port?: number;
  /** Health check interval (default 500 ms: a killed node leaves the rotation within about a second). */
  checkIntervalMs?: number;
  /**
   * Connections at once (default 4000). HAProxy needs about two file descriptors each and
   * refuses to start above the process's limit (`ulimit -n`): a load bench raises both.
   */
  maxConn?: number;
}

/** The configuration file's text. */
export function haproxyConfig(opts: { port: number; backends: string[]; checkIntervalMs?: number; maxConn?: number }): string {
  const inter = opts.checkIntervalMs ?? 500;
  const servers = opts.backends.map((url, i) => {
    const u = new URL(url);
    return `  server node${i} ${u.hostname}:${u.port} check`;
  });
  return [
    'global',
    `  maxconn ${opts.maxConn ?? 4000}`,
    '',
    'defaults',
    '  mode http',
    '  option forwardfor',
    '  option redispatch',
    '  retries 3',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    // An open WebSocket is a tunnel: it may stay quiet a long time between pokes.
    '  timeout tunnel 1h',
    '  timeout client-fin 5s',
    '  timeout http-request 10s',
    '',
    'frontend vigie',
    `  bind 127.0.0.1:${opts.port}`,
    '  default_backend sync_nodes',
    '',
    'backend sync_nodes',
    '  balance roundrobin',
    '  option httpchk GET /api/territories',
    '  http-check expect rstatus ^(200|401)$',
    // A node that leaves the rotation loses its tunnels at once: its clients reconnect elsewhere.
    `  default-server inter ${inter} fastinter ${inter} downinter ${inter} fall 2 rise 1 on-marked-down shutdown-sessions`,
    ...servers,
    '',
  ].join('\n');
}

export interface Haproxy {
  url: string;
  port: number;
  readonly pid: number;
  /** The configuration file (its folder is removed by `stop`). */
  configFile: string;
  stop(): Promise<void>;
}

export async function startHaproxy(opts: HaproxyOptions): Promise<Haproxy> {
  const why = haproxyUnavailable();
  if (why) throw new Error(why);
  const dir = mkdtempSync(join(tmpdir(), 'vigie-haproxy-'));
  const port = opts.port ?? (await freePort());
  const configFile = join(dir, 'haproxy.cfg');
  writeFileSync(configFile, haproxyConfig({ port, backends: opts.backends, checkIntervalMs: opts.checkIntervalMs, maxConn: opts.maxConn }));
  const check = spawnSync(HAPROXY, ['-c', '-q', '-f', configFile], { encoding: 'utf8' });
  if (check.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`haproxy refused its configuration: ${check.stderr || check.stdout}`);
  }
  const child: ChildProcess = spawn(HAPROXY, ['-db', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await waitForPort(child, port, `haproxy :${port}`);
  } catch (err) {
    await stopChild(child, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    configFile,
    async stop() {
      if (stopped) return;
      stopped = true;
      // SIGUSR1 is HAProxy's soft stop (waits for tunnels); SIGTERM stops at once.
      await stopChild(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
