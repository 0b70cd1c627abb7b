/**
 * Over the raw protocol (a real server on 127.0.0.1, real socket.io clients): each kind of
 * event lands in the audit trail — a mutation, a login, a failed login, an export, a scope
 * refusal, an account change, a clinical summary delivered by a pull — with the chain
 * intact; only national accounts read it; the entry of a mutation commits with it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminWire, type AuditKind, type AuditRow } from '../../../common/admin/api';
import { fr } from '../../../common/i18n/fr';
import { syncWire, type Change, type PushResult, type Reply } from '../../../common/protocol';
import { identityOf } from '../auth/actor';
import { SqliteServerStore } from '../store/sqliteStore';
import { PgServerStore } from '../store/pg/pgStore';
import { SyncService } from '../sync/syncService';
import { AuditRecorder } from './recorder';
import { mutation, openEvent, reportUnit } from '../testing/fixtures';
import { startTestServer, type ClientSocket, type TestServer } from '../testing/server';

const PITIE = '750100125';
const BREST = '290004324';
const SUMMARY = 'Texte clinique témoin — ne doit jamais figurer dans le journal';

let server: TestServer;
const sockets: Record<string, ClientSocket> = {};
const clientIds: Record<string, string> = {};
const next: Record<string, number> = {};

async function push(name: string, build: (clientId: string, n: number) => ReturnType<typeof mutation>): Promise<PushResult['results'][number]> {
  const r = (await sockets[name].emitWithAck(syncWire.push, { clientId: clientIds[name], mutations: [build(clientIds[name], next[name]++)] })) as Reply<PushResult>;
  if (!('data' in r)) throw new Error(r.error.message);
  return r.data.results[0];
}

async function pullAll(name: string): Promise<Change[]> {
  const out: Change[] = [];
  for (let cursor = 0, more = true; more; ) {
    const r = await sockets[name].emitWithAck(syncWire.pull, { cursor });
    if (!('data' in r)) throw new Error(r.error.message);
    out.push(...r.data.changes);
    cursor = r.data.cursor;
    more = r.data.more;
  }
  return out;
}

async function entries(kind?: AuditKind): Promise<AuditRow[]> {
  const r = await sockets.national.emitWithAck(adminWire.auditPage, { kind, limit: 500 });
  if (!('data' in r)) throw new Error(r.error.message);
  return r.data.rows;
}

/** The audit table's row count, read from the database itself (SQLite file or PostgreSQL). */
async function storedEntries(): Promise<number> {
  const store = server.app.store;
  if (store instanceof SqliteServerStore) return (store.db.prepare(`SELECT count(*) AS n FROM audit_log`).get() as { n: number }).n;
  if (store instanceof PgServerStore) return (await store.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n;
  throw new Error('unknown store');
}

const transferId = randomUUID();

beforeAll(async () => {
  server = await startTestServer();
  for (const [name, role] of [
    ['national', 'national'],
    ['ars11', 'ars:11'],
    ['samu75', 'samu:75'],
    ['pitie', `establishment:${PITIE}`],
    ['brest', `establishment:${BREST}`],
  ] as const) {
    await server.user(name, role);
    const { token } = await server.login(name);
    clientIds[name] = `client-audit-${name}`;
    next[name] = 1;
    sockets[name] = await server.socket(token, clientIds[name]);
  }
}, 30_000);
afterAll(() => server.stop());

describe('audit trail', () => {
  it('records each login (who, from where) and each failed login, naming an account only when the name is one', async () => {
    await expect(server.login('samu75', 'mauvais mot de passe')).rejects.toThrow(/401/);
    await expect(server.login('mot-de-passe-tape-dans-le-mauvais-champ', 'x')).rejects.toThrow(/401/);
    const logins = await entries('login');
    expect(logins.map((e) => e.actorRole).sort()).toEqual(['ars:11', 'establishment:290004324', 'establishment:750100125', 'national', 'samu:75']);
    expect(JSON.parse(logins[0].detail)).toEqual({ address: '127.0.0.1' });
    const failed = await entries('login_failed');
    expect(failed).toHaveLength(2);
    const samu = await server.app.store.findUserByUsername('samu75');
    expect(failed[1]).toMatchObject({ actorId: samu?.id, actorRole: 'samu:75' });
    expect(failed[0]).toMatchObject({ actorId: null, actorName: '(identifiant inconnu)' });
    expect(JSON.stringify(failed)).not.toContain('mauvais-champ');
  });

  it('records every mutation, applied or rejected, with its client, id, name, actor and result, and never its arguments: one entry per push', async () => {
    const applied = await push('samu75', (c, m) => openEvent(c, m, 'D:75', randomUUID()));
    expect(applied.status).toBe('applied');
    const rejected = await push('samu75', (c, m) => openEvent(c, m, 'D:29', randomUUID()));
    expect(rejected.status).toBe('rejected');
    const version = applied.status === 'applied' ? applied.version : 0;
    let rows = (await entries('mutation')).filter((e) => e.subject === clientIds.samu75);
    expect(rows.map((e) => JSON.parse(e.detail))).toEqual([
      { clientId: clientIds.samu75, via: 'sync', mutationIds: [2], names: ['event.open'], results: ['rejected'], versions: [null] },
      { clientId: clientIds.samu75, via: 'sync', mutationIds: [1], names: ['event.open'], results: ['applied'], versions: [version] },
    ]);
    expect(rows[0]).toMatchObject({ actorRole: 'samu:75', actorName: 'Agent samu75' });
    // A batch of three (one a replay, answered from the ledger): one entry for the two new ones.
    const c = clientIds.samu75;
    const titled = openEvent(c, 3, 'D:75', randomUUID());
    const r = await sockets.samu75.emitWithAck(syncWire.push, { clientId: c, mutations: [openEvent(c, 2, 'D:29', randomUUID()), titled, openEvent(c, 4, 'D:75', randomUUID())] });
    expect('data' in r && r.data.results.map((x) => x.status)).toEqual(['rejected', 'applied', 'applied']);
    next.samu75 = 5;
    rows = (await entries('mutation')).filter((e) => e.subject === clientIds.samu75);
    expect(rows).toHaveLength(3);
    expect(JSON.parse(rows[0].detail)).toMatchObject({ mutationIds: [3, 4], names: ['event.open', 'event.open'], results: ['applied', 'applied'] });
    expect(rows[0].detail).not.toContain(JSON.stringify((titled.args as { title: string }).title));
    // A push of replays only writes nothing.
    await sockets.samu75.emitWithAck(syncWire.push, { clientId: c, mutations: [openEvent(c, 1, 'D:75', randomUUID())] });
    expect((await entries('mutation')).filter((e) => e.subject === clientIds.samu75)).toHaveLength(3);
  });

  it('records which clinical summaries each pull delivered, to whom, without their text', async () => {
    expect((await push('brest', (c, m) => reportUnit(c, m, BREST, 'REA_MED', { installed: 12, staffed: 12, available: 5 }))).status).toBe('applied');
    expect(
      (await push('samu75', (c, m) => mutation(c, m, 'transfer.create', { id: transferId, patient: { ageBand: '61-75', sex: 'M', need: 'rea_adulte' }, summary: SUMMARY, originFiness: PITIE, urgency: 'immediate' })))
        .status,
    ).toBe('applied');
    const pulled = await pullAll('pitie');
    const delivered = pulled.filter((c) => c.entity === 'transferSummary');
    expect(delivered).toHaveLength(1);
    await pullAll('ars11'); // no summary reaches an ARS: no entry for it
    const reads = await entries('summary_read');
    const pitie = await server.app.store.findUserByUsername('pitie');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ actorId: pitie?.id, actorRole: `establishment:${PITIE}` });
    expect(JSON.parse(reads[0].detail)).toEqual({ via: 'pull', transfers: [transferId], versions: [delivered[0].version] });
    const all = JSON.stringify(await entries());
    expect(all).not.toContain('Texte clinique témoin');
  });

  it('records an export the workstation reports', async () => {
    expect(await sockets.samu75.emitWithAck(adminWire.exported, { what: 'beds.export', format: 'csv', rows: 42 })).toEqual({ data: { recorded: true } });
    const [e] = await entries('export');
    expect(e).toMatchObject({ actorRole: 'samu:75' });
    expect(JSON.parse(e.detail)).toEqual({ what: 'beds.export', format: 'csv', rows: 42 });
  });

  it('refuses the trail to everyone but national accounts, and records the refusal', async () => {
    for (const name of ['ars11', 'samu75', 'pitie']) {
      expect(await sockets[name].emitWithAck(adminWire.auditPage, {})).toEqual({ error: { code: 'forbidden', message: fr.admin.auditNational } });
    }
    const refusals = (await entries('scope_refusal')).map((e) => [e.actorRole, JSON.parse(e.detail)]);
    expect(refusals).toEqual(
      expect.arrayContaining([
        ['ars:11', { resource: 'audit', action: 'read' }],
        ['samu:75', { resource: 'audit', action: 'read' }],
        [`establishment:${PITIE}`, { resource: 'audit', action: 'read' }],
      ]),
    );
  });

  it('records each account change with the account in the same transaction, and each refused one', async () => {
    const created = await sockets.ars11.emitWithAck(adminWire.create, { username: 'samu77', displayName: 'SAMU 77', role: 'samu:77', password: 'une phrase de passe assez longue' });
    if (!('data' in created)) throw new Error(created.error.message);
    await sockets.ars11.emitWithAck(adminWire.setDisabled, { userId: created.data.id, disabled: true });
    await sockets.ars11.emitWithAck(adminWire.create, { username: 'ars84', displayName: 'ARS 84', role: 'ars:84', password: 'une phrase de passe assez longue' });
    const changes = (await entries('user_change')).map((e) => [e.actorRole, e.subject, JSON.parse(e.detail)]);
    expect(changes).toEqual([
      ['ars:11', created.data.id, { action: 'disable', username: 'samu77', role: 'samu:77' }],
      ['ars:11', created.data.id, { action: 'create', username: 'samu77', role: 'samu:77' }],
    ]);
    expect((await entries('scope_refusal')).map((e) => JSON.parse(e.detail))).toContainEqual({ resource: 'users', action: 'create', role: 'ars:84' });
  });

  it('records a push under a client id that belongs to someone else as a scope refusal', async () => {
    const store = server.app.store;
    const pitie = await store.findUserByUsername('pitie');
    const identity = pitie && identityOf(pitie, server.app.territories);
    if (!identity) throw new Error('no pitie');
    const sync = new SyncService(store, () => new Date(), () => undefined, () => undefined, new AuditRecorder(store, () => new Date()));
    const r = await sync.push(identity, { clientId: clientIds.samu75, mutations: [openEvent(clientIds.samu75, 99, 'D:75', randomUUID())] });
    expect(r).toEqual({ error: { code: 'forbidden', message: fr.protocol.wrongClient } });
    const [e] = await entries('scope_refusal');
    expect(e).toMatchObject({ actorId: pitie?.id, subject: clientIds.samu75 });
    expect(JSON.parse(e.detail)).toEqual({ resource: 'client', action: 'push', clientId: clientIds.samu75 });
  });

  it('pages newest first with filters by date, user and kind, and keeps the chain whole', async () => {
    const all = await entries();
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => b - a));
    const page = await sockets.national.emitWithAck(adminWire.auditPage, { limit: 3, offset: 2 });
    if (!('data' in page)) throw new Error(page.error.message);
    expect(page.data.total).toBe(all.length);
    expect(page.data.rows.map((e) => e.seq)).toEqual(all.slice(2, 5).map((e) => e.seq));
    const samu = await server.app.store.findUserByUsername('samu75');
    const mine = await sockets.national.emitWithAck(adminWire.auditPage, { user: samu?.id, kind: 'mutation' });
    if (!('data' in mine)) throw new Error(mine.error.message);
    expect(mine.data.rows.length).toBeGreaterThan(0);
    expect(mine.data.rows.every((e) => e.actorId === samu?.id && e.kind === 'mutation')).toBe(true);
    const future = await sockets.national.emitWithAck(adminWire.auditPage, { from: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future).toMatchObject({ data: { rows: [], total: 0 } });
    const past = await sockets.national.emitWithAck(adminWire.auditPage, { to: new Date(Date.now() - 3_600_000).toISOString() });
    expect(past).toMatchObject({ data: { rows: [], total: 0 } });
    expect(await server.app.store.verifyAudit()).toMatchObject({ ok: true, count: all.length });
    expect(await storedEntries()).toBe(all.length);
  });
});
