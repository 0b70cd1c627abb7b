/**
 * Cold bootstrap: a new national client pulls 100,000 change-log rows into its cache.
 * Baseline measured in the same run: copying the same rows with bare better-sqlite3 (read
 * the server's change log, parse, insert into a fresh file in one transaction) — the floor
 * of any local copy, with no network, no protocol and no scope.
 *
 * One seeding, then ROUNDS rounds of (a brand-new workstation bootstraps, the bare copy runs),
 * interleaved so both see the same machine; the figures are the medians (single runs moved
 * by ±15 % on this 2-core machine).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startTs } from './support/processes';
import { connect, login, openEventId, pushAll } from './support/protocolClient';
import { call, openServices, waitForStatus } from './support/services';
import type { EventView } from '../common/domain/eventlog/api';
import type { Mutation } from '../common/protocol';

const ROWS = Number(process.env.BENCH_BOOTSTRAP_ROWS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_BOOTSTRAP_ROUNDS ?? 3);
const TERRITORIES = ['FR', 'R:11', 'R:53', 'R:84', 'D:75', 'D:93', 'D:29', 'D:69', 'D:13', 'D:59'];

export interface BootstrapResult {
  rows: number;
  seedMs: number;
  /** Medians over the rounds. */
  vigieMs: number;
  baselineMs: number;
  ratio: number;
  cached: number;
  rounds: Array<{ vigieMs: number; baselineMs: number }>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function runBootstrap(): Promise<BootstrapResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-boot-'));
  const dbPath = join(dir, 'server.sqlite');
  const server = await startTs('sync-server/src/cli.ts', ['--port', '0', '--host', '127.0.0.1', '--db', dbPath, '--demo'], 'VIGIE_SYNC_SERVER_READY');
  try {
    // Seed: the national cell posts ROWS messages across territories (one change-log row each).
    const t0 = performance.now();
    const { token } = await login(server.url, 'national');
    const clientId = `bench-seed-${randomUUID().slice(0, 8)}`;
    const seeder = await connect(server.url, token, clientId);
    const eventId = await openEventId(seeder);
    const at = new Date().toISOString();
    const mutations: Mutation[] = Array.from({ length: ROWS }, (_, i) => ({
      clientId,
      mutationId: i + 1,
      name: 'message.post',
      args: {
        id: randomUUID(),
        eventId,
        territory: TERRITORIES[i % TERRITORIES.length],
        kind: i % 7 === 0 ? 'consigne' : 'information',
        priority: i % 50 === 0 ? 'urgent' : 'info',
        body: `Point de situation n° ${i + 1} : lits disponibles en baisse, renforts demandés.`,
      },
      at,
    }));
    await pushAll(seeder, clientId, mutations);
    seeder.disconnect();
    const seedMs = performance.now() - t0;

    const rounds: Array<{ vigieMs: number; baselineMs: number }> = [];
    let cached = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Vigie: a brand-new national workstation logs in and syncs everything.
      const dataDir = join(dir, `client-${round}`);
      const t1 = performance.now();
      const services = openServices(dataDir, server.url);
      try {
        await call(services, 'session.login', { username: 'national', password: 'demo-vigie' });
        await waitForStatus(services, (s) => s.state === 'online' && s.lastSyncAt !== null, 120_000);
        // The clock stops only once every seeded row is in the local cache, whatever the status said.
        const countCached = async () => (await call<EventView[]>(services, 'events.list', {})).reduce((n, e) => n + e.messageCount, 0);
        cached = await countCached();
        while (cached < ROWS && performance.now() - t1 < 120_000) {
          await new Promise((r) => setTimeout(r, 50));
          cached = await countCached();
        }
      } finally {
        await services.close();
      }
      const vigieMs = performance.now() - t1;
      if (cached < ROWS) throw new Error(`only ${cached} of ${ROWS} rows reached the cache`);

      // Baseline: bare copy of the change log into a fresh SQLite file.
      const t2 = performance.now();
      const src = new Database(dbPath, { readonly: true });
      const dst = new Database(join(dir, `baseline-${round}.sqlite`));
      dst.pragma('journal_mode = WAL');
      dst.exec('CREATE TABLE rows (version INTEGER PRIMARY KEY, entity TEXT, id TEXT, data TEXT)');
      const insert = dst.prepare('INSERT INTO rows VALUES (?, ?, ?, ?)');
      const rows = src.prepare('SELECT version, entity, entity_id, payload FROM change_log ORDER BY version').all() as Array<{ version: number; entity: string; entity_id: string; payload: string }>;
      dst.transaction(() => {
        for (const r of rows) {
          const data = JSON.parse(r.payload) as unknown;
          insert.run(r.version, r.entity, r.entity_id, JSON.stringify(data));
        }
      })();
      src.close();
      dst.close();
      rounds.push({ vigieMs, baselineMs: performance.now() - t2 });
    }
    const vigieMs = median(rounds.map((r) => r.vigieMs));
    const baselineMs = median(rounds.map((r) => r.baselineMs));
    return { rows: ROWS, seedMs, vigieMs, baselineMs, ratio: vigieMs / baselineMs, cached, rounds };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printBootstrap(r: BootstrapResult): void {
  console.log(`\n## Cold bootstrap: a new national client pulls ${r.rows.toLocaleString('en')} change-log rows`);
  console.log(`seeding the server      : ${(r.seedMs / 1000).toFixed(1)} s (not measured against a target)`);
  const each = (k: 'vigieMs' | 'baselineMs') => r.rounds.map((x) => (x[k] / 1000).toFixed(2)).join(', ');
  console.log(`Vigie login → synced    : ${(r.vigieMs / 1000).toFixed(2)} s median of ${r.rounds.length} (${each('vigieMs')}), ${r.cached.toLocaleString('en')} messages in the cache (target < 3 s)`);
  console.log(`bare SQLite copy        : ${(r.baselineMs / 1000).toFixed(2)} s median (${each('baselineMs')})`);
  console.log(`ratio Vigie / bare copy : ×${r.ratio.toFixed(2)} (target ≤ ×1.5)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runBootstrap().then(printBootstrap, (e) => {
    console.error(e);
    process.exit(1);
  });
}
