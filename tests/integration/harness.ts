/**
 * Integration harness: a real sync server (createApp on port 0, demo data) over the store
 * the run is parametrised with (`VIGIE_TEST_STORE`: a temp SQLite file, or a PostgreSQL
 * database standing for that file) and real clients (the real main-process services, each
 * with its own data dir and SQLite cache). No part of ours is mocked.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { createApp, type SyncServerApp } from '../../sync-server/src/app';
import { MANDATORY_SECOND_FACTOR_ROLES } from '../../sync-server/src/auth/authService';
import { demoTestDb, TEST_STORE, testDb } from '../../sync-server/src/testing/stores';
import { PG_BIN } from '../../sync-server/src/testing/postgres';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../../sync-server/src/demo';
import { loadServerTerritories } from '../../sync-server/src/referential';
import { createConsoleServices, type ConsoleServices } from '../../main/services';
import type { SyncTuning } from '../../main/session/sessionManager';
import type { CallReply } from '../../common/engine/calls';
import type { CallName, CallResult, ConsoleEvents, EventName } from '../../common/api';
import type { ClientToServerEvents, LoginResponse, ServerToClientEvents } from '../../common/protocol';

export { DEMO_PASSWORD };

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `vigie-it-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestServer {
  app: SyncServerApp;
  url: string;
  /** The server's database as the test names it: a SQLite file path (on PostgreSQL, the key of the database standing for it). */
  dbPath: string;
  /** Where the store really is: `dbPath`, or the PostgreSQL url standing for it. */
  db: string;
  port: number;
  close(): Promise<void>;
}

/** On PostgreSQL, the database standing for each SQLite path a test gave (a restart on the same path finds it again). */
const pgDatabases = new Map<string, string>();

/** The store `dbPath` names in this run: the file itself, or (PostgreSQL) its database, created on first use — a copy of the seeded demo when `seeded`. */
async function storeFor(dbPath: string, seeded: boolean): Promise<string> {
  if (TEST_STORE !== 'postgres') return dbPath;
  let url = pgDatabases.get(dbPath);
  if (!url) {
    url = seeded ? await demoTestDb() : (await testDb('postgres')).db;
    pgDatabases.set(dbPath, url);
  }
  return url;
}

/** Starts a sync server on 127.0.0.1 (port 0 unless given) over `dbPath` (see `storeFor`), seeded once. */
export async function startServer(opts: { dbPath: string; port?: number; seed?: boolean; sessionTtlMs?: number; accessTtlMs?: number; summaryRetentionDays?: number }): Promise<TestServer> {
  // As `--demo` does: national and ARS need TOTP, waived for the demonstration accounts.
  const secondFactor = { requiredRoles: MANDATORY_SECOND_FACTOR_ROLES, waivedUsernames: DEMO_USERS.map((u) => u.username) };
  const seed = opts.seed ?? true;
  const db = await storeFor(opts.dbPath, seed);
  const app = createApp({ dbPath: db, territories: loadServerTerritories(), log: () => undefined, sessionTtlMs: opts.sessionTtlMs, accessTtlMs: opts.accessTtlMs, secondFactor, summaryRetentionDays: opts.summaryRetentionDays });
  if (seed) await seedDemo(app);
  const url = await app.listen(opts.port ?? 0, '127.0.0.1');
  return { app, url, dbPath: opts.dbPath, db, port: Number(new URL(url).port), close: () => app.close() };
}

/**
 * The rows of one query on the server's store, read directly and synchronously, as a test
 * checks what the server really holds: SQLite (read-only) or PostgreSQL (`psql`, as an
 * operator would). `?` placeholders take `params`. Portable SQL only.
 */
export function serverRows<R>(dbPath: string, sql: string, params: ReadonlyArray<string | number> = []): R[] {
  if (TEST_STORE !== 'postgres') {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as R[];
    } finally {
      db.close();
    }
  }
  const url = pgDatabases.get(dbPath) ?? dbPath;
  let i = 0;
  const inlined = sql.replace(/\?/g, () => {
    const v = params[i++];
    return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
  });
  const out = spawnSync(join(PG_BIN, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', `SELECT coalesce(json_agg(t), '[]'::json) FROM (${inlined}) t`], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`psql: ${out.stderr}`);
  return JSON.parse(out.stdout) as R[];
}

type Recorded = { [E in EventName]: { event: E; payload: ConsoleEvents[E] } }[EventName];

export class TestClient {
  readonly events: Recorded[] = [];
  private readonly off: () => void;

  constructor(
    readonly services: ConsoleServices,
    readonly dataDir: string,
  ) {
    this.off = services.on((event, payload) => {
      this.events.push({ event, payload } as Recorded);
    });
  }

  /** A typed call that fails the test on an error reply. */
  async call<K extends CallName>(name: K, args: Parameters<typeof this.raw<K>>[1]): Promise<CallResult<K>> {
    const reply = await this.raw(name, args);
    if (!reply.ok) throw new Error(`${name} failed: ${reply.error.code} ${reply.error.message}`);
    return reply.data;
  }

  raw<K extends CallName>(name: K, args: unknown): Promise<CallReply<CallResult<K>>> {
    return this.services.dispatch(name, args) as Promise<CallReply<CallResult<K>>>;
  }

  eventsOf<E extends EventName>(name: E): Array<ConsoleEvents[E]> {
    return this.events.filter((e) => e.event === name).map((e) => e.payload as ConsoleEvents[E]);
  }

  async close(): Promise<void> {
    this.off();
    await this.services.close();
  }
}

export const FAST_SYNC: SyncTuning = { ackTimeoutMs: 5_000, pokePullDelayMs: 50, reconnectDelayMaxMs: 500 };

export function openClient(dataDir: string, serverUrl: string, syncTuning: SyncTuning = FAST_SYNC): TestClient {
  return new TestClient(createConsoleServices({ dataDir, serverUrl, syncTuning, log: () => undefined }), dataDir);
}

export async function loginClient(dataDir: string, serverUrl: string, username: string, syncTuning?: SyncTuning): Promise<TestClient> {
  const c = openClient(dataDir, serverUrl, syncTuning);
  await c.call('session.login', { username, password: DEMO_PASSWORD });
  return c;
}

/** Polls `check` until it returns a truthy value or the time is up. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until the client's outbox is empty and its status says online. */
export async function waitSynced(c: TestClient, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    async () => {
      const s = await c.call('sync.status', {});
      return s.state === 'online' && s.pending === 0;
    },
    'the client to be in sync',
    timeoutMs,
  );
}

/** The names of the server store's tables (SQLite's catalogue, or PostgreSQL's `public` schema). */
export function serverTables(dbPath: string): string[] {
  const sql =
    TEST_STORE === 'postgres'
      ? `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`
      : `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`;
  return serverRows<{ name: string }>(dbPath, sql).map((r) => r.name);
}

/** Reads the sync server's store directly (`serverRows`), to check what it really holds. */
export function serverDb(dbPath: string) {
  const rows = <R>(sql: string, ...params: Array<string | number>): R[] => serverRows<R>(dbPath, sql, params);
  return {
    messageIds(): Set<string> {
      return new Set(rows<{ id: string }>('SELECT id FROM messages').map((r) => r.id));
    },
    message(id: string): { id: string; body: string; event_id: string; territory: string } | undefined {
      return rows<{ id: string; body: string; event_id: string; territory: string }>('SELECT id, body, event_id, territory FROM messages WHERE id = ?', id)[0];
    },
    /** How many change-log rows describe this entity (1 for an append-only row applied once). */
    changeCount(entityId: string): number {
      return Number(rows<{ n: number }>('SELECT count(*) AS n FROM change_log WHERE entity_id = ?', entityId)[0].n);
    },
    latestVersion(): number {
      return Number(rows<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM change_log')[0].v);
    },
    eventStatus(id: string): string | undefined {
      return rows<{ status: string }>('SELECT status FROM events WHERE id = ?', id)[0]?.status;
    },
    /** The report the server holds as a unit's current figures (latest by observation time), by unit id (one unit per type: the type's code). */
    currentUnit(finess: string, unitId: string): { id: string; available: number; version: number } | undefined {
      return rows<{ id: string; available: number; version: number }>(
        `SELECT r.id, r.available, r.version FROM unit_current c JOIN unit_reports r ON r.id = c.report_id
         WHERE c.finess = ? AND c.unit_id = ?`,
        finess,
        unitId,
      )[0];
    },
    /** How many reports the server keeps for a unit (its whole history), or for every unit of an establishment. */
    unitReportCount(finess: string, unitType?: string): number {
      const found = unitType
        ? rows<{ n: number }>('SELECT count(*) AS n FROM unit_reports WHERE finess = ? AND unit_type = ?', finess, unitType)
        : rows<{ n: number }>('SELECT count(*) AS n FROM unit_reports WHERE finess = ?', finess);
      return Number(found[0].n);
    },
    /** The sources of a unit's reports, oldest first (server order). */
    unitSources(finess: string, unitType: string): string[] {
      return rows<{ source: string }>('SELECT source FROM unit_reports WHERE finess = ? AND unit_type = ? ORDER BY version', finess, unitType).map((r) => r.source);
    },
    close(): void {
      // Each read opens and closes its own connection.
    },
  };
}

export type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Logs in over HTTP and opens a raw protocol socket, as a third-party client would. */
export async function rawClient(serverUrl: string, username: string, clientId: string): Promise<{ socket: RawSocket; token: string; user: LoginResponse['user'] }> {
  // Bounded: through a cutting proxy a kept-alive connection may lead nowhere, and fetch
  // would otherwise wait 300 s for headers (the convergence test's raw writers retry instead).
  const res = await fetch(new URL('/api/login', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  const body = (await res.json()) as LoginResponse;
  return { socket: await rawSocket(serverUrl, body.token, clientId), token: body.token, user: body.user };
}

/** A raw socket on a token already issued (a login's tokens survive a server restart). */
export async function rawSocket(serverUrl: string, token: string, clientId: string): Promise<RawSocket> {
  const socket: RawSocket = io(serverUrl, { auth: { token, clientId }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/**
 * A fresh seeded server per test, in a temp dir, and clients closed after each test:
 * registers the vitest hooks; read `env.server`, `env.dir` inside tests and `env.client()`
 * to log in a workstation that is closed afterwards.
 */
export function serverPerTest(prefix: string) {
  const env = {
    server: undefined as unknown as TestServer,
    dir: '',
    clients: [] as TestClient[],
    async client(username: string): Promise<TestClient> {
      const c = await loginClient(join(env.dir, username), env.server.url, username);
      env.clients.push(c);
      return c;
    },
  };
  let tmp: { dir: string; cleanup(): void };
  beforeEach(async () => {
    tmp = tempDir(prefix);
    env.dir = tmp.dir;
    // VIGIE_TEST_STORE=postgres: a PostgreSQL database stands for the file (`startServer`).
    env.server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  });
  afterEach(async () => {
    for (const c of env.clients) await c.close();
    env.clients = [];
    await env.server.close();
    tmp.cleanup();
  });
  return env;
}
