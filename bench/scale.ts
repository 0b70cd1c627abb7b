/**
 * Scale: thousands of simulated workstations (default 10,000, `BENCH_SCALE_CLIENTS`) with
 * realistic scopes — establishments (most), SAMU, ARS, a few national cells — connected
 * through the real protocol (handshake with token and client id, `sync:hello`, scoped
 * `sync:poke`) from worker processes (socket.io-client, ~2,500 sockets each,
 * `BENCH_SCALE_PER_WORKER`), while national writers (16, `BENCH_SCALE_WRITERS`, each one
 * push in flight so a client's mutations stay in order) push 100 writes/s
 * (`BENCH_SCALE_RATE`) for 30 s (`BENCH_SCALE_SECONDS`) spread over territories: bed reports
 * of an establishment, local, regional and (rarely) national messages (`WRITE_MIX` in
 * `support/scaleWrites.ts`). For each write, the latency from its push (writer's clock) to
 * each poke received by each socket in scope (worker's clock; both are
 * `performance.timeOrigin + performance.now()`, comparable across processes of one machine);
 * p50/p99/max; pokes missing against the server's own scope rule (`sync-server/src/scope.ts`),
 * duplicated, or delivered out of scope.
 *
 * Configurations, in one run (`BENCH_SCALE_CONFIGS`, comma-separated, default all):
 *   sqlite   — one node, the embedded SQLite store;
 *   postgres — one node, PostgreSQL 15 (Debian's binaries, a throwaway cluster);
 *   cluster  — two nodes on PostgreSQL + Redis (Socket.IO Redis Streams adapter) behind HAProxy;
 *   raw      — the baseline: two bare Socket.IO servers with the same adapter behind HAProxy,
 *              emitting an equivalent poke to rooms of the same sizes (`support/scaleRawServer.ts`).
 * The ratio cluster ÷ raw is the product goal (p99 ≤ ×2); the issue's goal is p99 < 100 ms.
 *
 * Sessions: each workstation is its own account, its own login bound to its own client id
 * and its own access token, created through the store's API in the set-up instead of 10,000
 * argon2id logins (~3+ min of CPU): see `support/scaleAccounts.ts`. Nothing a poke depends on
 * is skipped.
 *
 * If the machine cannot carry the size, the run says so: connections that failed, pokes
 * missing, the CPU share and memory of each process (server, PostgreSQL, Redis, HAProxy,
 * workers), the workers' event-loop delay. `BENCH_SCALE_CLIENTS=2500,5000,10000` runs a ramp
 * (one result per size) to find the ceiling. Not a test: it never fails on a timing.
 *
 * Proxy: one HAProxy process needs two descriptors per connection and this container's hard
 * limit of open files is 20,000, so above ~9,950 connections several HAProxy processes share
 * the one address (SO_REUSEPORT, `support/scaleServices.ts`); the same proxy is in front of
 * Vigie's two nodes and of the bare cluster.
 */
import { randomBytes } from 'node:crypto';
import { loadServerTerritories } from '../sync-server/src/referential';
import { roomsForSocket } from '../sync-server/src/scope';
import { clusterUnavailable, startCluster, type ClusterOptions } from '../sync-server/src/testing/cluster';
import { fmt } from './support/processes';
import { connect, openEventId } from './support/protocolClient';
import { account, expectationsFor, type ScaleAccount } from './support/scaleAccounting';
import { createSessions, planWorkstations, roleMix, type Workstation, type WriterAccount } from './support/scaleAccounts';
import { cpuMeter, memoryOf } from './support/scaleCpu';
import { rawClusterUnavailable, startProxy, startRawCluster } from './support/scaleServices';
import { paceWrites, planWrites, rawWriter, vigieWriter, type PlannedWrite, type Writer } from './support/scaleWrites';
import { startWorkers, workerCountFor, type WorkerStats } from './support/scaleWorkers';

export const SCALE_CONFIGS = ['sqlite', 'postgres', 'cluster', 'raw'] as const;
export type ScaleConfig = (typeof SCALE_CONFIGS)[number];

const LABELS: Record<ScaleConfig, string> = {
  sqlite: 'one node, SQLite',
  postgres: 'one node, PostgreSQL',
  cluster: 'two nodes, PostgreSQL + Redis, HAProxy',
  raw: 'bare Socket.IO ×2, Redis, HAProxy',
};

export interface ScaleOptions {
  clients: number;
  seconds: number;
  rate: number;
  writers: number;
  perWorker: number;
  configs: readonly ScaleConfig[];
  /** After the run, every socket pulls from its hello's head and what it gets is compared with the scope expectation (tests; costly at scale). */
  verifyWithPull?: boolean;
}

/**
 * One run per size of `BENCH_SCALE_CLIENTS` (`10000`, or a ramp such as `2500,5000,10000` to
 * find where p99 crosses the goal): the measured ceiling when the full size is too much.
 */
export function scaleRunsFromEnv(env: NodeJS.ProcessEnv = process.env): ScaleOptions[] {
  const sizes = (env.BENCH_SCALE_CLIENTS ?? '10000').split(',').map((v) => v.trim());
  return sizes.map((size) => scaleOptionsFromEnv({ ...env, BENCH_SCALE_CLIENTS: size }));
}

export function scaleOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ScaleOptions {
  const num = (name: string, fallback: number) => {
    const v = Number(env[name] ?? fallback);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name}: a positive number is expected, got ${env[name]}`);
    return v;
  };
  const configs = (env.BENCH_SCALE_CONFIGS ?? SCALE_CONFIGS.join(','))
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  for (const c of configs) if (!(SCALE_CONFIGS as readonly string[]).includes(c)) throw new Error(`BENCH_SCALE_CONFIGS: unknown configuration ${c} (${SCALE_CONFIGS.join(', ')})`);
  return {
    clients: Math.round(num('BENCH_SCALE_CLIENTS', 10_000)),
    seconds: num('BENCH_SCALE_SECONDS', 30),
    rate: num('BENCH_SCALE_RATE', 100),
    writers: Math.round(num('BENCH_SCALE_WRITERS', 16)),
    perWorker: Math.round(num('BENCH_SCALE_PER_WORKER', 2500)),
    configs: configs as ScaleConfig[],
  };
}

/** What one configuration measured, or why it was skipped. */
export type ScaleConfigResult =
  | { config: ScaleConfig; label: string; skipped: string }
  /** It started but broke (a worker or a server died, a step timed out): the other configurations still run. */
  | { config: ScaleConfig; label: string; failed: string }
  | {
      config: ScaleConfig;
      label: string;
      connected: number;
      connectFailed: number;
      connectError: string;
      connectMs: number;
      setupMs: number;
      account: ScaleAccount;
      achievedRate: number;
      maxSendDelayMs: number;
      rejected: number;
      firstRejection: string;
      disconnects: number;
      disconnectReason: string;
      /** CPU share (1 = one core) of each process tree during the writes. */
      cpu: Record<string, number>;
      /** Resident memory of each server-side process tree at the end of the writes, MiB. */
      memory: Record<string, number>;
      workers: WorkerStats[];
      /** With `verifyWithPull`: sockets whose pulled bench rows (messages, and units by their latest report) differ from the scope expectation, and the rows pulled. */
      pullCheck?: { sockets: number; mismatched: number; rows: number };
    };

export interface ScaleResult {
  options: ScaleOptions;
  mix: ReturnType<typeof roleMix>;
  configs: ScaleConfigResult[];
  /** cluster ÷ raw, when both ran. */
  ratio: { p50: number; p99: number } | null;
}

/** A running target: Vigie's server(s) (with their store) or the raw baseline. */
interface Target {
  mode: 'vigie' | 'raw';
  url: string;
  /** Vigie: the store the accounts go to. */
  db: string;
  pids: Record<string, number>;
  stop(): Promise<void>;
}

/** Why a configuration cannot run here, or null. */
export function scaleUnavailable(config: ScaleConfig): string | null {
  if (config === 'postgres') return clusterUnavailable(VIGIE.postgres);
  if (config === 'raw') return rawClusterUnavailable();
  if (config === 'cluster') return clusterUnavailable(CLUSTER) ?? rawClusterUnavailable();
  return null;
}

/** Vigie's two nodes: PostgreSQL and Redis from the cluster harness, the bench's own HAProxy in front (`startProxy`). */
const CLUSTER: ClusterOptions = { nodes: 2, store: 'postgres', redis: true, proxy: 'none' };

/**
 * Why `npm run bench` (every benchmark) leaves this one out, or null: it needs PostgreSQL,
 * Redis and HAProxy for its configurations; `npm run bench -- scale` runs what it can and
 * says why it skipped the rest.
 */
export function scaleDefaultSkip(configs: readonly ScaleConfig[] = SCALE_CONFIGS): string | null {
  for (const c of configs) {
    const why = scaleUnavailable(c);
    if (why) return `${LABELS[c]} : ${why}`;
  }
  return null;
}

/** Each configuration of Vigie as the cluster harness starts it (the real CLI, `--demo`); the two nodes get the bench's proxy. */
const VIGIE: Record<'sqlite' | 'postgres' | 'cluster', ClusterOptions> = {
  sqlite: { nodes: 1, store: 'sqlite', redis: false, proxy: 'none' },
  postgres: { nodes: 1, store: 'postgres', redis: false, proxy: 'none' },
  cluster: CLUSTER,
};

async function startTarget(config: ScaleConfig, opts: ScaleOptions): Promise<Target> {
  if (config !== 'raw') {
    const cluster = await startCluster(VIGIE[config]);
    try {
      const proxy = cluster.nodes.length > 1 ? await startProxy(cluster.nodes.map((n) => n.url), opts.clients + opts.writers + 1) : null;
      return {
        mode: 'vigie',
        url: proxy?.url ?? cluster.nodes[0].url,
        db: cluster.db,
        pids: {
          ...Object.fromEntries(cluster.nodes.map((n) => [cluster.nodes.length > 1 ? `node ${n.index + 1}` : 'server', n.pid])),
          ...(cluster.postgres ? { postgres: cluster.postgres.pid } : {}),
          ...(cluster.redis ? { redis: cluster.redis.pid } : {}),
          ...(proxy?.pids ?? {}),
        },
        async stop() {
          await proxy?.stop();
          await cluster.stop();
        },
      };
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }
  if (config === 'raw') {
    const raw = await startRawCluster(opts.clients + opts.writers);
    return { mode: 'raw', url: raw.url, db: '', pids: raw.pids, stop: raw.stop };
  }
  throw new Error(scaleUnavailable(config) ?? `no target for ${config}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the workers hold `expected` deliveries, or nothing came for `quietMs` (what is left is missing). */
async function drain(count: () => Promise<number>, expected: number, quietMs = 5_000, maxMs = 120_000): Promise<void> {
  const end = Date.now() + maxMs;
  let last = -1;
  let lastChange = Date.now();
  while (Date.now() < end) {
    const n = await count();
    if (n >= expected) return;
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > quietMs) return;
    await sleep(250);
  }
}

async function runConfig(config: ScaleConfig, opts: ScaleOptions, log: (line: string) => void): Promise<ScaleConfigResult> {
  const label = LABELS[config];
  const why = scaleUnavailable(config);
  if (why) return { config, label, skipped: why };
  const territories = loadServerTerritories();
  const runId = randomBytes(3).toString('hex');
  const workstations: Workstation[] = planWorkstations(territories, opts.clients, runId);
  const plan: PlannedWrite[] = planWrites(territories, workstations, Math.max(1, Math.round(opts.rate * opts.seconds)));
  log(`  ${config}: starting`);
  const target = await startTarget(config, opts);
  try {
    const setupStarted = performance.now();
    let writerAccounts: WriterAccount[] = [];
    if (target.mode === 'vigie') writerAccounts = await createSessions(target.db, territories, workstations, opts.writers, runId);
    const setupMs = performance.now() - setupStarted;
    log(`  ${config}: ${target.mode === 'vigie' ? `${workstations.length} sessions in ${(setupMs / 1000).toFixed(1)} s; ` : ''}connecting`);
    const pool = await startWorkers(workerCountFor(opts.clients, opts.perWorker));
    const writers: Writer[] = [];
    try {
      const conn = await pool.connect(
        target.url,
        target.mode,
        workstations.map((w) => ({ index: w.index, token: w.token, clientId: w.clientId, rooms: target.mode === 'raw' ? roomsForSocket(w.path, w.privatePath) : undefined })),
      );
      log(`  ${config}: ${conn.connected} connected in ${(conn.ms / 1000).toFixed(1)} s${conn.failed.length ? `, ${conn.failed.length} refused (${conn.firstError})` : ''}; writing`);
      if (target.mode === 'vigie') {
        const first = writerAccounts[0];
        const probe = await connect(target.url, first.token, first.clientId);
        const eventId = await openEventId(probe);
        probe.disconnect();
        writers.push(...(await Promise.all(writerAccounts.map((a) => vigieWriter(target.url, a, eventId)))));
      } else {
        writers.push(...(await Promise.all(Array.from({ length: opts.writers }, () => rawWriter(target.url)))));
      }
      await pool.start();
      const meter = cpuMeter({ ...target.pids, ...Object.fromEntries(pool.pids.map((pid, i) => [`worker ${i + 1}`, pid])) });
      const paced = await paceWrites(plan, writers, opts.rate);
      const absent = new Set(conn.failed);
      const expect = expectationsFor(workstations);
      const expectedTotal = paced.records.reduce((n, r) => (r.sentAt === null ? n : n + expect(r.path).filter((s) => !absent.has(s)).length), 0);
      await drain(() => pool.count(), expectedTotal);
      const cpu = meter.stop();
      const memory = memoryOf(target.pids);
      const results = await pool.stop();
      const acct = account(paced.records, workstations, results.map((r) => r.deliveries), absent);
      let pullCheck: { sockets: number; mismatched: number; rows: number } | undefined;
      if (opts.verifyWithPull && target.mode === 'vigie') {
        // A pull gives every message, but only each unit's latest report (bed reports are a
        // `latest` entity): rows are compared by what they are, a message or a unit.
        const keyOf = new Map(plan.map((w) => [w.id, w.kind === 'report' ? w.territory : w.id]));
        const applied = paced.records.filter((r) => r.sentAt !== null);
        const seen = await pool.verify(applied.map((r) => r.id));
        let mismatched = 0;
        let rows = 0;
        for (const [index, ids] of seen) {
          const got = new Set(ids.map((id) => keyOf.get(id)));
          rows += ids.length;
          const want = new Set(applied.filter((r) => expect(r.path).includes(index)).map((r) => keyOf.get(r.id)));
          if (got.size !== ids.length || got.size !== want.size || [...want].some((k) => !got.has(k))) mismatched++;
        }
        pullCheck = { sockets: seen.size, mismatched, rows };
      }
      return {
        config,
        label,
        connected: conn.connected,
        connectFailed: conn.failed.length,
        connectError: conn.firstError,
        connectMs: conn.ms,
        setupMs,
        account: acct,
        achievedRate: paced.achievedRate,
        maxSendDelayMs: paced.maxSendDelayMs,
        rejected: paced.rejected,
        firstRejection: paced.firstRejection,
        disconnects: results.reduce((n, r) => n + r.disconnects, 0),
        disconnectReason: results.find((r) => r.disconnectReason)?.disconnectReason ?? '',
        cpu,
        memory,
        workers: results.map((r) => r.stats),
        pullCheck,
      };
    } finally {
      for (const w of writers) w.close();
      await pool.close();
    }
  } finally {
    await target.stop();
  }
}

export async function runScale(opts: ScaleOptions, log: (line: string) => void = (l) => console.error(l)): Promise<ScaleResult> {
  const configs: ScaleConfigResult[] = [];
  for (const c of opts.configs) {
    try {
      configs.push(await runConfig(c, opts, log));
    } catch (err) {
      configs.push({ config: c, label: LABELS[c], failed: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  }
  const measured = (c: ScaleConfig) => configs.find((r): r is Extract<ScaleConfigResult, { account: ScaleAccount }> => r.config === c && 'account' in r);
  const cluster = measured('cluster');
  const raw = measured('raw');
  const ratio = cluster && raw ? { p50: cluster.account.p50 / raw.account.p50, p99: cluster.account.p99 / raw.account.p99 } : null;
  return { options: opts, mix: roleMix(opts.clients), configs, ratio };
}

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

export function printScale(r: ScaleResult): void {
  const o = r.options;
  console.log(
    `\n## Scale: ${o.clients.toLocaleString('en')} workstations (${r.mix.national} national, ${r.mix.ars} ARS, ${r.mix.samu} SAMU, ${r.mix.establishment} establishment), ${o.rate} writes/s for ${o.seconds} s by ${o.writers} writers, ${workerCountFor(o.clients, o.perWorker)} worker processes`,
  );
  for (const c of r.configs) {
    if ('skipped' in c) {
      console.log(`${c.label.padEnd(40)}: skipped — ${c.skipped}`);
      continue;
    }
    if ('failed' in c) {
      console.log(`${c.label.padEnd(40)}: FAILED — ${c.failed}`);
      continue;
    }
    const a = c.account;
    console.log(
      `${c.label.padEnd(40)}: p50 ${fmt(a.p50)}  p99 ${fmt(a.p99)}  max ${fmt(a.max)}  ` +
        `(${a.received}/${a.expected} pokes, ${a.missing} missing, ${a.duplicates} duplicated, ${a.outOfScope} out of scope; ` +
        `${a.applied}/${a.writes} writes at ${c.achievedRate.toFixed(1)}/s, mean fan-out ${a.meanFanout.toFixed(0)})`,
    );
    const cpu = Object.entries(c.cpu)
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(', ');
    const lag = c.workers.map((w) => `${w.lagP99Ms.toFixed(0)}/${w.lagMaxMs.toFixed(0)} ms`).join(', ');
    const rss = c.workers.map((w) => `${w.rssMaxMiB.toFixed(0)} MiB`).join(', ');
    console.log(`${''.padEnd(42)}connected ${c.connected} in ${(c.connectMs / 1000).toFixed(1)} s (set-up ${(c.setupMs / 1000).toFixed(1)} s); CPU: ${cpu}`);
    const mem = Object.entries(c.memory)
      .map(([k, v]) => `${k} ${v.toFixed(0)} MiB`)
      .join(', ');
    console.log(`${''.padEnd(42)}workers event-loop p99/max: ${lag}; memory: workers ${rss}, ${mem}`);
    if (c.connectFailed) console.log(`${''.padEnd(42)}${c.connectFailed} workstations could not connect: ${c.connectError}`);
    if (c.disconnects) console.log(`${''.padEnd(42)}${c.disconnects} sockets lost during the run (${c.disconnectReason})`);
    if (c.rejected) console.log(`${''.padEnd(42)}${c.rejected} writes not applied: ${c.firstRejection}`);
    if (c.maxSendDelayMs > 1000 / o.rate) console.log(`${''.padEnd(42)}writes left up to ${c.maxSendDelayMs.toFixed(0)} ms after their due time (timer lateness or every writer busy)`);
    if (c.pullCheck) console.log(`${''.padEnd(42)}pull check: ${c.pullCheck.mismatched}/${c.pullCheck.sockets} sockets differ from the scope expectation (${c.pullCheck.rows} rows pulled)`);
    const limit = limitOf(c);
    if (limit) console.log(`${''.padEnd(42)}limit: ${limit}`);
  }
  if (r.ratio) console.log(`ratio two nodes ÷ bare cluster: p50 ×${r.ratio.p50.toFixed(2)}  p99 ×${r.ratio.p99.toFixed(2)}  (goal p99 ≤ ×2, and p99 < 100 ms)`);
}

/** What most likely limits a configuration that lost pokes or connections, from what it measured; null when it kept up. */
export function limitOf(c: Extract<ScaleConfigResult, { account: ScaleAccount }>): string | null {
  const troubled = c.connectFailed > 0 || c.account.missing > 0 || c.disconnects > 0 || c.account.p99 > 1000;
  if (!troubled) return null;
  const [busiest, share] = Object.entries(c.cpu).sort((a, b) => b[1] - a[1])[0] ?? ['?', NaN];
  const total = Object.values(c.cpu).reduce((n, v) => n + v, 0);
  const lag = Math.max(...c.workers.map((w) => w.lagP99Ms));
  return `busiest process ${busiest} at ${pct(share)} of a core; all measured processes ${pct(total)} of the 2 cores; worker event-loop p99 up to ${lag.toFixed(0)} ms`;
}

/** `npm run bench -- scale`: one run per size of `BENCH_SCALE_CLIENTS`, each printed as it ends. */
export async function runScaleBench(): Promise<ScaleResult[]> {
  const results: ScaleResult[] = [];
  for (const opts of scaleRunsFromEnv()) {
    const r = await runScale(opts);
    printScale(r);
    results.push(r);
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runScaleBench().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
