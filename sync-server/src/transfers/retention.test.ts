/**
 * The clinical summaries' retention, over a real server (127.0.0.1, real socket.io clients,
 * its SQLite file read directly) with an injected clock: a transfer finished longer ago than
 * the delay loses its summary everywhere — the server's table, every change-log row, a
 * party's pull from cursor 0, a connected party's pokes — while an unfinished or recently
 * finished one keeps it; the purge is one audit entry (ids and count, never the text) and
 * the chain still verifies; a second run erases nothing more. The command line's
 * `--purge-summaries` prints the count.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncWire, type Change, type Mutation, type Poke, type PushResult, type Reply } from '../../../common/protocol';
import type { TransferSummary } from '../../../common/domain/transfers/model';
import { mutation, openEvent, reportUnit, tempDir } from '../testing/fixtures';
import { startTestServer, type ClientSocket, type TestServer } from '../testing/server';
import { pgTypes } from '../store/pg/db';
import { TEST_STORE, testDb } from '../testing/stores';
import { purgeExpiredSummaries, RETENTION_ACTOR } from './retention';

const PITIE = '750100125';
const BREST = '290004324';
const DAY = 24 * 60 * 60 * 1000;
const ARRIVED = 'Choc septique, noradrénaline 0,5 — témoin-arrivé';
const CANCELLED_OLD = 'Pneumopathie hypoxémiante — témoin-annulé-ancien';
const CANCELLED_RECENT = 'Polytraumatisé stable — témoin-annulé-récent';
const WAITING = 'SDRA en attente de place — témoin-en-cours';

const USERS = { pitie: `establishment:${PITIE}`, samu75: 'samu:75', brest: `establishment:${BREST}`, samu29: 'samu:29', national: 'national' } as const;
type Name = keyof typeof USERS;
const PARTIES: Name[] = ['pitie', 'samu75', 'brest', 'samu29'];

const tmp = tempDir();
let dbPath = join(tmp.dir, 'server.sqlite');
let clock = Date.now();
let server: TestServer;
const clients = {} as Record<Name, { socket: ClientSocket; clientId: string; next: number; pokes: Poke[] }>;
const ids = { arrived: randomUUID(), cancelledOld: randomUUID(), cancelledRecent: randomUUID(), waiting: randomUUID() };

async function push(name: Name, build: (clientId: string, n: number) => Mutation): Promise<{ status: string; reason?: string; version?: number }> {
  const c = clients[name];
  const r = (await c.socket.emitWithAck(syncWire.push, { clientId: c.clientId, mutations: [build(c.clientId, c.next++)] })) as Reply<PushResult>;
  if (!('data' in r)) throw new Error(`push refused: ${r.error.message}`);
  return r.data.results[0] as { status: string; reason?: string; version?: number };
}

async function applied(name: Name, mutationName: string, args: unknown): Promise<void> {
  const r = await push(name, (c, n) => mutation(c, n, mutationName, args, new Date(clock)));
  expect(r, `${mutationName} by ${name}`).toMatchObject({ status: 'applied' });
}

async function pullAll(name: Name): Promise<Change[]> {
  const out: Change[] = [];
  for (let cursor = 0, more = true; more; ) {
    const r = (await clients[name].socket.emitWithAck(syncWire.pull, { cursor })) as Reply<{ changes: Change[]; cursor: number; more: boolean }>;
    if (!('data' in r)) throw new Error(r.error.message);
    out.push(...r.data.changes);
    cursor = r.data.cursor;
    more = r.data.more;
  }
  return out;
}

/** A national event everyone receives: once each socket has its poke, it has every earlier one. */
async function everyonePoked(): Promise<void> {
  const last = await push('national', (c, n) => mutation(c, n, 'event.open', { id: randomUUID(), title: 'Point de situation', territory: 'FR' }, new Date(clock)));
  expect(last.status).toBe('applied');
  const deadline = Date.now() + 5_000;
  while (Object.values(clients).some((c) => !c.pokes.some((p) => p.version >= (last.version ?? 0)))) {
    if (Date.now() > deadline) throw new Error('pokes missing');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const summariesOf = (changes: readonly Change[], transferId: string): TransferSummary[] =>
  changes.flatMap((c) => (c.entity === 'transferSummary' && c.data.transferId === transferId ? [c.data] : []));

/**
 * The server's tables, read beside the running server: its SQLite file (WAL: a reader sees
 * every commit), or its PostgreSQL database in the PostgreSQL pass (VIGIE_TEST_STORE).
 */
async function serverRows<T>(sql: string, ...params: string[]): Promise<T[]> {
  if (TEST_STORE === 'postgres') {
    let n = 0;
    const client = new pg.Client({ connectionString: dbPath, types: pgTypes });
    await client.connect();
    try {
      return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare<string[], T>(sql).all(...params);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  if (TEST_STORE === 'postgres') dbPath = (await testDb('postgres')).db;
  // Logins last longer than the month the clock jumps, so the sockets stay open across it.
  server = await startTestServer({ dbPath, now: () => new Date(clock), sessionTtlMs: 365 * DAY, accessTtlMs: 365 * DAY, summaryRetentionDays: 30 });
  for (const [name, role] of Object.entries(USERS) as Array<[Name, string]>) {
    await server.user(name, role);
    const { token } = await server.login(name);
    const clientId = `client-retention-${name}`;
    const socket = await server.socket(token, clientId);
    const pokes: Poke[] = [];
    socket.on(syncWire.poke, (p) => pokes.push(p));
    clients[name] = { socket, clientId, next: 1, pokes };
  }
  expect((await push('national', (c, n) => openEvent(c, n, 'FR', randomUUID()))).status).toBe('applied');
  expect((await push('brest', (c, n) => reportUnit(c, n, BREST, 'REA_MED', { installed: 12, staffed: 12, available: 5 }, new Date(clock)))).status).toBe('applied');
  const patient = { ageBand: '61-75', sex: 'M', need: 'rea_adulte' };
  // Arrived today: proposed to Brest (four parties), accepted, carried, arrived.
  await applied('samu75', 'transfer.create', { id: ids.arrived, patient, summary: ARRIVED, originFiness: PITIE, urgency: 'immediate' });
  await applied('samu75', 'transfer.propose', { id: ids.arrived, destFiness: BREST, destUnitId: 'REA_MED' });
  await applied('brest', 'transfer.accept', { id: ids.arrived, holdId: randomUUID() });
  await applied('samu75', 'transfer.organize', { id: ids.arrived, transport: 'avion' });
  await applied('samu75', 'transfer.depart', { id: ids.arrived });
  await applied('brest', 'transfer.arrive', { id: ids.arrived });
  // Cancelled today, its summary rewritten once before (both texts in the change log).
  await applied('pitie', 'transfer.create', { id: ids.cancelledOld, patient, summary: 'première version — témoin-annulé-ancien', originFiness: PITIE, urgency: 'programmee' });
  await applied('pitie', 'transfer.summary', { id: ids.cancelledOld, summary: CANCELLED_OLD });
  await applied('samu75', 'transfer.cancel', { id: ids.cancelledOld, reason: 'patient stabilisé sur place' });
  // Still waiting for a place: never purged, however old.
  await applied('samu75', 'transfer.create', { id: ids.waiting, patient, summary: WAITING, originFiness: PITIE, urgency: 'moins_6h' });
  // A month later (31 days): one more, cancelled then.
  clock += 31 * DAY;
  await applied('samu75', 'transfer.create', { id: ids.cancelledRecent, patient, summary: CANCELLED_RECENT, originFiness: PITIE, urgency: 'programmee' });
  await applied('samu75', 'transfer.cancel', { id: ids.cancelledRecent, reason: 'transfert devenu inutile' });
  await everyonePoked();
  for (const c of Object.values(clients)) c.pokes.length = 0;
}, 60_000);
afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

describe('the clinical summaries’ retention purge', () => {
  let purged: string[] = [];

  it('erases the summaries of transfers finished longer ago than the delay, and only those', async () => {
    purged = await server.app.purgeSummaries();
    expect(purged.sort()).toEqual([ids.arrived, ids.cancelledOld].sort());
    const table = new Map((await serverRows<{ transfer_id: string; data: string }>(`SELECT transfer_id, data FROM transfer_summaries`)).map((r) => [r.transfer_id, JSON.parse(r.data) as TransferSummary]));
    for (const id of [ids.arrived, ids.cancelledOld]) expect(table.get(id)).toMatchObject({ summary: '', purgedAt: new Date(clock).toISOString() });
    expect(table.get(ids.waiting)).toMatchObject({ summary: WAITING });
    expect(table.get(ids.waiting)?.purgedAt).toBeUndefined();
    expect(table.get(ids.cancelledRecent)).toMatchObject({ summary: CANCELLED_RECENT });
  });

  it('leaves the text in no row of the change log, older rows included, and keeps the others’', async () => {
    const log = (await serverRows<{ payload: string }>(`SELECT payload FROM change_log`)).map((r) => r.payload).join('\n');
    expect(log).not.toContain('témoin-arrivé');
    expect(log).not.toContain('témoin-annulé-ancien');
    expect(log).toContain(WAITING);
    expect(log).toContain(CANCELLED_RECENT);
    // The erased summary's rows are still there (versions keep their place), textless, then its tombstone to each party.
    const rows = await serverRows<{ version: number; scope_path: string; payload: string }>(`SELECT version, scope_path, payload FROM change_log WHERE entity = 'transferSummary' AND entity_id = ? ORDER BY version`, ids.arrived);
    expect(rows.length).toBeGreaterThan(4);
    expect(rows.slice(-4).map((r) => r.scope_path)).toEqual([`/~E:${PITIE}/`, '/~D:75/', `/~E:${BREST}/`, '/~D:29/']);
    for (const r of rows) expect(JSON.parse(r.payload)).toMatchObject({ summary: '', purgedAt: new Date(clock).toISOString() });
  });

  it.each(PARTIES)('reaches %s, a party, as a tombstone: by pull from cursor 0 and by live poke', async (name) => {
    const pulled = await pullAll(name);
    const everything = JSON.stringify(pulled);
    expect(everything).not.toContain('témoin-arrivé');
    expect(everything).not.toContain('témoin-annulé-ancien');
    expect(summariesOf(pulled, ids.arrived).at(-1)).toMatchObject({ summary: '', purgedAt: new Date(clock).toISOString(), parties: [`E:${PITIE}`, 'D:75', `E:${BREST}`, 'D:29'] });
    // A connected party is told at once (the sockets were open through the purge).
    const poked = clients[name].pokes.flatMap((p) => p.changes);
    expect(summariesOf(poked, ids.arrived)).toEqual([expect.objectContaining({ summary: '', purgedAt: new Date(clock).toISOString() })]);
    // The origin side still reads the summaries that are not due.
    if (name === 'pitie' || name === 'samu75') {
      expect(summariesOf(pulled, ids.waiting).at(-1)?.summary).toBe(WAITING);
      expect(summariesOf(pulled, ids.cancelledRecent).at(-1)?.summary).toBe(CANCELLED_RECENT);
      expect(summariesOf(poked, ids.cancelledOld)).toEqual([expect.objectContaining({ summary: '' })]);
    }
  });

  it('is one audit entry with the count and the transfers’ ids, never the text, and the chain verifies', async () => {
    const page = await server.app.store.auditPage({ kind: 'summary_purge', limit: 10, offset: 0 });
    expect(page.rows).toHaveLength(1);
    const entry = page.rows[0];
    expect(entry).toMatchObject({ actorId: null, actorName: 'Vigie (durée de conservation)', actorRole: 'server', at: new Date(clock).toISOString() });
    const detail = JSON.parse(entry.detail) as { count: number; transfers: string[]; retentionDays: number };
    expect(detail).toMatchObject({ count: 2, retentionDays: 30 });
    expect([...detail.transfers].sort()).toEqual(purged.sort());
    const trail = (await serverRows<{ detail: string }>(`SELECT detail FROM audit_log`)).map((r) => r.detail).join('\n');
    expect(trail).not.toContain('témoin');
    expect(await server.app.store.verifyAudit()).toMatchObject({ ok: true });
  });

  it('erases nothing more on a second run, and writes no entry; a summary falls due when its own delay has run', async () => {
    const versionBefore = await server.app.store.latestVersion();
    expect(await server.app.purgeSummaries()).toEqual([]);
    expect(await server.app.store.latestVersion()).toBe(versionBefore);
    expect((await server.app.store.auditPage({ kind: 'summary_purge', limit: 10, offset: 0 })).total).toBe(1);
    // Exactly thirty days after its cancellation it is still kept; a minute later it is due.
    clock += 30 * DAY;
    expect(await server.app.purgeSummaries()).toEqual([]);
    clock += 60_000;
    expect(await server.app.purgeSummaries()).toEqual([ids.cancelledRecent]);
    expect((await serverRows<{ n: number }>(`SELECT count(*) AS n FROM change_log WHERE payload LIKE ?`, `%${WAITING}%`))[0].n).toBeGreaterThan(0);
    expect((await server.app.store.auditPage({ kind: 'summary_purge', limit: 10, offset: 0 })).total).toBe(2);
    expect(await server.app.store.verifyAudit()).toMatchObject({ ok: true });
  });
});

describe('a purge of more summaries than a batch', () => {
  it('commits them batch after batch, one audit entry per batch, and the chain verifies', async () => {
    const more = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of more) {
      await applied('samu75', 'transfer.create', { id, patient: { ageBand: '16-40', sex: 'F', need: 'rea_adulte' }, summary: `Texte ${id} — témoin-lot`, originFiness: PITIE, urgency: 'programmee' });
      await applied('samu75', 'transfer.cancel', { id, reason: 'transfert devenu inutile' });
    }
    clock += 31 * DAY;
    const entriesBefore = (await server.app.store.auditPage({ kind: 'summary_purge', limit: 1, offset: 0 })).total;
    const erased = await purgeExpiredSummaries(server.app.store.boards.transfers, { retentionDays: 30, now: new Date(clock), actor: RETENTION_ACTOR, batchSize: 2 });
    // Created at the same instant (the injected clock): taken by id, on every store.
    more.sort();
    expect(erased).toEqual(more);
    const page = await server.app.store.auditPage({ kind: 'summary_purge', limit: 10, offset: 0 });
    expect(page.total).toBe(entriesBefore + 2);
    expect(page.rows.slice(0, 2).map((r) => (JSON.parse(r.detail) as { transfers: string[] }).transfers).reverse()).toEqual([more.slice(0, 2), more.slice(2)]);
    expect((await serverRows<{ n: number }>(`SELECT count(*) AS n FROM change_log WHERE payload LIKE '%témoin-lot%'`))[0].n).toBe(0);
    expect(await server.app.store.verifyAudit()).toMatchObject({ ok: true });
  });
});

describe('--purge-summaries', () => {
  const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
  const cli = (...args: string[]) => spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'sync-server/src/cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });

  it('prints the count of summaries it erased, then 0 on a second run; a bad delay is one French line, exit 2', async () => {
    const own = tempDir();
    const file = join(own.dir, 'server.sqlite');
    try {
      const s = await startTestServer({ dbPath: file });
      await s.user('samu75', 'samu:75');
      const socket = await s.socket((await s.login('samu75')).token, 'client-cli-purge');
      const send = async (n: number, name: string, args: unknown) => {
        const r = (await socket.emitWithAck(syncWire.push, { clientId: 'client-cli-purge', mutations: [mutation('client-cli-purge', n, name, args)] })) as Reply<PushResult>;
        expect(r).toMatchObject({ data: { results: [{ status: 'applied' }] } });
      };
      const id = randomUUID();
      await send(1, 'transfer.create', { id, patient: { ageBand: '16-40', sex: 'F', need: 'rea_adulte' }, summary: 'Asthme aigu grave — témoin-cli', originFiness: PITIE, urgency: 'immediate' });
      await send(2, 'transfer.cancel', { id, reason: 'amélioration clinique' });
      await s.stop().catch(() => undefined);
    } catch (err) {
      own.cleanup();
      throw err;
    }
    try {
      const bad = cli('--db', file, '--summary-retention-days', 'trente', '--purge-summaries');
      expect(bad.status).toBe(2);
      expect(bad.stderr.trim()).toBe('Durée de conservation des résumés cliniques invalide : « trente ». Un nombre entier de jours de 0 à 3650 est attendu.');
      // The default delay (30 days): the transfer cancelled a moment ago is kept.
      const kept = cli('--db', file, '--purge-summaries');
      expect([kept.status, kept.stdout]).toEqual([0, '0\n']);
      const first = cli('--db', file, '--summary-retention-days', '0', '--purge-summaries');
      expect([first.status, first.stdout]).toEqual([0, '1\n']);
      expect(first.stderr).toContain('1 résumé(s) clinique(s) effacé(s)');
      const second = cli('--db', file, '--summary-retention-days', '0', '--purge-summaries');
      expect([second.status, second.stdout]).toEqual([0, '0\n']);
      const db = new Database(file, { readonly: true });
      try {
        expect(db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM change_log WHERE payload LIKE '%témoin-cli%'`).get()?.n).toBe(0);
        expect(db.prepare<[], { actor_name: string; detail: string }>(`SELECT actor_name, detail FROM audit_log WHERE kind = 'summary_purge'`).all()).toEqual([
          { actor_name: 'ligne de commande', detail: expect.stringContaining('"count":1') },
        ]);
      } finally {
        db.close();
      }
    } finally {
      own.cleanup();
    }
  }, 60_000);
});
