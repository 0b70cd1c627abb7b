/**
 * Graceful drain of a real sync server process (the command line) on SIGTERM, with a real
 * socket.io client whose push is in flight when the signal arrives: the push is held inside
 * the server by a PostgreSQL row lock the test takes (the change-log head a push locks
 * first), so "in flight" is certain, not a race. While it waits, `/ready` answers 503 and a
 * new socket is refused; once the lock is released the push commits and is acknowledged
 * exactly once, the server disconnects the socket (the reason the workstation answers by
 * reconnecting elsewhere) and the process exits 0.
 *
 * Starts its own PostgreSQL 15 (Debian's binaries); skips with the reason printed when they
 * are absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadServerTerritories } from '../../sync-server/src/referential';
import { openStore } from '../../sync-server/src/app';
import { identityOf } from '../../sync-server/src/auth/actor';
import { openEvent } from '../../sync-server/src/testing/fixtures';
import { postgresUnavailable, startPostgres, type PostgresCluster } from '../../sync-server/src/testing/postgres';
import { syncWire, type LoginResponse, type PushResult, type Reply } from '../../common/protocol';
import { rawSocket, waitFor, type RawSocket } from './harness';

const ROOT = resolve(__dirname, '..', '..');
// `node --import tsx` (as the systemd unit): the `tsx` binary would relay SIGTERM and, under
// load, SIGKILL a child slow to confirm it — not the drain under test.
const NODE_TSX = ['--import', 'tsx'];
const CLI = join(ROOT, 'sync-server', 'src', 'cli.ts');
const PASSWORD = 'mot-de-passe-drain-1';

const why = postgresUnavailable();
if (why) console.log(`opsDrain.test.ts ignoré : ${why}`);

interface Proc {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

const procs: Proc[] = [];
function run(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [...NODE_TSX, CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const p = { child, stdout: () => out, stderr: () => err, exited };
  procs.push(p);
  return p;
}

let cluster: PostgresCluster | undefined;
const sockets: RawSocket[] = [];
const clients: pg.Client[] = [];
beforeAll(async () => {
  if (!why) cluster = await startPostgres();
}, 60_000);
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const c of clients.splice(0)) await c.end().catch(() => undefined);
  for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});
afterAll(async () => {
  await cluster?.stop();
});

describe.skipIf(why !== null)('SIGTERM drains a real server process', () => {
  it('a push in flight at SIGTERM is acknowledged exactly once; /ready is 503 and new sockets are refused meanwhile; the server disconnects the socket and exits 0', async () => {
    if (!cluster) throw new Error('no PostgreSQL');
    const db = await cluster.createDatabase('drain');
    const add = run(['--db', db, '--add-user', 'samu75', '--role', 'samu:75', '--name', 'SAMU 75'], { VIGIE_NEW_PASSWORD: PASSWORD });
    expect(await add.exited).toBe(0);
    const server = run(['--port', '0', '--db', db, '--drain-seconds', '60']);
    const url = await waitFor(() => /VIGIE_SYNC_SERVER_READY (\S+)/.exec(server.stdout())?.[1] ?? null, 'the server to listen', 60_000);
    expect((await fetch(`${url}/ready`)).status).toBe(200);

    const login = (await (
      await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'samu75', password: PASSWORD }) })
    ).json()) as LoginResponse;
    const clientId = 'drain-client-1';
    const socket = await rawSocket(url, login.token, clientId);
    sockets.push(socket);
    const disconnected = new Promise<string>((done) => socket.once('disconnect', (reason) => done(reason)));

    // The change-log head's row lock, held here: the server's push waits on it.
    const locker = new pg.Client({ connectionString: db });
    clients.push(locker);
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT version FROM change_log_head WHERE id = 1 FOR UPDATE');
    const eventId = randomUUID();
    const acks: Array<Reply<PushResult>> = [];
    socket.emit(syncWire.push, { clientId, mutations: [openEvent(clientId, 1, 'D:75', eventId)] }, (reply: Reply<PushResult>) => acks.push(reply));
    const waiting = async () => {
      const r = await locker.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      return r.rows[0].n > 0;
    };
    await waitFor(waiting, 'the push to wait on the lock', 30_000);

    server.child.kill('SIGTERM');
    const notReady = await waitFor(
      async () => {
        const r = await fetch(`${url}/ready`);
        return r.status === 503 ? ((await r.json()) as { reason: string }) : null;
      },
      '/ready to answer 503',
      30_000,
    );
    expect(notReady.reason).toBe('Nœud en cours d’arrêt : il ne prend plus de nouvelles connexions.');
    expect((await fetch(`${url}/health`)).status).toBe(200);
    // No new socket while draining (the workstation's client retries, elsewhere through the balancer).
    const second = io(url, { auth: { token: login.token, clientId }, transports: ['websocket'], reconnection: false, forceNew: true });
    await expect(
      new Promise<void>((done, fail) => {
        second.once('connect', () => done());
        second.once('connect_error', (err) => fail(err));
      }),
    ).rejects.toThrow();
    second.close();
    // Still waiting on the lock: nothing answered, the process still up.
    expect(acks).toHaveLength(0);
    expect(server.child.exitCode).toBeNull();

    await locker.query('COMMIT');
    const reason = await disconnected;
    expect(acks).toHaveLength(1);
    const ack = acks[0];
    expect('data' in ack && ack.data.results).toEqual([{ mutationId: 1, status: 'applied', version: expect.any(Number) }]);
    expect(reason).toBe('io server disconnect');
    expect(await server.exited).toBe(0);
    const log = server.stderr();
    expect(log).toContain('Arrêt progressif : plus de nouvelle connexion, 60 s au plus');
    expect(log).toContain('Requêtes en cours terminées ; 1 connexion(s) fermée(s)');

    // Exactly once: the ledger has it, and pushing it again (the acknowledgement lost) writes nothing.
    const store = openStore(db, loadServerTerritories());
    try {
      expect(await store.lastMutationId(clientId)).toBe(1);
      const page = await store.pull('/FR/', 0, 1_000, null);
      expect(page.changes.filter((c) => (c.data as { id?: string }).id === eventId)).toHaveLength(1);
      const user = await store.findUserByUsername('samu75');
      const identity = user ? identityOf(user, loadServerTerritories()) : null;
      if (!identity || !('data' in ack)) throw new Error('no user or no acknowledgement');
      const first = ack.data.results[0];
      const version = first.status === 'applied' ? first.version : -1;
      const replay = await store.applyMutations({
        clientId,
        actor: identity.actor,
        mutations: [openEvent(clientId, 1, 'D:75', eventId)],
        now: new Date(),
      });
      expect(replay.results).toEqual([{ mutationId: 1, status: 'applied', version }]);
      expect(replay.changes).toHaveLength(0);
    } finally {
      await store.close();
    }
  }, 240_000);

  it('a push still held when --drain-seconds runs out: the process exits 0 anyway, unacknowledged, and the push sent again is applied once', async () => {
    if (!cluster) throw new Error('no PostgreSQL');
    const db = await cluster.createDatabase('drain_late');
    const add = run(['--db', db, '--add-user', 'samu75', '--role', 'samu:75', '--name', 'SAMU 75'], { VIGIE_NEW_PASSWORD: PASSWORD });
    expect(await add.exited).toBe(0);
    const server = run(['--port', '0', '--db', db, '--drain-seconds', '3']);
    const url = await waitFor(() => /VIGIE_SYNC_SERVER_READY (\S+)/.exec(server.stdout())?.[1] ?? null, 'the server to listen', 60_000);
    const login = (await (
      await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'samu75', password: PASSWORD }) })
    ).json()) as LoginResponse;
    const clientId = 'drain-client-2';
    const socket = await rawSocket(url, login.token, clientId);
    sockets.push(socket);
    const locker = new pg.Client({ connectionString: db });
    clients.push(locker);
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT version FROM change_log_head WHERE id = 1 FOR UPDATE');
    const eventId = randomUUID();
    const acks: unknown[] = [];
    socket.emit(syncWire.push, { clientId, mutations: [openEvent(clientId, 1, 'D:75', eventId)] }, (reply: unknown) => acks.push(reply));
    await waitFor(
      async () => (await locker.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n > 0,
      'the push to wait on the lock',
      30_000,
    );
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // Within the drain's time (+ the process's own exit), never acknowledged.
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(acks).toHaveLength(0);
    expect(server.stderr()).toContain('Délai d’arrêt atteint avec 1 requête(s) encore en cours');
    // The dead process's transaction is gone with its connection: nothing was applied.
    await locker.query('COMMIT');
    const store = openStore(db, loadServerTerritories());
    try {
      expect(await store.lastMutationId(clientId)).toBe(0);
      const user = await store.findUserByUsername('samu75');
      const identity = user ? identityOf(user, loadServerTerritories()) : null;
      if (!identity) throw new Error('no user');
      // The workstation pushes it again (to another node): applied once.
      const again = await store.applyMutations({ clientId, actor: identity.actor, mutations: [openEvent(clientId, 1, 'D:75', eventId)], now: new Date() });
      expect(again.results).toEqual([{ mutationId: 1, status: 'applied', version: expect.any(Number) }]);
      const page = await store.pull('/FR/', 0, 1_000, null);
      expect(page.changes.filter((c) => (c.data as { id?: string }).id === eventId)).toHaveLength(1);
    } finally {
      await store.close();
    }
  }, 240_000);
});
