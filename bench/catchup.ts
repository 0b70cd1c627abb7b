/**
 * Catch-up: a workstation that wrote 10,000 mutations offline reconnects. Measured: from the
 * server being reachable again to every mutation applied on the server and acknowledged
 * (the client's pending count back to 0). Then the server's rows are checked for zero loss
 * and zero duplicates.
 *
 * Baseline measured in the same run: the same number of mutations pushed by a bare protocol
 * client (no local store, no outbox) to the same server — the floor set by the server's
 * exactly-once application.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTs, type Child } from './support/processes';
import { connect, login, pullAll, pushAll } from './support/protocolClient';
import { call, openServices, waitForStatus } from './support/services';
import type { SyncStatus } from '../common/app/api';
import type { EventView } from '../common/domain/eventlog/api';
import type { Mutation } from '../common/protocol';

const COUNT = Number(process.env.BENCH_CATCHUP_MUTATIONS ?? 10_000);

export interface CatchupResult {
  mutations: number;
  offlineWriteMs: number;
  vigieMs: number;
  sinceServerMs: number;
  baselineMs: number;
  ratio: number;
  onServer: number;
  duplicates: number;
  missing: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function runCatchup(): Promise<CatchupResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-catchup-'));
  const dbPath = join(dir, 'server.sqlite');
  const port = await freePort();
  const serverArgs = ['--port', String(port), '--host', '127.0.0.1', '--db', dbPath, '--demo'];
  let server: Child | undefined = await startTs('sync-server/src/cli.ts', serverArgs, 'VIGIE_SYNC_SERVER_READY');
  const services = openServices(join(dir, 'client'), server.url);
  try {
    await call(services, 'session.login', { username: 'samu75', password: 'demo-vigie' });
    await waitForStatus(services, (s) => s.state === 'online' && s.lastSyncAt !== null, 30_000);
    const [event] = await call<EventView[]>(services, 'events.list', {});

    // The field goes dark: the server stops, the regulator keeps writing.
    await server.stop();
    server = undefined;
    await waitForStatus(services, (s) => s.state === 'offline', 30_000);
    const tw = performance.now();
    for (let i = 1; i <= COUNT; i++) {
      await call(services, 'messages.post', {
        eventId: event.id,
        territory: 'D:75',
        kind: 'information',
        priority: 'info',
        body: `Rattrapage n° ${i}`,
      });
    }
    const offlineWriteMs = performance.now() - tw;
    const before = await call<SyncStatus>(services, 'sync.status', {});
    if (before.pending !== COUNT) throw new Error(`expected ${COUNT} pending, found ${before.pending}`);

    // The server comes back on the same address: time until everything is acknowledged.
    // Two clocks: from the server being back (includes the client's reconnection backoff)
    // and from the client's reconnection (the catch-up itself).
    let reconnectedAt: number | undefined;
    const off = services.on((event, payload) => {
      if (event === 'sync.status' && (payload as SyncStatus).state !== 'offline') reconnectedAt ??= performance.now();
    });
    server = await startTs('sync-server/src/cli.ts', serverArgs, 'VIGIE_SYNC_SERVER_READY');
    const t0 = performance.now();
    await waitForStatus(services, (s) => s.pending === 0 && s.state === 'online', 300_000);
    const done = performance.now();
    off();
    const sinceServerMs = done - t0;
    const vigieMs = done - (reconnectedAt ?? t0);

    // Zero loss, zero duplicates, checked on the server's rows.
    const national = await login(server.url, 'national');
    const checker = await connect(server.url, national.token, `bench-check-${randomUUID().slice(0, 8)}`);
    const { changes } = await pullAll(checker);
    const seen = new Map<number, number>();
    for (const c of changes) {
      if (c.entity !== 'message') continue;
      const m = /^Rattrapage n° (\d+)$/.exec(c.data.body);
      if (m) seen.set(Number(m[1]), (seen.get(Number(m[1])) ?? 0) + 1);
    }
    let duplicates = 0;
    let missing = 0;
    for (let i = 1; i <= COUNT; i++) {
      const n = seen.get(i) ?? 0;
      if (n === 0) missing++;
      if (n > 1) duplicates += n - 1;
    }

    // Baseline: the same volume through a bare protocol client.
    const baseClient = `bench-base-${randomUUID().slice(0, 8)}`;
    const samu = await login(server.url, 'samu75');
    const raw = await connect(server.url, samu.token, baseClient);
    const at = new Date().toISOString();
    const mutations: Mutation[] = Array.from({ length: COUNT }, (_, i) => ({
      clientId: baseClient,
      mutationId: i + 1,
      name: 'message.post',
      args: { id: randomUUID(), eventId: event.id, territory: 'D:75', kind: 'information', priority: 'info', body: `Référence n° ${i + 1}` },
      at,
    }));
    const t1 = performance.now();
    await pushAll(raw, baseClient, mutations, 200);
    const baselineMs = performance.now() - t1;
    raw.disconnect();
    checker.disconnect();
    return { mutations: COUNT, offlineWriteMs, vigieMs, sinceServerMs, baselineMs, ratio: vigieMs / baselineMs, onServer: seen.size, duplicates, missing };
  } finally {
    await services.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printCatchup(r: CatchupResult): void {
  console.log(`\n## Catch-up: a client reconnects with ${r.mutations.toLocaleString('en')} pending mutations`);
  console.log(`writing them offline    : ${(r.offlineWriteMs / 1000).toFixed(1)} s (${(r.offlineWriteMs / r.mutations).toFixed(2)} ms per durable local write)`);
  console.log(`Vigie reconnect → all acknowledged : ${(r.vigieMs / 1000).toFixed(2)} s (target < 2 s)`);
  console.log(`server back → all acknowledged     : ${(r.sinceServerMs / 1000).toFixed(2)} s (includes the reconnection backoff)`);
  console.log(`server rows             : ${r.onServer.toLocaleString('en')} distinct, ${r.missing} missing, ${r.duplicates} duplicates`);
  console.log(`bare protocol client    : ${(r.baselineMs / 1000).toFixed(2)} s for the same volume`);
  console.log(`ratio Vigie / bare      : ×${r.ratio.toFixed(2)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCatchup().then(printCatchup, (e) => {
    console.error(e);
    process.exit(1);
  });
}
