/**
 * Live fan-out: N connected clients (default 200), one message posted every 20 ms; latency
 * from post to arrival at every client, Vigie's sync server beside a bare Socket.IO
 * broadcast measured in the same run on the same machine.
 *
 * Both servers run in their own process; all clients run in this process and share its
 * clock, so post→arrival is measured on one clock. Vigie's path is the real one: HTTP login,
 * authenticated handshake, `sync:push` of a `message.post` mutation (validated, applied in a
 * SQLite transaction, change-logged), then a scoped `sync:poke` to every socket in scope.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { fmt, percentile, startTs } from './support/processes';
import { ask, login, openEventId } from './support/protocolClient';
import type { Message } from '../common/domain/eventlog/model';
import { syncWire, type Poke, type PushResult } from '../common/protocol';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 250);
const INTERVAL_MS = 20;

export interface FanoutResult {
  clients: number;
  messages: number;
  raw: { p50: number; p99: number; max: number; received: number; expected: number };
  vigie: { p50: number; p99: number; max: number; received: number; expected: number };
  ratioP99: number;
  ratioP50: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function connectAll(url: string, count: number, auth?: (i: number) => Record<string, string>): Promise<Socket[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const s = io(url, { transports: ['websocket'], reconnection: false, auth: auth?.(i), forceNew: true });
      return new Promise<Socket>((resolve, reject) => {
        s.once('connect', () => resolve(s));
        s.once('connect_error', (e) => reject(e));
      });
    }),
  );
}

function summarise(samples: number[], expected: number) {
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples[samples.length - 1] ?? NaN, received: samples.length, expected };
}

async function waitFor(cond: () => boolean, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (!cond() && Date.now() < end) await sleep(20);
}

/** A poke shaped exactly like the one Vigie sends for one posted message. */
function rawPoke(n: number): Poke {
  const data: Message = {
    id: randomUUID(),
    eventId: randomUUID(),
    level: 'local',
    territory: 'D:75',
    kind: 'information',
    priority: 'info',
    body: `Bilan ${n} : message de mesure`,
    authorId: randomUUID(),
    authorName: 'SAMU 75 — régulation',
    authorRole: 'samu:75',
    at: new Date().toISOString(),
    replaces: null,
    corrects: null,
    ackList: null,
    receivedAt: null,
    version: n,
  };
  return { version: n, changes: [{ version: n, entity: 'message', data }] };
}

async function rawRun() {
  const server = await startTs('bench/support/raw-broadcast-server.ts', [], 'RAW_BROADCAST_READY');
  try {
    const receivers = await connectAll(server.url, CLIENTS);
    const [poster] = await connectAll(server.url, 1);
    const sentAt = new Map<number, number>();
    const samples: number[] = [];
    for (const r of receivers) {
      r.on('msg', (p: Poke) => {
        const now = performance.now();
        for (const c of p.changes) {
          const t0 = sentAt.get(c.version);
          if (t0 !== undefined) samples.push(now - t0);
        }
      });
    }
    for (let n = 1; n <= MESSAGES; n++) {
      sentAt.set(n, performance.now());
      // The same bytes Vigie's poke carries, so both runs pay the same encoding and decoding.
      poster.emit('post', rawPoke(n));
      await sleep(INTERVAL_MS);
    }
    await waitFor(() => samples.length >= MESSAGES * CLIENTS, 15_000);
    for (const s of [...receivers, poster]) s.disconnect();
    return summarise(samples, MESSAGES * CLIENTS);
  } finally {
    await server.stop();
  }
}

async function vigieRun() {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-fanout-'));
  const server = await startTs('sync-server/src/cli.ts', ['--port', '0', '--host', '127.0.0.1', '--db', join(dir, 'server.sqlite'), '--demo'], 'VIGIE_SYNC_SERVER_READY');
  try {
    const receiverToken = (await login(server.url, 'ars-idf')).token;
    const posterToken = (await login(server.url, 'samu75')).token;
    const runId = randomUUID().slice(0, 8);
    // One login is bound to one client id (docs/security.md, "Sessions"): the receivers only listen, so they share it.
    const receivers = await connectAll(server.url, CLIENTS, () => ({ token: receiverToken, clientId: `bench-${runId}-receivers` }));
    const posterClientId = `bench-${runId}-poster`;
    const [poster] = await connectAll(server.url, 1, () => ({ token: posterToken, clientId: posterClientId }));

    // The demo data set holds one open national event: post into it.
    const eventId = await openEventId(poster);

    const sentAt = new Map<string, number>();
    const samples: number[] = [];
    for (const r of receivers) {
      r.on(syncWire.poke, (poke: Poke) => {
        const now = performance.now();
        for (const c of poke.changes) {
          if (c.entity !== 'message') continue;
          const t0 = sentAt.get(c.data.id);
          if (t0 !== undefined) samples.push(now - t0);
        }
      });
    }
    const pushes: Array<Promise<PushResult>> = [];
    for (let n = 1; n <= MESSAGES; n++) {
      const id = randomUUID();
      sentAt.set(id, performance.now());
      pushes.push(
        ask<PushResult>(poster, syncWire.push, {
          clientId: posterClientId,
          mutations: [
            {
              clientId: posterClientId,
              mutationId: n,
              name: 'message.post',
              args: { id, eventId, territory: 'D:75', kind: 'information', priority: 'info', body: `Bilan ${n} : message de mesure` },
              at: new Date().toISOString(),
            },
          ],
        }),
      );
      await sleep(INTERVAL_MS);
    }
    const results = (await Promise.all(pushes)).flatMap((r) => r.results);
    const rejected = results.filter((r) => r.status !== 'applied');
    if (rejected.length) throw new Error(`${rejected.length} bench posts were not applied: ${JSON.stringify(rejected[0])}`);
    await waitFor(() => samples.length >= MESSAGES * CLIENTS, 15_000);
    for (const s of [...receivers, poster]) s.disconnect();
    return summarise(samples, MESSAGES * CLIENTS);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runFanout(): Promise<FanoutResult> {
  const raw = await rawRun();
  const vigie = await vigieRun();
  return { clients: CLIENTS, messages: MESSAGES, raw, vigie, ratioP99: vigie.p99 / raw.p99, ratioP50: vigie.p50 / raw.p50 };
}

export function printFanout(r: FanoutResult): void {
  console.log(`\n## Fan-out: ${r.clients} clients, one message every ${INTERVAL_MS} ms, ${r.messages} messages`);
  console.log(`raw Socket.IO broadcast : p50 ${fmt(r.raw.p50)}  p99 ${fmt(r.raw.p99)}  max ${fmt(r.raw.max)}  (${r.raw.received}/${r.raw.expected} deliveries)`);
  console.log(`Vigie push → poke       : p50 ${fmt(r.vigie.p50)}  p99 ${fmt(r.vigie.p99)}  max ${fmt(r.vigie.max)}  (${r.vigie.received}/${r.vigie.expected} deliveries)`);
  console.log(`ratio Vigie / raw       : p50 ×${r.ratioP50.toFixed(2)}  p99 ×${r.ratioP99.toFixed(2)}  (target p99 ≤ ×2)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runFanout().then(printFanout, (e) => {
    console.error(e);
    process.exit(1);
  });
}
