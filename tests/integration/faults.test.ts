/**
 * Faults under traffic (issue 11, "Proven under load and faults"): several real workstations
 * (the main process's services over real cache files) write in a loop while a fault happens;
 * then they stop writing, every outbox drains, and each fault must end with 0 lost and 0
 * duplicated mutations and every cache equal to the server's picture for its user
 * (`support/picture.ts`).
 *
 * - A workstation cut off mid-push: the server applied the push but the answer never
 *   reached the workstation (its TCP connection goes through a relay of this test, dropped
 *   right after the server committed); it retries, and the server answers from its ledger.
 * - PostgreSQL restarted (fast shutdown, same data folder and port) under traffic: the
 *   server does not crash (it runs in this process: an unhandled error fails the run),
 *   failed pushes are retried.
 * - The server process killed with SIGKILL under traffic and started again on the same port.
 * - Two nodes on PostgreSQL and Redis behind HAProxy (`sync-server/src/testing/cluster.ts`),
 *   workstations spread over both: a node killed with SIGKILL (its workstations reconnect to
 *   the other through the proxy), and Redis restarted (a poke written on one node still
 *   reaches an idle workstation on the other afterwards).
 * PostgreSQL, Redis and HAProxy come from Debian's packages; where one is missing the tests
 * that need it are skipped with the reason printed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { DEMO_PASSWORD, DEMO_USERS } from '../../sync-server/src/demo';
import { createUser } from '../../sync-server/src/users/createUser';
import { postgresUnavailable, startPostgres, stopTestPostgres, testDatabase } from '../../sync-server/src/testing/postgres';
import { openStore } from '../../sync-server/src/app';
import { PgServerStore } from '../../sync-server/src/store/pg/pgStore';
import { territories } from '../../sync-server/src/testing/fixtures';
import { clusterUnavailable, startCluster, type Cluster, type ClusterNode, type ClusterOptions } from '../../sync-server/src/testing/cluster';
import type { ApplyInput, ApplyOutcome, ServerStore } from '../../sync-server/src/store/types';
import { testTerritories } from '../support/referential';
import { syncHttp } from '../../common/protocol';
import { fr } from '../../common/i18n/fr';
import { loginClient, startServer, tempDir, waitFor, waitSynced, type TestClient } from './harness';
import { cacheFile, checkConvergence, readCache, type ConvergenceReport, type WrittenMutation } from './support/picture';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});
afterAll(() => stopTestPostgres());

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- workstations and traffic

interface StationSpec {
  label: string;
  username: string;
  /** Where its messages go; none: it reports beds (the establishment). */
  territory?: string;
}

/** Who writes: two SAMU 75 workstations (one user, two client ids), a field post, a SAMU, two ARS, the national cell, and an establishment reporting beds. */
const STATIONS: readonly StationSpec[] = [
  { label: 'samu75#1', username: 'samu75', territory: 'D:75' },
  { label: 'samu75#2', username: 'samu75', territory: 'D:75' },
  { label: 'pma75', username: 'pma75', territory: 'D:75' },
  { label: 'samu29', username: 'samu29', territory: 'D:29' },
  { label: 'ars-idf', username: 'ars-idf', territory: 'R:11' },
  { label: 'ars-bretagne', username: 'ars-bretagne', territory: 'R:53' },
  { label: 'national', username: 'national', territory: 'FR' },
  { label: 'pitie', username: 'pitie' },
];
const PITIE = '750100125';

/**
 * How messages find an event: the demo's; one the national cell opens now at FR; or one per
 * territory, opened by the first station writing there (a SAMU), on a server seeded with
 * accounts alone (the whole demo takes minutes to seed into PostgreSQL on a loaded machine).
 */
type EventPlan = 'demo' | 'national' | 'per-territory';

interface Station {
  label: string;
  username: string;
  dataDir: string;
  client: TestClient;
  written: WrittenMutation[];
  /** One local write (a message, or a bed report for the establishment), recorded from its receipt. */
  write(i: number): Promise<void>;
  /** The event its messages go to (null: it reports beds). */
  event(): string | null;
}

/** Logs every station in (each through `urlFor(label)`), waits for its first sync, and opens the events the plan needs. */
async function openStations(dir: string, urlFor: (label: string) => string, plan: EventPlan = 'demo', specs: readonly StationSpec[] = STATIONS): Promise<Station[]> {
  const stations: Station[] = [];
  const events = new Map<string, string>();
  const eventFor = (territory: string): string => (plan === 'demo' ? DEMO_IDS.event : plan === 'national' ? events.get('FR') : events.get(territory)) as string;
  for (const s of specs) {
    const dataDir = join(dir, s.label.replace('#', '-'));
    const client = await loginClient(dataDir, urlFor(s.label), s.username);
    cleanup.push(() => client.close());
    const written: WrittenMutation[] = [];
    const territory = s.territory;
    const write = territory
      ? async (i: number) => {
          const receipt = await client.call('messages.post', { eventId: eventFor(territory), territory, kind: 'information', priority: 'info', body: `${s.label} message ${i}` });
          written.push({ mutationId: receipt.mutationId, name: 'message.post', loggedId: receipt.id });
        }
      : async (i: number) => {
          const receipt = await client.call('beds.report', { finess: PITIE, unitType: 'REA_MED', installed: 20, staffed: 20, available: 2 + (i % 4), confirmJump: true });
          written.push({ mutationId: receipt.mutationId, name: 'beds.report' });
        };
    stations.push({ label: s.label, username: s.username, dataDir, client, written, write, event: () => (territory ? eventFor(territory) : null) });
  }
  for (const s of stations) await waitSynced(s.client, 120_000);
  if (plan === 'demo') return stations;
  const openers = plan === 'national' ? [{ at: 'FR', by: stations.find((s) => s.username === 'national') }] : [...new Set(specs.flatMap((s) => (s.territory ? [s.territory] : [])))].map((at) => ({ at, by: stations[specs.findIndex((s) => s.territory === at)] }));
  for (const { at, by } of openers) {
    if (!by) throw new Error(`no station opens the event at ${at}`);
    const opened = await by.client.call('events.open', { title: `Exercice de pannes ${at}`, territory: at });
    by.written.push({ mutationId: opened.mutationId, name: 'event.open' });
    events.set(at, opened.id as string);
  }
  for (const [i, s] of stations.entries()) {
    const t = specs[i].territory;
    if (!t) continue;
    const id = eventFor(t);
    await waitFor(async () => (await s.client.call('events.list', {})).some((e) => e.id === id), `${s.label} to see its event`, 60_000);
  }
  return stations;
}

/** Accounts alone (the demo's by default: their second factor is waived by `startServer` as by `--demo`), without the demo's data. */
async function seedAccounts(store: ServerStore, users: ReadonlyArray<{ username: string; role: string; displayName: string }> = DEMO_USERS): Promise<void> {
  for (const u of users) {
    await createUser(store, testTerritories(), { username: u.username, role: u.role, displayName: u.displayName, password: DEMO_PASSWORD }, { passwordPolicy: 'demo-seeding' });
  }
}

/** Every station writes in a loop (a pause of about `pauseMs` between writes) until `stop()`. */
function startTraffic(stations: readonly Station[], pauseMs = 120): { stop(): Promise<void>; written(): number } {
  let running = true;
  const loops = stations.map(async (s) => {
    for (let i = 0; running; i++) {
      await s.write(i);
      await sleep(pauseMs * (0.5 + Math.random()));
    }
  });
  return {
    written: () => stations.reduce((n, s) => n + s.written.length, 0),
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Waits for every outbox to drain, then checks the final state (pictures and ledger). */
async function drainAndCheck(stations: readonly Station[], serverUrl: string, db: string): Promise<ConvergenceReport> {
  for (const s of stations) await waitSynced(s.client, 120_000);
  const report = await checkConvergence({ serverUrl, db, workstations: stations, timeoutMs: 120_000 });
  expect(report.problems).toEqual([]);
  expect(report.mutations).toBeGreaterThan(0);
  return report;
}

/** Waits until the traffic has written `n` more mutations than now. */
async function whileWriting(traffic: { written(): number }, n: number, what: string): Promise<void> {
  const from = traffic.written();
  await waitFor(() => traffic.written() >= from + n, what, 60_000);
}

// ---------------------------------------------------------------- a TCP relay that can drop its connections

/** A relay between workstations and the server: `cut()` drops every connection it carries at once, without a goodbye. */
class Relay {
  private readonly server: Server;
  private readonly open = new Set<Socket>();
  cuts = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((down) => {
      const up = createConnection({ host: '127.0.0.1', port: this.targetPort });
      for (const s of [down, up]) {
        this.open.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          this.open.delete(s);
          down.destroy();
          up.destroy();
        });
      }
      down.pipe(up);
      up.pipe(down);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    if (!addr || typeof addr === 'string') throw new Error('relay address');
    return `http://127.0.0.1:${addr.port}`;
  }

  /** Drops every connection now: nothing buffered in the relay is delivered. */
  cut(): void {
    this.cuts++;
    for (const s of [...this.open]) s.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------- the sync server's command line as a process

interface CliServer {
  url: string;
  port: number;
  pid: number;
  /** The last lines it printed on stderr (JSON logs). */
  stderr(): string;
  /** Signals it and resolves with the signal it died of once it has exited. */
  kill(signal: NodeJS.Signals): Promise<NodeJS.Signals | null>;
  exited: boolean;
}

/** Starts `sync-server/src/cli.ts --demo` over `db` on `port` (0: any) and waits for its ready line. */
async function startCli(db: string, port: number): Promise<CliServer> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/cli.ts', '--db', db, '--port', String(port), '--demo'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err = (err + c).slice(-20_000)));
  const exit = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
  await waitFor(() => /VIGIE_SYNC_SERVER_READY (\S+)/.test(out) || child.exitCode !== null, 'the sync server to be ready', 120_000);
  if (child.exitCode !== null) throw new Error(`sync server exited: ${err}`);
  const url = /VIGIE_SYNC_SERVER_READY (\S+)/.exec(out)?.[1] ?? '';
  const server: CliServer = {
    url,
    port: Number(new URL(url).port),
    pid: child.pid ?? 0,
    stderr: () => err,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
  };
  cleanup.push(async () => {
    await server.kill('SIGKILL');
  });
  return server;
}

// ---------------------------------------------------------------- the faults

describe('faults under traffic: 0 lost, 0 doubled, every cache equal to the server’s picture', () => {
  const pgWhy = postgresUnavailable();
  if (pgWhy) console.warn(`faults: PostgreSQL tests skipped: ${pgWhy}`);

  const ackStores: Array<'sqlite' | 'postgres'> = pgWhy ? ['sqlite'] : ['sqlite', 'postgres'];
  it.each(ackStores)('%s: a workstation cut off mid-push (lost acknowledgement) retries and the server answers from its ledger: applied exactly once', async (kind) => {
    const tmp = tempDir('faults-ack');
    cleanup.push(tmp.cleanup);
    // PostgreSQL: a database of the cluster this file starts, seeded with the accounts only.
    const dbPath = kind === 'postgres' ? await testDatabase() : join(tmp.dir, 'server.sqlite');
    const server = await startServer({ dbPath, seed: kind === 'sqlite' });
    cleanup.push(() => server.close());
    if (kind === 'postgres') await seedAccounts(server.app.store);

    // Each workstation reaches the server through its own relay.
    const relays = new Map<string, Relay>();
    const urls = new Map<string, string>();
    for (const s of STATIONS) {
      const relay = new Relay(server.port);
      relays.set(s.label, relay);
      urls.set(s.label, await relay.listen());
      cleanup.push(() => relay.close());
    }
    const stations = await openStations(tmp.dir, (label) => urls.get(label) as string, kind === 'sqlite' ? 'demo' : 'national');
    const relayOf = new Map(stations.map((s) => [readCache(s.dataDir).clientId, relays.get(s.label) as Relay]));

    // The server's store as the socket handlers call it: after a push committed, and before
    // its answer leaves, the relay of that workstation drops its connection (every 4th push
    // that applied something new, at most 3 times per workstation).
    const store = server.app.store;
    const apply = store.applyMutations.bind(store);
    let cutting = true;
    const received = new Map<string, number[]>();
    const lostAcks: Array<{ clientId: string; ids: number[] }> = [];
    const fresh = new Map<string, number>();
    store.applyMutations = async (input: ApplyInput): Promise<ApplyOutcome> => {
      const outcome = await apply(input);
      const seen = received.get(input.clientId) ?? [];
      const max = Math.max(0, ...seen);
      received.set(input.clientId, [...seen, ...input.mutations.map((m) => m.mutationId)]);
      const relay = relayOf.get(input.clientId);
      const applied = outcome.results.filter((r) => r.status === 'applied' && r.mutationId > max).map((r) => r.mutationId);
      if (relay && cutting && applied.length > 0 && outcome.stop === null) {
        const n = (fresh.get(input.clientId) ?? 0) + 1;
        fresh.set(input.clientId, n);
        if (n % 4 === 0 && relay.cuts < 3) {
          relay.cut();
          lostAcks.push({ clientId: input.clientId, ids: applied });
        }
      }
      return outcome;
    };

    const traffic = startTraffic(stations);
    await waitFor(() => lostAcks.length >= 2 * stations.length, 'lost acknowledgements on every workstation', 90_000);
    cutting = false;
    await whileWriting(traffic, stations.length * 3, 'traffic after the cuts');
    await traffic.stop();
    const report = await drainAndCheck(stations, server.url, dbPath);

    // Each lost acknowledgement was retried: the server received those ids again after applying them.
    for (const lost of lostAcks) {
      const ids = received.get(lost.clientId) ?? [];
      for (const id of lost.ids) expect(ids.filter((x) => x === id).length, `mutation ${id} of ${lost.clientId}`).toBeGreaterThanOrEqual(2);
    }
    console.log(`lost acknowledgements: ${lostAcks.length}, mutations: ${report.mutations}, pictures: ${report.hashes.map((h) => `${h.label} ${h.cache.slice(0, 8)} (${h.rows})`).join(', ')}`);
  }, 240_000);

  it.skipIf(pgWhy !== null)('PostgreSQL restarted under traffic: the server keeps running, failed pushes are retried, nothing lost or doubled', async () => {
    const tmp = tempDir('faults-pg');
    cleanup.push(tmp.cleanup);
    const cluster = await startPostgres();
    cleanup.push(() => cluster.stop());
    const db = await cluster.createDatabase('faults');
    // In this process: an unhandled error of the pool (a connection dropped by the restart) would fail the run.
    const server = await startServer({ dbPath: db, seed: false });
    cleanup.push(() => server.close());
    await seedAccounts(server.app.store);
    const stations = await openStations(tmp.dir, () => server.url, 'national');

    const traffic = startTraffic(stations);
    await whileWriting(traffic, stations.length * 3, 'traffic before the restart');
    const before = cluster.pid;
    const statusesBefore = stations.map((s) => s.client.eventsOf('sync.status').length);
    await cluster.restart();
    expect(cluster.pid).not.toBe(before);
    await whileWriting(traffic, stations.length * 3, 'traffic after the restart');
    // The restart was seen: some workstation's sync failed and said it would retry.
    const retrying = fr.sync.retry('').trim();
    const failed = stations.some((s, i) => s.client.eventsOf('sync.status').slice(statusesBefore[i]).some((st) => st.detail?.includes(retrying)));
    expect(failed).toBe(true);
    await traffic.stop();
    const report = await drainAndCheck(stations, server.url, db);
    expect((await fetch(new URL(syncHttp.health, server.url))).status).toBe(200);
    console.log(`PostgreSQL restarted under ${report.mutations} mutations: pictures ${report.hashes.map((h) => `${h.label} ${h.cache.slice(0, 8)}`).join(', ')}`);
  }, 240_000);

  it('the sync server killed with SIGKILL under traffic and started again on the same port: nothing lost or doubled', async () => {
    const tmp = tempDir('faults-kill');
    cleanup.push(tmp.cleanup);
    const dbPath = join(tmp.dir, 'server.sqlite');
    let server = await startCli(dbPath, 0);
    const port = server.port;
    const stations = await openStations(tmp.dir, () => server.url);

    const traffic = startTraffic(stations);
    await whileWriting(traffic, stations.length * 3, 'traffic before the kill');
    expect(await server.kill('SIGKILL')).toBe('SIGKILL');
    // The workstations keep writing while the server is down.
    await whileWriting(traffic, stations.length * 2, 'traffic while the server is down');
    server = await startCli(dbPath, port);
    await whileWriting(traffic, stations.length * 3, 'traffic after the restart');
    await traffic.stop();
    const report = await drainAndCheck(stations, server.url, dbPath);
    expect(stations.every((s) => s.client.eventsOf('sync.status').some((st) => st.state === 'offline'))).toBe(true);
    console.log(`server killed under ${report.mutations} mutations: pictures ${report.hashes.map((h) => `${h.label} ${h.cache.slice(0, 8)}`).join(', ')}`);
  }, 240_000);

  it.skipIf(pgWhy !== null)('a pooled PostgreSQL connection cut while a push holds it does not crash the server: the query fails, the pool serves a new one', async () => {
    const store = openStore(await testDatabase(), territories());
    cleanup.push(() => store.close());
    if (!(store instanceof PgServerStore)) throw new Error('expected the PostgreSQL store');
    await store.ready;
    // A connection checked out as a push holds it between round trips, cut by the database
    // (what a restart does to every open session). Before the fix its 'error' event had no
    // listener: an uncaught exception, the end of the process (here: of the test run).
    const held = await store.db.connect();
    const pid = ((await held.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
    const admin = new pg.Client({ connectionString: store.pool.options.connectionString });
    await admin.connect();
    cleanup.push(() => admin.end());
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await sleep(500);
    await expect(held.query('SELECT 1')).rejects.toThrow();
    held.release();
    expect(await store.db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(await store.latestVersion()).toBeGreaterThanOrEqual(0);
  });

  it('the final-state check sees a lost mutation, a doubled one and a row that differs', async () => {
    const tmp = tempDir('faults-check');
    cleanup.push(tmp.cleanup);
    const dbPath = join(tmp.dir, 'server.sqlite');
    const server = await startServer({ dbPath });
    cleanup.push(() => server.close());
    const dataDir = join(tmp.dir, 'samu75');
    const client = await loginClient(dataDir, server.url, 'samu75');
    cleanup.push(() => client.close());
    await waitSynced(client);
    const written: WrittenMutation[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await client.call('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body: `vérification ${i}` });
      written.push({ mutationId: r.mutationId, name: 'message.post', loggedId: r.id });
    }
    await waitSynced(client);
    const check = (w: readonly WrittenMutation[]) => checkConvergence({ serverUrl: server.url, db: dbPath, workstations: [{ label: 'samu75', username: 'samu75', dataDir, written: w }], timeoutMs: 2_000 });
    expect((await check(written)).problems).toEqual([]);

    // A write the server never got; a ledger row the workstation did not write (as a doubled send would leave).
    const lost = await check([...written, { mutationId: 99, name: 'message.post', loggedId: 'absent' }]);
    expect(lost.problems.join('\n')).toMatch(/mutation 99 \(message\.post\) lost/);
    expect(lost.problems.join('\n')).toMatch(/absent \(mutation 99\) is in the change log 0 times/);
    const doubled = await check(written.slice(0, 2));
    expect(doubled.problems.join('\n')).toMatch(new RegExp(`ledger holds mutation ${written[2].mutationId} .*doubled`));

    // A row of the cache changed behind the engine's back: the diff names it on both sides.
    await client.close();
    const db = new Database(cacheFile(dataDir));
    db.prepare('UPDATE messages SET body = ? WHERE id = ?').run('altéré', written[0].loggedId);
    db.close();
    const differs = await check(written);
    expect(differs.problems[0]).toMatch(/picture differs/);
    expect(differs.problems.join('\n')).toMatch(/only in the cache .*altéré/);
    expect(differs.problems.join('\n')).toMatch(/only on the server .*vérification 0/);
  }, 120_000);
});

// ---------------------------------------------------------------- two nodes behind HAProxy

/** Accounts of a cluster seeded with nothing else (no role here needs a second factor). */
const CLUSTER_USERS = [
  { username: 'samu75', role: 'samu:75', displayName: 'SAMU 75' },
  { username: 'pma75', role: 'field:75-PMA-GARE-DE-LYON', displayName: 'PMA gare de Lyon' },
  { username: 'pitie', role: `establishment:${PITIE}`, displayName: 'Pitié-Salpêtrière' },
  { username: 'samu29', role: 'samu:29', displayName: 'SAMU 29' },
  { username: 'samu92', role: 'samu:92', displayName: 'SAMU 92' },
];
const CLUSTER_STATIONS: readonly StationSpec[] = [
  { label: 'samu75#1', username: 'samu75', territory: 'D:75' },
  { label: 'samu75#2', username: 'samu75', territory: 'D:75' },
  { label: 'pma75', username: 'pma75', territory: 'D:75' },
  { label: 'pitie', username: 'pitie' },
  { label: 'samu29#1', username: 'samu29', territory: 'D:29' },
  { label: 'samu29#2', username: 'samu29', territory: 'D:29' },
  { label: 'samu92', username: 'samu92', territory: 'D:92' },
];
const TWO_NODES: ClusterOptions = { nodes: 2, store: 'postgres', demo: false };

/**
 * Two sync nodes on PostgreSQL with Redis behind HAProxy, the accounts seeded, every station
 * logged in through the proxy (round robin spreads them over both nodes), and `direct`
 * stations logged in straight to the node given.
 */
async function clusterWithStations(prefix: string, direct: ReadonlyArray<StationSpec & { node: number }> = []): Promise<{ cluster: Cluster; stations: Station[] }> {
  const tmp = tempDir(prefix);
  cleanup.push(tmp.cleanup);
  const cluster = await startCluster(TWO_NODES);
  cleanup.push(() => cluster.stop());
  const store = openStore(cluster.db, testTerritories());
  try {
    await seedAccounts(store, CLUSTER_USERS);
  } finally {
    await store.close();
  }
  const nodeOf = new Map(direct.map((d) => [d.label, d.node]));
  const urlFor = (label: string): string => {
    const node = nodeOf.get(label);
    return node === undefined ? cluster.url : cluster.nodes[node].url;
  };
  const stations = await openStations(tmp.dir, urlFor, 'per-territory', [...CLUSTER_STATIONS, ...direct]);
  await waitFor(() => cluster.nodes.every((n) => n.sockets() > 0), 'workstations connected to both nodes', 60_000);
  return { cluster, stations };
}

/**
 * A message written on one node reaches a workstation connected to the other, which does
 * nothing else (no write, no reconnection: only a poke from across the nodes makes it pull).
 */
async function crossesNodes(writer: Station, observer: Station, i: number): Promise<void> {
  await writer.write(i);
  const id = writer.written[writer.written.length - 1].loggedId;
  const eventId = writer.event() as string;
  await waitFor(async () => (await observer.client.call('messages.list', { eventId })).some((m) => m.id === id && !m.pending), `${observer.label} to receive ${writer.label}'s message across the nodes`, 30_000);
}

const clusterWhy = clusterUnavailable(TWO_NODES);
if (clusterWhy) console.warn(`faults: two-node tests skipped: ${clusterWhy}`);

describe.skipIf(clusterWhy !== null)('faults on two nodes behind HAProxy (PostgreSQL, Redis): 0 lost, 0 doubled, every cache equal to the server’s picture', () => {
  it('a node killed with SIGKILL under traffic: its workstations move to the other node and catch up, and it starts again', async () => {
    const { cluster, stations } = await clusterWithStations('faults-node-kill');
    const traffic = startTraffic(stations);
    await whileWriting(traffic, stations.length * 3, 'traffic on both nodes');
    // The node holding the most workstations dies.
    const victim = [...cluster.nodes].sort((a, b) => b.sockets() - a.sockets())[0];
    const survivor = cluster.nodes.find((n) => n !== victim) as ClusterNode;
    const onVictim = victim.sockets();
    expect(onVictim).toBeGreaterThan(0);
    await victim.kill('SIGKILL');
    expect(victim.running()).toBe(false);
    await whileWriting(traffic, stations.length * 3, 'traffic on the surviving node');
    // Every workstation is served by the survivor now (each reconnected through the proxy).
    await waitFor(() => survivor.sockets() >= stations.length, 'every workstation on the surviving node', 60_000);
    await victim.start();
    await whileWriting(traffic, stations.length * 3, 'traffic after the node came back');
    await traffic.stop();
    const report = await drainAndCheck(stations, cluster.url, cluster.db);
    console.log(`node ${victim.index} killed with ${onVictim} workstations under ${report.mutations} mutations: pictures ${report.hashes.map((h) => `${h.label} ${h.cache.slice(0, 8)}`).join(', ')}`);
  }, 420_000);

  it('Redis restarted under traffic: pokes cross the nodes again and nothing is lost or doubled', async () => {
    // A writer on node 0 and an idle observer on node 1, besides the stations behind the proxy.
    const { cluster, stations } = await clusterWithStations('faults-redis', [
      { label: 'writer', username: 'samu75', territory: 'D:75', node: 0 },
      { label: 'observer', username: 'samu75', territory: 'D:75', node: 1 },
    ]);
    const redis = cluster.redis;
    if (!redis) throw new Error('the cluster runs without Redis');
    const writer = stations.find((s) => s.label === 'writer') as Station;
    const observer = stations.find((s) => s.label === 'observer') as Station;
    await crossesNodes(writer, observer, 1_000);
    const traffic = startTraffic(stations.filter((s) => s !== observer));
    await whileWriting(traffic, stations.length * 3, 'traffic on both nodes');
    const before = redis.pid;
    await redis.restart();
    expect(redis.pid).not.toBe(before);
    await whileWriting(traffic, stations.length * 4, 'traffic after the Redis restart');
    await traffic.stop();
    // After the restart, a poke still crosses from node 0 to node 1.
    await crossesNodes(writer, observer, 1_001);
    const report = await drainAndCheck(stations, cluster.url, cluster.db);
    expect(cluster.nodes.every((n) => n.running())).toBe(true);
    console.log(`Redis restarted under ${report.mutations} mutations: pictures ${report.hashes.map((h) => `${h.label} ${h.cache.slice(0, 8)}`).join(', ')}`);
  }, 420_000);

  it('PostgreSQL restarted under traffic on two nodes: neither node crashes, failed pushes are retried, nothing lost or doubled', async () => {
    const { cluster, stations } = await clusterWithStations('faults-cluster-pg');
    const postgres = cluster.postgres;
    if (!postgres) throw new Error('the cluster runs without PostgreSQL');
    const traffic = startTraffic(stations);
    await whileWriting(traffic, stations.length * 3, 'traffic on both nodes');
    const before = postgres.pid;
    await postgres.restart();
    expect(postgres.pid).not.toBe(before);
    await whileWriting(traffic, stations.length * 3, 'traffic after the PostgreSQL restart');
    await traffic.stop();
    const report = await drainAndCheck(stations, cluster.url, cluster.db);
    for (const n of cluster.nodes) expect(n.running(), n.output().slice(-2000)).toBe(true);
    console.log(`PostgreSQL restarted under two nodes and ${report.mutations} mutations: pictures ${report.hashes.map((h) => `${h.label} ${h.cache.slice(0, 8)}`).join(', ')}`);
  }, 420_000);
});
