/**
 * A throwaway Redis for tests: Debian's `redis-server` (or `VIGIE_REDIS_SERVER`) as a child
 * process in a temporary folder, on 127.0.0.1 and a free port, without persistence, stopped by
 * PID. `stop()` then `start()` (or `restart()`) brings it back on the same port, empty, as a
 * Redis restarted without persistence would. Not a test file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild, waitForPort } from './processes';

export const REDIS_SERVER = process.env.VIGIE_REDIS_SERVER ?? 'redis-server';

/** Why Redis cannot be started here, or null when it can. */
export function redisUnavailable(): string | null {
  const probe = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `redis-server absent (${REDIS_SERVER}) : installez le paquet Debian « redis-server » (voir .ci/run)`;
  return null;
}

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The running server's PID (0 while stopped). */
  readonly pid: number;
  /** Stops it (SIGTERM, SIGKILL after 10 s); resolves when it has exited. The folder stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port; resolves when it accepts connections. */
  start(): Promise<void>;
  /** `stop()` then `start()`. */
  restart(): Promise<void>;
  /** Stops it and removes its folder. Idempotent. */
  destroy(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const why = redisUnavailable();
  if (why) throw new Error(why);
  const dir = mkdtempSync(join(tmpdir(), 'vigie-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const launch = async (): Promise<void> => {
    const proc = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'no', '--loglevel', 'warning', '--logfile', ''],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    // With `--loglevel warning` the ready line is not printed: wait for the port instead.
    await waitForPort(proc, port, `redis-server :${port}`);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = null;
    if (c) await stopChild(c, 'SIGTERM');
  };
  let destroyed = false;
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.pid ?? 0;
    },
    stop,
    start: launch,
    async restart() {
      await stop();
      await launch();
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
