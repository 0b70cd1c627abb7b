/**
 * A throwaway PostgreSQL 15 cluster for tests: Debian's binaries (`/usr/lib/postgresql/15/bin`,
 * or `VIGIE_PG_BIN`) run as a child process in a temporary folder, on 127.0.0.1 and a free
 * port, stopped by PID at the end. `initdb` and `postgres` refuse root: when the tests run as
 * root they run as the `postgres` user (`runuser`), the folder handed to it. Not a test file.
 *
 * `startPostgres()` gives a cluster; `createDatabase()` a fresh empty database in it, so each
 * test gets its own schema. When the binaries are absent, `postgresUnavailable()` says why and
 * the suites that need PostgreSQL skip with that reason printed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './processes';

export const PG_BIN = process.env.VIGIE_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why PostgreSQL cannot be started here, or null when it can. */
export function postgresUnavailable(): string | null {
  if (!existsSync(join(PG_BIN, 'initdb')) || !existsSync(join(PG_BIN, 'postgres'))) {
    return `PostgreSQL 15 absent (${PG_BIN}) : installez le paquet Debian « postgresql » (voir .ci/run)`;
  }
  if (process.getuid?.() === 0) {
    const who = spawnSync('id', ['-u', 'postgres']);
    if (who.status !== 0) return 'tests lancés en root sans utilisateur « postgres » pour lancer PostgreSQL';
  }
  return null;
}

export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** The postmaster's own PID (not `runuser`'s): what `stop()` signals. */
  readonly pid: number;
  /** Fast shutdown then a new start on the same port and data folder (the data is kept). */
  restart(): Promise<void>;
  /** A new empty database in the cluster; its url. */
  createDatabase(prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Runs a PostgreSQL binary as the unprivileged `postgres` user when we are root. */
function asPostgres(bin: string, args: string[]): { cmd: string; args: string[] } {
  const path = join(PG_BIN, bin);
  return process.getuid?.() === 0 ? { cmd: 'runuser', args: ['-u', 'postgres', '--', path, ...args] } : { cmd: path, args };
}

export async function startPostgres(): Promise<PostgresCluster> {
  const why = postgresUnavailable();
  if (why) throw new Error(why);
  const dir = mkdtempSync(join(tmpdir(), 'vigie-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const init = asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const inited = spawnSync(init.cmd, init.args, { encoding: 'utf8' });
  if (inited.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${inited.stderr || inited.stdout}`);
  }
  const port = await freePort();
  // Tests only: no fsync (a crash loses the throwaway cluster anyway), socket in the folder.
  const run = asPostgres('postgres', [
    '-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir,
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess;
  let stderr = '';
  let postmaster = 0;
  /** Stops the server (fast shutdown), keeping the data folder. */
  const halt = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // SIGINT to the postmaster itself: PostgreSQL's fast shutdown.
      signal(postmaster || (child.pid ?? 0), 'SIGINT');
      const timer = setTimeout(() => signal(postmaster || (child.pid ?? 0), 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const stop = async (): Promise<void> => {
    await halt();
    rmSync(dir, { recursive: true, force: true });
  };
  /** Starts the server on the data folder and waits until it accepts a connection. */
  const launch = async (): Promise<void> => {
    child = spawn(run.cmd, run.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    stderr = '';
    postmaster = 0;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) {
        await stop();
        throw new Error(`postgres exited: ${stderr}`);
      }
      const probe = new pg.Client({ connectionString: url });
      try {
        await probe.connect();
        await probe.end();
        break;
      } catch {
        await probe.end().catch(() => undefined);
        if (Date.now() > deadline) {
          await stop();
          throw new Error(`postgres did not start: ${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    // The first line of postmaster.pid is the server's PID (the child is `runuser` when we are root).
    postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || (child.pid ?? 0);
  };
  await launch();
  return {
    url,
    port,
    get pid() {
      return postmaster;
    },
    async restart() {
      await halt();
      await launch();
    },
    async createDatabase(prefix = 'vigie') {
      const name = `${prefix}_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    if (pid > 0) process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/**
 * A database for one test: in the cluster the global setup started (`VIGIE_TEST_PG_URL`), or
 * in a cluster started for this process when there is none (stopped at exit).
 */
let ownCluster: Promise<PostgresCluster> | undefined;
export async function testDatabase(): Promise<string> {
  const shared = process.env.VIGIE_TEST_PG_URL;
  if (shared) {
    const admin = new pg.Client({ connectionString: shared });
    const name = `vigie_${randomBytes(6).toString('hex')}`;
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const u = new URL(shared);
    u.pathname = `/${name}`;
    return u.toString();
  }
  ownCluster ??= startPostgres().then((c) => {
    // Last resort if the file forgot `stopTestPostgres`: synchronous, by PID.
    process.once('exit', () => signal(c.pid, 'SIGINT'));
    return c;
  });
  return (await ownCluster).createDatabase();
}

/** Stops the cluster `testDatabase()` started for this process, if any (call it in `afterAll`). */
export async function stopTestPostgres(): Promise<void> {
  const c = ownCluster;
  ownCluster = undefined;
  if (c) await (await c).stop();
}
