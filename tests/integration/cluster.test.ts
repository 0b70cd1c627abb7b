/**
 * Several sync nodes behind one address (issue 11), with real processes: two nodes (the real
 * command line) on one PostgreSQL, sharing Redis, behind HAProxy (`sync-server/src/testing/cluster.ts`),
 * and real workstations (the main-process services). Skipped, with the reason printed, where a
 * Debian package is missing (postgresql, redis-server, haproxy: see .ci/run).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../sync-server/src/app';
import { loadServerTerritories } from '../../sync-server/src/referential';
import { clusterUnavailable, startCluster, type Cluster, type ClusterOptions } from '../../sync-server/src/testing/cluster';
import { createUser } from '../../sync-server/src/users/createUser';
import { syncHttp, type LoginResponse } from '../../common/protocol';
import { openClient, rawSocket, tempDir, waitFor, waitSynced, type RawSocket, type TestClient } from './harness';

// Without the demo: seeding it on PostgreSQL takes minutes on a loaded machine. Four accounts
// of roles without a mandatory second factor, and one event opened by the first test.
const OPTIONS: ClusterOptions = { nodes: 2, store: 'postgres', demo: false };
const PASSWORD = 'Cellule-de-crise-2026';
const USERS = [
  { username: 'regul75a', role: 'samu:75', displayName: 'Régulateur A' },
  { username: 'regul75b', role: 'samu:75', displayName: 'Régulateur B' },
  { username: 'regul75c', role: 'samu:75', displayName: 'Régulateur C' },
  { username: 'regul29', role: 'samu:29', displayName: 'Régulateur 29' },
];
const skip = clusterUnavailable(OPTIONS);
if (skip) console.warn(`cluster.test.ts ignoré : ${skip}`);

/** Under a loaded machine a node restart or a reconnection through the proxy takes seconds. */
const LONG = 60_000;

let cluster: Cluster;
const dir = tempDir('cluster');
const clients: TestClient[] = [];
let n = 0;
let eventId = '';

async function workstation(url: string, username: string): Promise<TestClient> {
  const c = openClient(`${dir.dir}/ws-${n++}`, url);
  clients.push(c);
  await c.call('session.login', { username, password: PASSWORD });
  return c;
}

async function post(c: TestClient, body: string): Promise<void> {
  await c.call('messages.post', { eventId, territory: 'D:75', kind: 'information', priority: 'info', body });
}

async function bodies(c: TestClient, prefix: string): Promise<string[]> {
  return (await c.call('messages.list', { eventId }))
    .filter((m) => m.body.startsWith(prefix))
    .map((m) => m.body)
    .sort();
}

/** The server's own picture: each message body with the number of rows holding it. */
async function serverBodies(prefix: string): Promise<Map<string, number>> {
  const db = new pg.Client({ connectionString: cluster.db });
  await db.connect();
  try {
    const rows = await db.query<{ body: string; n: string }>('SELECT body, count(*) AS n FROM messages WHERE body LIKE $1 GROUP BY body', [`${prefix}%`]);
    return new Map(rows.rows.map((r) => [r.body, Number(r.n)]));
  } finally {
    await db.end();
  }
}

async function login(url: string, username: string, password: string, from: string): Promise<number> {
  const res = await fetch(new URL(syncHttp.login, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ username, password }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Logs in over HTTP and opens a raw protocol socket on `url`. */
async function rawLogin(url: string, username: string, clientId: string): Promise<{ socket: RawSocket; token: string }> {
  const res = await fetch(new URL(syncHttp.login, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  const body = (await res.json()) as LoginResponse;
  return { socket: await rawSocket(url, body.token, clientId), token: body.token };
}

describe.skipIf(skip !== null)('several sync nodes behind HAProxy (PostgreSQL + Redis)', () => {
  beforeAll(async () => {
    cluster = await startCluster(OPTIONS);
    const territories = loadServerTerritories();
    const store = openStore(cluster.db, territories);
    try {
      for (const u of USERS) await createUser(store, territories, { ...u, password: PASSWORD });
    } finally {
      await store.close();
    }
  }, 600_000);

  afterAll(async () => {
    for (const c of clients.splice(0)) await c.close().catch(() => undefined);
    await cluster?.stop();
    dir.cleanup();
  }, LONG);

  it('a message posted on node B reaches a workstation on node A by a poke', { timeout: 120_000 }, async () => {
    const [a, b] = cluster.nodes;
    const writer = await workstation(b.url, 'regul75a');
    eventId = (await writer.call('events.open', { title: 'Exercice plusieurs nœuds', territory: 'D:75' })).id ?? '';
    expect(eventId).not.toBe('');
    await waitSynced(writer, LONG);
    const reader = await workstation(a.url, 'regul75b');
    await waitSynced(reader, LONG);
    // The reader is idle: it pulls only on (re)connection, after its own pushes and after a
    // poke. What reaches it now came by a poke emitted on node B and relayed by Redis.
    const connected = (await reader.call('sync.status', {})).state;
    expect(connected).toBe('online');
    await post(writer, 'cluster-a: afflux gare de Lyon');
    await waitFor(async () => (await bodies(reader, 'cluster-a:')).length === 1, 'the message on node A', LONG);
    expect(a.sockets()).toBeGreaterThanOrEqual(1);
    expect(b.sockets()).toBeGreaterThanOrEqual(1);
  });

  it('login failures spread over both nodes are counted together', { timeout: 180_000 }, async () => {
    const [a, b] = cluster.nodes;
    // One address, made-up usernames (no account delay): the per-address brake is 50 failures.
    const from = '198.51.100.23';
    for (let i = 0; i < 50; i++) {
      const status = await login(i % 2 === 0 ? a.url : b.url, `inconnu-${i}`, 'mauvais-mot-de-passe', from);
      expect(status).toBe(401);
    }
    // Each node saw 25 failures only: with per-node counters both would still let it try.
    expect(await login(a.url, 'regul75a', PASSWORD, from)).toBe(429);
    expect(await login(b.url, 'regul75a', PASSWORD, from)).toBe(429);
    // Another address is not concerned.
    expect(await login(b.url, 'regul75a', PASSWORD, '198.51.100.24')).toBe(200);
  });

  it('a logout everywhere made through node A cuts the socket open on node B', { timeout: 120_000 }, async () => {
    const [a, b] = cluster.nodes;
    const onB = await rawLogin(b.url, 'regul29', 'cluster-revoke-b-01');
    const onA = await rawLogin(a.url, 'regul29', 'cluster-revoke-a-01');
    const cut = new Promise<string>((resolve) => onB.socket.once('disconnect', (reason) => resolve(reason)));
    const res = await fetch(new URL(syncHttp.logoutAll, a.url), { method: 'POST', headers: { authorization: `Bearer ${onA.token}` } });
    expect(res.status).toBe(200);
    expect(await Promise.race([cut, new Promise<string>((r) => setTimeout(() => r('still connected'), 30_000))])).toBe('io server disconnect');
    onA.socket.close();
    onB.socket.close();
  });

  it('Redis stopped then restarted: the nodes keep serving, clients converge by pull, pokes cross nodes again', { timeout: 300_000 }, async () => {
    const [a, b] = cluster.nodes;
    const redis = cluster.redis;
    if (!redis) throw new Error('the cluster runs without Redis');
    const reader = await workstation(a.url, 'regul75b');
    const writer = await workstation(b.url, 'regul75a');
    await waitSynced(reader, LONG);
    await waitSynced(writer, LONG);
    await redis.stop();
    // Both nodes serve: a login (brakes in memory meanwhile) and pushes.
    expect(await login(a.url, 'regul75c', PASSWORD, '198.51.100.40')).toBe(200);
    await post(writer, 'cluster-e: 1 pendant la panne');
    await waitSynced(writer, LONG);
    // The reader's own push is followed by a pull: it brings the message posted on the other node.
    const readerWriter = await workstation(a.url, 'regul75c');
    await waitSynced(readerWriter, LONG);
    await post(readerWriter, 'cluster-e: 2 pendant la panne');
    await waitFor(async () => (await bodies(readerWriter, 'cluster-e:')).length === 2, 'convergence by pull during the outage', LONG);
    // A poke on node A still reaches node A's sockets.
    await waitFor(async () => (await bodies(reader, 'cluster-e:')).length === 2, 'the local poke during the outage', LONG);

    await redis.start();
    // Once the nodes have reconnected (node-redis retries within a second), a poke from B reaches A again.
    let i = 0;
    await waitFor(
      async () => {
        const body = `cluster-e: après ${i++}`;
        await post(writer, body);
        const deadline = Date.now() + 3_000;
        while (Date.now() < deadline) {
          if ((await bodies(reader, body)).length === 1) return true;
          await new Promise((r) => setTimeout(r, 100));
        }
        return false;
      },
      'a poke across nodes after the restart',
      120_000,
    );
    expect(a.sockets()).toBeGreaterThanOrEqual(2);
    expect(b.sockets()).toBeGreaterThanOrEqual(1);
    await waitSynced(writer, LONG);
    const server = await serverBodies('cluster-e:');
    await waitFor(async () => (await bodies(reader, 'cluster-e:')).length === server.size, 'the reader converged', LONG);
    expect(await bodies(reader, 'cluster-e:')).toEqual([...server.keys()].sort());
    expect([...server.values()].every((count) => count === 1)).toBe(true);
  });

  it('a node killed with SIGKILL: its workstations reconnect through the proxy and catch up, nothing lost or duplicated', { timeout: 300_000 }, async () => {
    for (const c of clients.splice(0)) await c.close();
    const group = await Promise.all([
      workstation(cluster.url, 'regul75a'),
      workstation(cluster.url, 'regul75b'),
      workstation(cluster.url, 'regul75c'),
      workstation(cluster.url, 'regul75a'),
    ]);
    for (const c of group) await waitSynced(c, LONG);
    await waitFor(() => cluster.nodes.reduce((sum, node) => sum + node.sockets(), 0) >= group.length, 'every workstation counted on a node', LONG);
    // The node holding more of the workstations goes down.
    const victim = cluster.nodes[0].sockets() >= cluster.nodes[1].sockets() ? cluster.nodes[0] : cluster.nodes[1];
    const survivor = cluster.nodes[victim.index === 0 ? 1 : 0];
    expect(victim.sockets()).toBeGreaterThan(0);
    const writers = group.slice(0, 3);
    const posted: string[] = [];
    const postRound = async (round: string) => {
      for (const [w, c] of writers.entries()) {
        const body = `cluster-d: ${round} poste ${w}`;
        await post(c, body);
        posted.push(body);
      }
    };
    await postRound('avant');
    await victim.kill('SIGKILL');
    // Written while the node is gone: kept in each outbox, pushed once reconnected.
    await postRound('pendant');
    for (const c of group) await waitSynced(c, LONG);
    await waitFor(() => survivor.sockets() >= group.length, 'every workstation on the surviving node', LONG);
    await postRound('après');
    for (const c of group) await waitSynced(c, LONG);
    const server = await serverBodies('cluster-d:');
    expect([...server.keys()].sort()).toEqual([...posted].sort());
    expect([...server.values()].every((count) => count === 1)).toBe(true);
    for (const c of group) {
      await waitFor(async () => (await bodies(c, 'cluster-d:')).length === posted.length, 'each workstation converged', LONG);
      expect(await bodies(c, 'cluster-d:')).toEqual([...posted].sort());
    }
    // The node comes back on its port and serves again.
    await victim.start();
    expect(await login(victim.url, 'regul75a', PASSWORD, '198.51.100.41')).toBe(200);
  });
});
