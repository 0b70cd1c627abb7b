/**
 * A sync server killed (SIGKILL, a real process) in the middle of an operation's holds
 * loses none and doubles none: the national cell's workstation pushes the all-or-nothing
 * hold, the server dies before, while or after applying it, starts again on the same SQLite
 * file, and after reconnection and catch-up every patient has exactly one hold, the free beds
 * the workstation shows are exact, and a replay of the same mutation is applied once.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncWire, type Mutation, type PushResult, type Reply } from '../../common/protocol';
import { loginClient, rawClient, rawSocket, tempDir, waitFor, waitSynced, type TestClient } from './harness';

const PITIE = '750100125';
const N = 6;
const tmp = tempDir('operation-restart');
const dbPath = join(tmp.dir, 'server.sqlite');
let child: ChildProcessWithoutNullStreams | null = null;
let url = '';
let samu: TestClient;
let national: TestClient;
/** A raw national login made while the server runs with --demo (restarted without it, a new one would need the second factor). */
let rawNational: { token: string; clientId: string };

/** Starts the sync server's own command line on `port` (0: any) and waits for its ready line. */
async function startProcess(port: number, demo: boolean): Promise<string> {
  const p = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/cli.ts', '--db', dbPath, '--port', String(port), ...(demo ? ['--demo'] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
  child = p;
  let out = '';
  let err = '';
  p.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  p.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  await waitFor(() => /VIGIE_SYNC_SERVER_READY (\S+)/.test(out) || p.exitCode !== null, 'the sync server to be ready', 90_000);
  if (p.exitCode !== null) throw new Error(`sync server exited: ${err}`);
  return /VIGIE_SYNC_SERVER_READY (\S+)/.exec(out)?.[1] ?? '';
}

async function kill(): Promise<void> {
  const p = child;
  if (!p || p.exitCode !== null) return;
  const exited = new Promise<NodeJS.Signals | null>((r) => p.on('exit', (_c, signal) => r(signal)));
  p.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

/** What the server's file holds, read-only. */
function onServer<T>(read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
const holdsOf = (transferIds: string[]) =>
  onServer((db) => db.prepare(`SELECT id, transfer_id AS transferId, finess, unit_id AS unitId, state FROM holds WHERE transfer_id IN (${transferIds.map(() => '?').join(',')})`).all(...transferIds) as Array<{ id: string; transferId: string; finess: string; unitId: string; state: string }>);
const changesOf = (id: string) => onServer((db) => (db.prepare('SELECT count(*) AS n FROM change_log WHERE entity_id = ?').get(id) as { n: number }).n);

beforeAll(async () => {
  url = await startProcess(0, true);
  samu = await loginClient(join(tmp.dir, 'samu75'), url, 'samu75');
  national = await loginClient(join(tmp.dir, 'national'), url, 'national');
  const clientId = `raw-${randomUUID()}`;
  const raw = await rawClient(url, 'national', clientId);
  raw.socket.close();
  rawNational = { token: raw.token, clientId };
  await waitSynced(samu);
  await waitSynced(national);
}, 120_000);
afterAll(async () => {
  for (const c of [samu, national]) await c?.close();
  await kill();
  tmp.cleanup();
});

const legs = [
  {
    departure: { name: 'Paris Gare Montparnasse', at: new Date(Date.now() + 3_600_000).toISOString(), lat: 48.8409, lon: 2.3206 },
    arrival: { name: 'Gare de Rennes', at: new Date(Date.now() + 4 * 3_600_000).toISOString(), lat: 48.1035, lon: -1.6722 },
  },
];
const cars = [{ label: 'Voiture 1', places: N, team: { label: 'SMUR Paris équipe 4', size: 6 } }];
const patient = { ageBand: '41-60', sex: 'M', need: 'rea_adulte', covid: 'positif', ventilated: true, ecmo: false, isolation: true, weightClass: null } as const;

/** An operation of N waiting patients, planned into Bretagne; its assignments and the free beds before. */
async function plannedOperation(label: string) {
  const ids: string[] = [];
  for (let i = 0; i < N; i++) ids.push((await samu.call('transfers.create', { patient, originFiness: PITIE, urgency: 'programmee' })).id as string);
  await waitSynced(samu);
  await waitFor(async () => (await national.call('transfers.list', {})).filter((t) => ids.includes(t.id)).length === N, 'the transfers at the national cell');
  const id = (await national.call('transfers.createOperation', { label, vehicle: 'tgv', legs, cars, receivingRegion: 'R:53', transferIds: ids })).id as string;
  await waitSynced(national);
  const plan = await national.call('transfers.planOperation', { id });
  expect(plan.plan.placed).toBe(N);
  const assignments = plan.plan.assignments.map((a) => ({ transferId: a.patientId, destFiness: a.unitKey.split(':')[0], destUnitId: a.unitKey.slice(a.unitKey.indexOf(':') + 1) }));
  const freeBefore = new Map(plan.units.map((u) => [u.key, u.free]));
  return { id, ids, assignments, freeBefore, unitKeys: plan.plan.assignments.map((a) => a.unitKey) };
}

/** After catch-up: one hold per patient on the server and on the workstation, the free beds down by exactly the patients each unit takes. */
async function expectHeldOnce(op: Awaited<ReturnType<typeof plannedOperation>>): Promise<void> {
  const holds = holdsOf(op.ids);
  expect(holds).toHaveLength(N);
  expect(new Set(holds.map((h) => h.transferId)).size).toBe(N);
  for (const h of holds) {
    expect(h.state).toBe('active');
    expect(changesOf(h.id)).toBe(1);
  }
  // Created, then held: two writes of the operation, never three.
  expect(changesOf(op.id)).toBe(2);
  const local = (await national.call('transfers.holds', {})).filter((h) => op.ids.includes(h.transferId));
  expect(local.map((h) => h.id).sort()).toEqual(holds.map((h) => h.id).sort());
  const view = await national.call('transfers.operations', {});
  expect(view.find((o) => o.id === op.id)).toMatchObject({ state: 'reservee', pending: false });
  const after = new Map((await national.call('transfers.planOperation', { id: op.id })).units.map((u) => [u.key, u.free]));
  const taken = new Map<string, number>();
  for (const k of op.unitKeys) taken.set(k, (taken.get(k) ?? 0) + 1);
  for (const [k, n] of taken) expect(after.get(k)).toBe(Math.max(0, (op.freeBefore.get(k) ?? 0) - n));
}

describe('a sync server killed during an operation’s holds', () => {
  for (const [name, when] of [
    ['right after the workstation queued the hold (push in flight)', 0],
    ['a few milliseconds into the push', 15],
  ] as const) {
    it(`${name}: after restart and catch-up every hold exists once`, async () => {
      const op = await plannedOperation(`TGV ${name}`);
      const port = Number(new URL(url).port);
      await national.call('transfers.holdOperation', { id: op.id, assignments: op.assignments });
      if (when > 0) await new Promise((r) => setTimeout(r, when));
      await kill();
      url = await startProcess(port, false);
      await waitSynced(national, 60_000);
      await waitFor(async () => (await national.call('transfers.operations', {})).find((o) => o.id === op.id && !o.pending && o.state === 'reservee'), 'the held operation after catch-up', 30_000);
      await expectHeldOnce(op);
    }, 180_000);
  }

  it('after the server committed the holds: the answer lost with the process, the replay is applied once', async () => {
    const op = await plannedOperation('TGV rejoué');
    const port = Number(new URL(url).port);
    // A raw client so the very same mutation (client id, mutation id) can be sent again.
    const { token, clientId } = rawNational;
    const raw = { socket: await rawSocket(url, token, clientId) };
    const hold: Mutation = {
      clientId,
      mutationId: 1,
      name: 'operation.hold',
      args: { id: op.id, assignments: op.assignments.map((a) => ({ ...a, holdId: randomUUID() })) },
      at: new Date().toISOString(),
    };
    raw.socket.emit(syncWire.push, { clientId, mutations: [hold] }, () => undefined);
    await waitFor(() => holdsOf(op.ids).length === N, 'the holds committed on the server', 30_000);
    await kill();
    raw.socket.close();
    url = await startProcess(port, false);
    // The same login: its token outlives the process.
    const again = await rawSocket(url, token, clientId);
    try {
      const reply = (await again.emitWithAck(syncWire.push, { clientId, mutations: [hold] })) as Reply<PushResult>;
      expect('data' in reply && reply.data.results[0]).toMatchObject({ mutationId: 1, status: 'applied' });
    } finally {
      again.close();
    }
    await waitSynced(national, 60_000);
    await waitFor(async () => (await national.call('transfers.operations', {})).find((o) => o.id === op.id && o.state === 'reservee'), 'the held operation at the national cell', 30_000);
    await expectHeldOnce(op);
  }, 180_000);
});
