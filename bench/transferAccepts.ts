/**
 * Transfers (issue 8), the race for beds: 500 acceptances at once on 50 free beds, from 100
 * real Socket.IO clients of the destination establishment, against a real sync server (in
 * this process, on a loopback port, its own SQLite file). The server's transaction decides:
 * exactly 50 must win, 450 be refused with a reason, no unit overbooked. Figures: total
 * time and p50/p99 per decision (push → answer), beside the raw store's rate for the same
 * decision (read the unit's holds, insert one, in a transaction of its own) in the same run.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { syncWire, type Mutation, type PushResult, type Reply } from '../common/protocol';
import { mutation, reportUnit } from '../sync-server/src/testing/fixtures';
import { startTestServer, type ClientSocket } from '../sync-server/src/testing/server';
import { fmt } from './support/processes';

const PITIE = '750100125';
const BICHAT = '750100232';
const UNITS = 10;
const BEDS_PER_UNIT = 5;
const ATTEMPTS = 500;
const CLIENTS = 100;

export interface AcceptRaceResult {
  attempts: number;
  accepted: number;
  refused: number;
  refusedWithReason: number;
  overbooked: number;
  totalMs: number;
  p50Ms: number;
  p99Ms: number;
  rawDecisionsPerS: number;
  decisionsPerS: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function pushOne(s: ClientSocket, clientId: string, m: Mutation): Promise<{ status: string; reason?: string }> {
  const r = (await s.emitWithAck(syncWire.push, { clientId, mutations: [m] })) as Reply<PushResult>;
  if (!('data' in r)) throw new Error(r.error.message);
  return r.data.results[0] as { status: string; reason?: string };
}

/** The same decision on a bare SQLite file: count a unit's holds, insert one, one transaction each. */
function rawDecisions(dir: string): number {
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE holds (id TEXT PRIMARY KEY, unit TEXT NOT NULL, data TEXT NOT NULL); CREATE INDEX holds_unit ON holds(unit);`);
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM holds WHERE unit = ?');
  const insert = db.prepare('INSERT INTO holds (id, unit, data) VALUES (?, ?, ?)');
  const decide = db.transaction((unit: string) => {
    if ((count.get(unit)?.n ?? 0) < BEDS_PER_UNIT) insert.run(randomUUID(), unit, '{}');
  });
  const t0 = performance.now();
  for (let i = 0; i < ATTEMPTS; i++) decide(`U${i % UNITS}`);
  const s = (performance.now() - t0) / 1000;
  db.close();
  return ATTEMPTS / s;
}

export async function runAcceptRace(): Promise<AcceptRaceResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-accepts-'));
  const server = await startTestServer({ log: () => undefined });
  try {
    await server.user('samu75', 'samu:75');
    await server.user('bichat', `establishment:${BICHAT}`);
    const samuToken = (await server.login('samu75')).token;
    const bichatToken = (await server.login('bichat')).token;
    const samu = await server.socket(samuToken, 'bench-samu');
    const setup = await server.socket(bichatToken, 'bench-bichat-setup');
    let n = 1;
    let sn = 1;
    for (let u = 0; u < UNITS; u++) {
      await pushOne(setup, 'bench-bichat-setup', reportUnit('bench-bichat-setup', n++, BICHAT, 'REA_MED', { unitId: `REA ${u}`, installed: 10, staffed: 10, available: BEDS_PER_UNIT }));
    }
    const patient = { ageBand: '61-75', sex: 'M', need: 'rea_adulte', covid: 'positif', ventilated: true };
    const ids: string[] = [];
    const batch: Mutation[] = [];
    for (let i = 0; i < ATTEMPTS; i++) {
      const id = randomUUID();
      ids.push(id);
      batch.push(mutation('bench-samu', sn++, 'transfer.create', { id, patient, originFiness: PITIE, urgency: 'immediate' }));
      batch.push(mutation('bench-samu', sn++, 'transfer.propose', { id, destFiness: BICHAT, destUnitId: `REA ${i % UNITS}` }));
    }
    for (let i = 0; i < batch.length; i += 200) {
      const r = (await samu.emitWithAck(syncWire.push, { clientId: 'bench-samu', mutations: batch.slice(i, i + 200) })) as Reply<PushResult>;
      if (!('data' in r) || r.data.results.some((x) => x.status !== 'applied')) throw new Error('setup: a transfer was not proposed');
    }
    // One login per workstation: a login belongs to one client id (docs/security.md, « Sessions »).
    const clients: Awaited<ReturnType<typeof server.socket>>[] = [];
    for (let c = 0; c < CLIENTS; c++) clients.push(await server.socket((await server.login('bichat')).token, `bench-bichat-${c}`));
    const latencies: number[] = [];
    let accepted = 0;
    let refused = 0;
    let refusedWithReason = 0;
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (s, c) => {
        const clientId = `bench-bichat-${c}`;
        let m = 1;
        for (let k = c; k < ATTEMPTS; k += CLIENTS) {
          const ts = performance.now();
          const r = await pushOne(s, clientId, mutation(clientId, m++, 'transfer.accept', { id: ids[k], holdId: randomUUID() }));
          latencies.push(performance.now() - ts);
          if (r.status === 'applied') accepted++;
          else {
            refused++;
            if (r.reason && r.reason.startsWith('Plus de lit libre')) refusedWithReason++;
          }
        }
      }),
    );
    const totalMs = performance.now() - t0;
    let overbooked = 0;
    for (let u = 0; u < UNITS; u++) overbooked += Math.max(0, (await server.app.store.boards.transfers.activeHolds(BICHAT, `REA ${u}`, new Date())) - BEDS_PER_UNIT);
    latencies.sort((a, b) => a - b);
    return {
      attempts: ATTEMPTS,
      accepted,
      refused,
      refusedWithReason,
      overbooked,
      totalMs,
      p50Ms: pct(latencies, 50),
      p99Ms: pct(latencies, 99),
      rawDecisionsPerS: rawDecisions(dir),
      decisionsPerS: ATTEMPTS / (totalMs / 1000),
    };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printAcceptRace(r: AcceptRaceResult): void {
  console.log(`${r.attempts} acceptances at once on ${UNITS * BEDS_PER_UNIT} free beds from ${CLIENTS} clients : ${r.accepted} accepted, ${r.refused} refused (${r.refusedWithReason} with the reason), overbooked beds ${r.overbooked} (target: ${UNITS * BEDS_PER_UNIT} / ${r.attempts - UNITS * BEDS_PER_UNIT} / 0)`);
  console.log(`decision time (push → answer)          : total ${fmt(r.totalMs)}, p50 ${fmt(r.p50Ms)}, p99 ${fmt(r.p99Ms)}; ${Math.round(r.decisionsPerS)} decisions/s`);
  console.log(`bare SQLite decision (count + insert)  : ${Math.round(r.rawDecisionsPerS)} decisions/s; ratio Vigie / bare ×${(r.rawDecisionsPerS / r.decisionsPerS).toFixed(1)} slower`);
}
