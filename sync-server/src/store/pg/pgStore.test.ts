/**
 * The store contract on both stores (embedded SQLite and PostgreSQL), through the interface
 * only; then what only PostgreSQL has to prove: versions gap-free and visible in order with
 * writers on two nodes (two pools), reads after writes inside one mutation, its migrations.
 * Skips PostgreSQL, with the reason printed, where its binaries are absent.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fr } from '../../../../common/i18n/fr';
import { sameBranch } from '../../../../common/territory';
import type { Change, Mutation } from '../../../../common/protocol';
import { openStore } from '../../app';
import type { BoardStores } from '../../boards';
import type { Identity } from '../../auth/actor';
import { addIdentity, EVENT_ID, mutation, openEvent, postMessage, reportUnit, territories } from '../../testing/fixtures';
import { stopTestPostgres, storeUnavailable, testDb, type TestStoreKind } from '../../testing/stores';
import { DatabaseTooNewError } from '../migrations';
import type { ApplyOutcome, ServerStore } from '../types';
import pg from 'pg';
import { migratePg, PG_MIGRATIONS } from './migrations';
import { PgServerStore } from './pgStore';
import { PgTxRuntime } from './txRuntime';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(stopTestPostgres);

type Store = ServerStore<BoardStores>;

async function open(kind: TestStoreKind, options: { pullScanWindow?: number } = {}, db?: string): Promise<{ store: Store; db: string }> {
  let name = db;
  if (!name) {
    const t = await testDb(kind);
    cleanups.push(t.cleanup);
    name = t.db;
  }
  const store = openStore(name, territories(), options);
  cleanups.push(() => store.close());
  return { store, db: name };
}

function push(store: Store, who: Identity, clientId: string, mutations: Mutation[], now = new Date()): Promise<ApplyOutcome> {
  return store.applyMutations({ clientId, actor: who.actor, mutations, now });
}

async function pullAll(store: Store, path: string, limit: number, from = 0): Promise<{ changes: Change[]; cursor: number }> {
  const changes: Change[] = [];
  let cursor = from;
  for (let i = 0; i < 100_000; i++) {
    const page = await store.pull(path, cursor, limit);
    expect(page.cursor).toBeGreaterThanOrEqual(cursor);
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.more) return { changes, cursor };
  }
  throw new Error('pull did not finish');
}

const KINDS: TestStoreKind[] = ['sqlite', 'postgres'];

for (const kind of KINDS) {
  const why = storeUnavailable(kind);
  if (why) console.warn(`store contract on ${kind} skipped: ${why}`);
  describe.skipIf(why !== null)(`store contract (${kind})`, () => {
    it('refuses a mutation whose reason would quote a NUL character (its name, a field) with that reason readable, the same on a replay', async () => {
      const { store } = await open(kind);
      const nat = await addIdentity(store, 'nat', 'national');
      const c = 'client-nat-nul';
      const batch = [
        mutation(c, 1, 'x\u0000y', {}),
        mutation(c, 2, 'stock.report', { at: 'E:750100125', lines: '{{7*7}}', '\u0000': 1 }),
        openEvent(c, 3),
      ];
      const out = await push(store, nat, c, batch);
      expect(out.stop).toBeNull();
      expect(out.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'applied']);
      for (const r of out.results.slice(0, 2)) {
        const reason = r.status === 'rejected' ? r.reason : '';
        expect(reason).not.toContain('\u0000');
        expect(reason.length).toBeGreaterThan(10);
      }
      expect(out.results[0].status === 'rejected' && out.results[0].reason).toContain('x\uFFFDy');
      expect((await push(store, nat, c, batch)).results).toEqual(out.results);
    });

    it('applies a replayed push once and answers the stored results again', async () => {
      const { store } = await open(kind);
      const nat = await addIdentity(store, 'nat', 'national');
      const batch = [openEvent('client-nat-1', 1), postMessage('client-nat-1', 2, 'FR')];
      const first = await push(store, nat, 'client-nat-1', batch);
      expect(first.stop).toBeNull();
      expect(first.results).toEqual([
        { mutationId: 1, status: 'applied', version: 1 },
        { mutationId: 2, status: 'applied', version: 2 },
      ]);
      expect(first.changes.map((c) => [c.change.version, c.scopePath])).toEqual([
        [1, '/FR/'],
        [2, '/FR/'],
      ]);
      const again = await push(store, nat, 'client-nat-1', batch);
      expect(again).toEqual({ results: first.results, changes: [], stop: null });
      expect(await store.latestVersion()).toBe(2);
      expect((await pullAll(store, '/FR/', 10)).changes.map((c) => c.entity)).toEqual(['event', 'message']);
    });

    it('stops at a gap, keeps what came before it, and lets the client resend in order', async () => {
      const { store } = await open(kind);
      const nat = await addIdentity(store, 'nat', 'national');
      const c = 'client-nat-1';
      const gap = await push(store, nat, c, [openEvent(c, 1), postMessage(c, 3, 'FR')]);
      expect(gap.results).toEqual([{ mutationId: 1, status: 'applied', version: 1 }]);
      expect(gap.stop).toEqual({ code: 'gap', expected: 2, got: 3 });
      expect(await store.lastMutationId(c)).toBe(1);
      const resent = await push(store, nat, c, [openEvent(c, 1), postMessage(c, 2, 'FR'), postMessage(c, 3, 'FR')]);
      expect(resent.results.map((r) => [r.mutationId, r.status])).toEqual([
        [1, 'applied'],
        [2, 'applied'],
        [3, 'applied'],
      ]);
      expect(await store.latestVersion()).toBe(3);
    });

    it('records a rejection with its French reason, writes nothing for it, and keeps versions gap-free', async () => {
      const { store } = await open(kind);
      const nat = await addIdentity(store, 'nat', 'national');
      const samu = await addIdentity(store, 'samu29', 'samu:29');
      await push(store, nat, 'client-nat-1', [openEvent('client-nat-1', 1)]);
      const c = 'client-samu29-1';
      const out = await push(store, samu, c, [postMessage(c, 1, 'D:75'), postMessage(c, 2, 'D:29')]);
      expect(out.results[0]).toEqual({ mutationId: 1, status: 'rejected', reason: fr.reject.territoryOutOfScope(territories().label('D:75')) });
      expect(out.results[1]).toEqual({ mutationId: 2, status: 'applied', version: 2 });
      expect(out.changes.map((ch) => ch.scopePath)).toEqual(['/FR/R:53/D:29/']);
      const replay = await push(store, samu, c, [postMessage(c, 1, 'D:75')]);
      expect(replay.results).toEqual([out.results[0]]);
    });

    it('rejects a date more than 10 minutes ahead and keeps the author\'s offset otherwise', async () => {
      const { store } = await open(kind);
      const nat = await addIdentity(store, 'nat', 'national');
      const now = new Date('2020-03-20T10:00:00Z');
      const c = 'client-nat-1';
      const far = mutation(c, 1, 'event.open', { id: EVENT_ID, title: 'T', territory: 'FR' }, new Date(now.getTime() + 11 * 60_000));
      const near = { ...far, mutationId: 2, at: '2020-03-20T12:09:00+02:00' };
      const out = await push(store, nat, c, [far, near], now);
      expect(out.results[0]).toEqual({ mutationId: 1, status: 'rejected', reason: fr.server.futureAt(10) });
      expect(out.results[1].status).toBe('applied');
      const [event] = (await store.pull('/FR/', 0, 10)).changes;
      expect(event.entity === 'event' && event.data.openedAt).toBe('2020-03-20T12:09:00+02:00');
    });

    it('refuses a client id bound to another user, and a username taken in another case', async () => {
      const { store } = await open(kind);
      const nat = await addIdentity(store, 'nat', 'national');
      const ars = await addIdentity(store, 'ars', 'ars:11');
      expect(await store.claimClient('shared-client', nat.user.id)).toBe('ok');
      expect(await store.claimClient('shared-client', ars.user.id)).toBe('other_user');
      expect(await push(store, ars, 'shared-client', [openEvent('shared-client', 1, 'R:11')])).toMatchObject({ stop: { code: 'forbidden' } });
      expect(await store.latestVersion()).toBe(0);
      await expect(addIdentity(store, 'NAT', 'national')).rejects.toMatchObject({ name: 'UserExistsError' });
      expect((await store.findUserByUsername('Nat'))?.id).toBe(nat.user.id);
    });

    it('keeps sessions until they or their family expire, and ends them when the account is disabled', async () => {
      const { store } = await open(kind);
      const nat = await addIdentity(store, 'nat', 'national');
      const t0 = new Date('2020-03-20T10:00:00Z');
      const at = (ms: number) => new Date(t0.getTime() + ms);
      await store.createSessionFamily({ id: 'f1', userId: nat.user.id, clientId: null, createdAt: t0.toISOString(), expiresAt: at(600_000).toISOString() });
      await store.createSession('h1', nat.user.id, t0, at(60_000), 'f1');
      await store.createSession('h2', nat.user.id, t0, at(3_600_000), 'f1');
      expect(await store.findSession('h1', t0)).toEqual({ userId: nat.user.id, expiresAt: '2020-03-20T10:01:00.000Z', familyId: 'f1', clientId: null });
      expect(await store.findSession('h1', at(61_000))).toBeUndefined();
      // The access token outlives its family: the family's end wins.
      expect(await store.findSession('h2', at(599_000))).toMatchObject({ familyId: 'f1' });
      expect(await store.findSession('h2', at(600_000))).toBeUndefined();
      expect(await store.bindFamilyClient('f1', 'client-a')).toBe('client-a');
      expect(await store.bindFamilyClient('f1', 'client-b')).toBe('client-a');
      expect(await store.bindFamilyClient('nope', 'client-b')).toBeNull();
      expect((await store.findSession('h2', t0))?.clientId).toBe('client-a');
      expect(await store.purgeExpiredSessions(at(61_000))).toBe(1);
      const generation = await store.sessionsGeneration();
      expect(await store.setUserDisabled(nat.user.id, true)).toBe(true);
      expect(await store.findSession('h2', t0)).toBeUndefined();
      expect(await store.sessionsGeneration()).toBe(generation + 1);
      expect((await store.getUser(nat.user.id))?.disabled).toBe(true);
      expect(await store.setUserDisabled('nobody', true)).toBe(false);
    });

    it('spends a refresh token once, even raced, and knows a replay; revocations end families and move the generation', async () => {
      const { store } = await open(kind);
      const nat = await addIdentity(store, 'nat', 'national');
      const t0 = new Date('2020-03-20T10:00:00Z');
      const end = new Date(t0.getTime() + 3_600_000).toISOString();
      for (const id of ['f1', 'f2']) await store.createSessionFamily({ id, userId: nat.user.id, clientId: 'c1', createdAt: t0.toISOString(), expiresAt: end });
      await store.insertRefreshToken('r1', 'f1', new Date(end));
      await store.insertRefreshToken('r2', 'f2', new Date(end));
      await store.createSession('a2', nat.user.id, t0, new Date(end), 'f2');
      const raced = await Promise.all([store.useRefreshToken('r1', t0), store.useRefreshToken('r1', t0)]);
      expect(raced.map((r) => r.status).sort()).toEqual(['fresh', 'reused']);
      expect(raced.find((r) => r.status === 'fresh')).toEqual({
        status: 'fresh',
        family: { id: 'f1', userId: nat.user.id, clientId: 'c1', createdAt: t0.toISOString(), expiresAt: end },
      });
      expect(await store.useRefreshToken('r1', t0)).toMatchObject({ status: 'reused' });
      expect(await store.useRefreshToken('nope', t0)).toEqual({ status: 'unknown' });
      expect(await store.useRefreshToken('r2', new Date(end))).toEqual({ status: 'unknown' });
      const g0 = await store.sessionsGeneration();
      expect(await store.revokeSessionFamily('f1')).toBe(true);
      expect(await store.useRefreshToken('r1', t0)).toEqual({ status: 'unknown' });
      expect(await store.revokeSessionFamily('f1')).toBe(false);
      expect(await store.findSession('a2', t0)).toBeDefined();
      expect(await store.revokeUserSessions(nat.user.id)).toBe(1);
      expect(await store.findSession('a2', t0)).toBeUndefined();
      expect(await store.sessionsGeneration()).toBe(g0 + 3);
    });

    it('enrols a second factor, accepts each time step once, spends recovery codes once and resets', async () => {
      const { store } = await open(kind);
      const nat = await addIdentity(store, 'nat', 'national');
      const t0 = new Date('2020-03-20T10:00:00Z');
      expect(await store.getSecondFactor(nat.user.id)).toBeUndefined();
      expect(await store.startSecondFactorEnrolment(nat.user.id, 'SECRETA')).toBe(true);
      expect(await store.startSecondFactorEnrolment(nat.user.id, 'SECRETB')).toBe(true);
      expect(await store.confirmSecondFactor(nat.user.id, 100, ['c1', 'c2', 'c2'], t0)).toBe(true);
      expect(await store.confirmSecondFactor(nat.user.id, 101, ['c3'], t0)).toBe(false);
      expect(await store.startSecondFactorEnrolment(nat.user.id, 'SECRETC')).toBe(false);
      expect(await store.getSecondFactor(nat.user.id)).toEqual({ secret: 'SECRETB', confirmedAt: t0.toISOString(), lastStep: 100 });
      expect(await store.acceptTotpStep(nat.user.id, 100)).toBe(false);
      expect((await Promise.all([store.acceptTotpStep(nat.user.id, 101), store.acceptTotpStep(nat.user.id, 101)])).sort()).toEqual([false, true]);
      expect(await store.recoveryCodesLeft(nat.user.id)).toBe(2);
      expect(await store.useRecoveryCode(nat.user.id, 'c1', t0)).toBe(true);
      expect(await store.useRecoveryCode(nat.user.id, 'c1', t0)).toBe(false);
      expect(await store.useRecoveryCode(nat.user.id, 'zz', t0)).toBe(false);
      expect(await store.recoveryCodesLeft(nat.user.id)).toBe(1);
      await store.createLoginTicket('t1', nat.user.id, 'verify', new Date(t0.getTime() + 60_000));
      expect(await store.findLoginTicket('t1', t0)).toEqual({ userId: nat.user.id, purpose: 'verify', expiresAt: '2020-03-20T10:01:00.000Z', failures: 0 });
      expect(await store.failLoginTicket('t1')).toBe(1);
      expect(await store.failLoginTicket('t1')).toBe(2);
      expect(await store.findLoginTicket('t1', new Date(t0.getTime() + 60_000))).toBeUndefined();
      await store.deleteLoginTicket('t1');
      expect(await store.failLoginTicket('t1')).toBe(0);
      const g0 = await store.sessionsGeneration();
      expect(await store.resetSecondFactor(nat.user.id)).toBe(true);
      expect(await store.resetSecondFactor(nat.user.id)).toBe(false);
      expect(await store.getSecondFactor(nat.user.id)).toBeUndefined();
      expect(await store.recoveryCodesLeft(nat.user.id)).toBe(0);
      expect(await store.sessionsGeneration()).toBe(g0 + 2);
    });

    it('chains the audit trail the same way on both stores: pushes, user changes, pages, verification', async () => {
      const { store } = await open(kind);
      const nat = await addIdentity(store, 'nat', 'national');
      const who = { actorId: nat.user.id, actorName: nat.actor.displayName, actorRole: nat.actor.roleText };
      const c = 'client-nat-1';
      await push(store, nat, c, [openEvent(c, 1), postMessage(c, 2, 'FR'), mutation(c, 3, 'event.open', { id: EVENT_ID, title: 'T', territory: 'FR' })]);
      await push(store, nat, c, [openEvent(c, 1)]); // a replay: nothing new, no entry
      const created = await store.insertUserAudited(
        { username: 'ars', displayName: 'ARS', role: 'ars:11', passwordHash: 'x' },
        { kind: 'user_change', ...who, detail: { role: 'ars:11' } },
      );
      await expect(
        store.insertUserAudited({ username: 'ARS', displayName: 'ARS', role: 'ars:11', passwordHash: 'x' }, { kind: 'user_change', ...who, detail: {} }),
      ).rejects.toMatchObject({ name: 'UserExistsError' });
      expect(await store.setUserDisplayName(created.id, 'ARS IdF', { kind: 'user_change', ...who, subject: created.id, detail: {} })).toBe(true);
      expect(await store.setUserDisplayName('nobody', 'x', { kind: 'user_change', ...who, subject: 'nobody', detail: {} })).toBe(false);
      expect(await store.setUserDisabledAudited(created.id, true, { kind: 'user_change', ...who, subject: created.id, detail: {} })).toBe(true);
      expect(await store.setUserDisabledAudited('nobody', true, { kind: 'user_change', ...who, subject: 'nobody', detail: {} })).toBe(false);
      await store.recordAudit({ kind: 'login', ...who, subject: nat.user.id, detail: { address: '127.0.0.1' } }, new Date('2020-03-20T10:00:00Z'));
      expect((await store.listUsers()).map((u) => [u.username, u.displayName, u.disabled])).toEqual([
        ['ars', 'ARS IdF', true],
        ['nat', nat.user.displayName, false],
      ]);
      const all = await store.auditPage({ limit: 100, offset: 0 });
      expect(all.total).toBe(5);
      expect(all.rows.map((r) => [r.seq, r.kind, r.subject])).toEqual([
        [5, 'login', nat.user.id],
        [4, 'user_change', created.id],
        [3, 'user_change', created.id],
        [2, 'user_change', created.id],
        [1, 'mutation', c],
      ]);
      expect(JSON.parse(all.rows[4].detail)).toEqual({
        clientId: c,
        via: 'sync',
        mutationIds: [1, 2, 3],
        names: ['event.open', 'message.post', 'event.open'],
        results: ['applied', 'applied', 'rejected'],
        versions: [1, 2, null],
      });
      expect(await store.auditPage({ kind: 'login', limit: 10, offset: 0 })).toMatchObject({ total: 1, rows: [{ seq: 5 }] });
      expect((await store.auditPage({ user: created.id, limit: 1, offset: 1 })).rows.map((r) => r.seq)).toEqual([3]);
      expect((await store.auditPage({ user: nat.user.displayName.toUpperCase(), limit: 10, offset: 0 })).total).toBe(5);
      expect((await store.auditPage({ to: '2020-03-21T00:00:00Z', limit: 10, offset: 0 })).rows.map((r) => r.seq)).toEqual([5]);
      expect(await store.verifyAudit()).toEqual({ ok: true, count: 5, head: all.rows[0].hash });
    });

    it('gives each territory its branch only, whatever the page size and scan window', async () => {
      const { store } = await open(kind, { pullScanWindow: 7 });
      const roles = ['national', 'ars:11', 'ars:53', 'samu:75', 'samu:29', 'establishment:750100125'];
      const who = await Promise.all(roles.map((r, i) => addIdentity(store, `u${i}`, r)));
      const next = new Map<string, number>();
      const logged: Array<{ version: number; scopePath: string }> = [];
      const send = async (i: number, m: (c: string, id: number) => Mutation) => {
        const c = `client-u${i}-xx`;
        const id = (next.get(c) ?? 0) + 1;
        next.set(c, id);
        const out = await push(store, who[i], c, [m(c, id)]);
        for (const ch of out.changes) logged.push({ version: ch.change.version, scopePath: ch.scopePath });
      };
      await send(0, (c, id) => openEvent(c, id));
      let seed = 11;
      const rand = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n);
      const cursors = who.map(() => 0);
      const got: Change[][] = who.map(() => []);
      for (let step = 0; step < 80; step++) {
        const i = rand(who.length);
        const postable = territories().postableTerritories(who[i].actor.role);
        await send(i, (c, id) => postMessage(c, id, postable[rand(Math.min(postable.length, 4))]));
        const j = rand(who.length);
        const page = await store.pull(who[j].actor.territoryPath, cursors[j], 1 + rand(5));
        got[j].push(...page.changes);
        cursors[j] = page.cursor;
      }
      expect(logged.map((l) => l.version)).toEqual(logged.map((_, k) => k + 1));
      for (let j = 0; j < who.length; j++) {
        const rest = await pullAll(store, who[j].actor.territoryPath, 3, cursors[j]);
        const versions = [...got[j], ...rest.changes].map((ch) => ch.version);
        expect(versions).toEqual(logged.filter((r) => sameBranch(r.scopePath, who[j].actor.territoryPath)).map((r) => r.version));
      }
    });

    it('delivers a unit\'s latest report once, and keeps the report observed last as current', async () => {
      const { store } = await open(kind);
      const finess = '750100125';
      const nat = await addIdentity(store, 'pitie', `establishment:${finess}`);
      const c = 'client-pitie-1';
      const t = (m: number) => new Date(Date.UTC(2020, 2, 20, 10, m));
      const out = await push(store, nat, c, [
        reportUnit(c, 1, finess, 'REA_MED', { available: 1 }, t(0)),
        reportUnit(c, 2, finess, 'REA_MED', { available: 2 }, t(5)),
        // Observed earlier than the current one: kept in history, not current.
        reportUnit(c, 3, finess, 'REA_MED', { available: 9 }, t(1)),
      ]);
      expect(out.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      const units = (await pullAll(store, '/FR/', 50)).changes.filter((ch) => ch.entity === 'unit');
      expect(units.map((u) => u.entity === 'unit' && u.data.available)).toEqual([2]);
      const history = await store.boards.beds.unitHistory(finess, units[0].entity === 'unit' ? units[0].data.unitId : '', undefined, 10);
      expect(history.map((r) => r.available)).toEqual([2, 9, 1]);
      expect(await store.boards.beds.countUnits()).toBe(1);
    });

    it('stores a pharmacy\'s count line by line, sees its own earlier line inside one report, and keeps the latest current', async () => {
      const { store } = await open(kind);
      const finess = '750100125';
      const pui = await addIdentity(store, 'pui', `pui:${finess}`);
      const c = 'client-pui-1';
      const ESMERON = '3400957152123';
      const PROPOFOL = '3400956100163';
      const line = (id: string, onHand: number, cip13 = ESMERON) => ({ id, cip13, onHand });
      const report = (id: number, at: string, lines: unknown[]) => mutation(c, id, 'stock.report', { finess, at, lines });
      const out = await push(store, pui, c, [
        report(1, '2020-03-20T10:00:00Z', [line('aaaaaaaa-0000-4000-8000-000000000001', 10)]),
        // The same line id twice in one report: the second sees the first (a read after a write of the same mutation).
        report(2, '2020-03-20T11:00:00Z', [line('aaaaaaaa-0000-4000-8000-000000000002', 20), line('aaaaaaaa-0000-4000-8000-000000000002', 21, PROPOFOL)]),
        report(3, '2020-03-20T12:00:00Z', [line('aaaaaaaa-0000-4000-8000-000000000003', 30)]),
        report(4, '2020-03-20T09:00:00Z', [line('aaaaaaaa-0000-4000-8000-000000000004', 5)]),
      ]);
      expect(out.results.map((r) => (r.status === 'rejected' ? r.reason : r.status))).toEqual(['applied', fr.stocks.lineExists, 'applied', 'applied']);
      expect((await store.boards.stocks.current(finess, ESMERON))?.onHand).toBe(30);
      expect((await store.boards.stocks.history(finess, ESMERON, 10)).map((l) => l.onHand)).toEqual([30, 10, 5]);
      expect(await store.boards.stocks.countLines()).toBe(3);
      const lines = (await pullAll(store, '/FR/', 50)).changes.filter((ch) => ch.entity === 'stockLine');
      expect(lines.map((l) => l.entity === 'stockLine' && l.data.onHand)).toEqual([30]);
    });

    it('reads what a place\'s stock chart needs (its lines since a day, its units\' COVID+ reports), the current lines and the bed units', async () => {
      const { store } = await open(kind);
      const PARIS = '750100125';
      const BREST = '290004324';
      const ESMERON = '3400957152123';
      const PROPOFOL = '3400956100163';
      const t = territories();
      const path = (key: string) => t.scopePath(key) ?? '';
      let n = 0;
      const id = () => `bbbbbbbb-0000-4000-8000-${String(++n).padStart(12, '0')}`;
      for (const [finess, counts] of [
        [PARIS, [['2020-03-01T10:00:00Z', 7], ['2020-03-18T10:00:00Z', 8], ['2020-03-19T10:00:00Z', 9]]],
        [BREST, [['2020-03-18T10:00:00Z', 3]]],
      ] as const) {
        const who = await addIdentity(store, `pui${finess}`, `pui:${finess}`);
        const c = `client-pui-${finess}`;
        const reports = counts.map(([at, onHand], i) =>
          mutation(c, i + 1, 'stock.report', { finess, at, lines: [{ id: id(), cip13: ESMERON, onHand }, { id: id(), cip13: PROPOFOL, onHand: onHand * 10 }] }),
        );
        expect((await push(store, who, c, reports)).results.every((r) => r.status === 'applied')).toBe(true);
      }
      const molecule = (await store.boards.stocks.current(PARIS, ESMERON))?.molecule ?? '';
      const since = '2020-03-15T00:00:00.000Z';
      const onHands = async (p: string) =>
        (await store.boards.stocks.placeLines(p, molecule, since)).map((l) => [l.finess, l.onHand, l.at]).sort((a, b) => String(a).localeCompare(String(b)));
      expect(await onHands(path('R:11'))).toEqual([
        [PARIS, 8, '2020-03-18T10:00:00Z'],
        [PARIS, 9, '2020-03-19T10:00:00Z'],
      ]);
      expect(await onHands('/FR/')).toEqual([
        [BREST, 3, '2020-03-18T10:00:00Z'],
        [PARIS, 8, '2020-03-18T10:00:00Z'],
        [PARIS, 9, '2020-03-19T10:00:00Z'],
      ]);
      expect((await store.boards.stocks.placeLines(path('R:11'), molecule, since))[0]).toEqual({
        finess: PARIS, cip13: ESMERON, at: expect.any(String), version: expect.any(Number), onHand: expect.any(Number), used7d: null, dailyUse: null, daysOut: 0,
      });
      // By establishment, then presentation (PROPOFOL's code sorts before ESMERON's).
      expect((await store.boards.stocks.currentLines()).map((l) => [l.finess, l.cip13, l.onHand])).toEqual([
        [BREST, PROPOFOL, 30],
        [BREST, ESMERON, 3],
        [PARIS, PROPOFOL, 90],
        [PARIS, ESMERON, 9],
      ]);
      expect((await store.boards.stocks.currentLines(BREST)).map((l) => l.onHand)).toEqual([30, 3]);

      const site = await addIdentity(store, 'pitie', `establishment:${PARIS}`);
      const c = 'client-pitie-1';
      const day = (d: number) => new Date(Date.UTC(2020, 2, d, 10));
      await push(store, site, c, [
        reportUnit(c, 1, PARIS, 'REA_MED', { covidPos: 4 }, day(10)),
        reportUnit(c, 2, PARIS, 'REA_MED', { covidPos: 5 }, day(14)),
        reportUnit(c, 3, PARIS, 'REA_MED', { covidPos: 6 }, day(17)),
      ]);
      const reports = await store.boards.stocks.occupancyReports(path('R:11'), since);
      // The report current at `since` (the 14th), then each later one.
      expect(reports.map((r) => [r.finess, r.covidPos, r.at]).sort((a, b) => String(a[2]).localeCompare(String(b[2])))).toEqual([
        [PARIS, 5, day(14).toISOString()],
        [PARIS, 6, day(17).toISOString()],
      ]);
      expect(await store.boards.stocks.occupancyReports(path('R:53'), since)).toEqual([]);
      expect((await store.boards.stocks.bedUnits('/FR/')).map((u) => [u.finess, u.covidPos])).toEqual([[PARIS, 6]]);
      expect(await store.boards.stocks.bedUnits(path('R:53'))).toEqual([]);
    });

    it('keeps an epoch until a new one is given, and refuses a cursor beyond the head', async () => {
      const { store, db } = await open(kind);
      const first = await store.epoch();
      expect(first).toMatch(/^[0-9a-f-]{36}$/);
      const second = await store.newEpoch();
      expect(second).not.toBe(first);
      await store.close();
      const again = (await open(kind, {}, db)).store;
      expect(await again.epoch()).toBe(second);
      const nat = await addIdentity(again, 'nat', 'national');
      await push(again, nat, 'client-nat-1', [openEvent('client-nat-1', 1)]);
      expect(await again.pull('/FR/', 1, 100)).toEqual({ changes: [], cursor: 1, more: false });
      await expect(again.pull('/FR/', 2, 100)).rejects.toMatchObject({ name: 'CursorAheadError', cursor: 2, head: 1 });
    });
  });
}

const pgWhy = storeUnavailable('postgres');
describe.skipIf(pgWhy !== null)('PostgreSQL store', () => {
  async function pgStore(db?: string): Promise<{ store: PgServerStore<BoardStores>; db: string }> {
    const { store, db: name } = await open('postgres', {}, db);
    if (!(store instanceof PgServerStore)) throw new Error('expected the PostgreSQL store');
    return { store: store as PgServerStore<BoardStores>, db: name };
  }

  it('never lets a pull skip a version that commits later, with writers on two nodes', async () => {
    const { store: nodeA, db } = await pgStore();
    const { store: nodeB } = await pgStore(db);
    const { store: reader } = await pgStore(db);
    const nat = await addIdentity(nodeA, 'nat', 'national');
    const samu = await addIdentity(nodeA, 'samu75', 'samu:75');
    await push(nodeA, nat, 'client-nat-0', [openEvent('client-nat-0', 1)]);
    const writers = [
      { store: nodeA, who: nat, client: 'client-a-1', territory: 'FR' },
      { store: nodeA, who: samu, client: 'client-a-2', territory: 'D:75' },
      { store: nodeB, who: nat, client: 'client-b-1', territory: 'FR' },
      { store: nodeB, who: samu, client: 'client-b-2', territory: 'D:75' },
    ];
    const ROUNDS = 15;
    let writing = true;
    const seen: number[] = [];
    let cursor = 0;
    // The reader pulls in a loop while the writers run; a skipped version would never come back.
    const readerLoop = (async () => {
      while (writing || cursor < (await reader.latestVersion())) {
        const page = await reader.pull('/FR/', cursor, 7);
        for (const ch of page.changes) seen.push(ch.version);
        cursor = page.cursor;
      }
    })();
    await Promise.all(
      writers.map(async (w) => {
        for (let i = 1; i <= ROUNDS; i++) {
          // Two mutations per push: a push's versions are consecutive and commit together.
          const out = await push(w.store, w.who, w.client, [postMessage(w.client, 2 * i - 1, w.territory), postMessage(w.client, 2 * i, w.territory)]);
          expect(out.results.map((r) => r.status)).toEqual(['applied', 'applied']);
        }
      }),
    );
    writing = false;
    await readerLoop;
    const total = 1 + writers.length * ROUNDS * 2;
    expect(await reader.latestVersion()).toBe(total);
    // Everything in order, nothing skipped, nothing twice: the national user sees every row.
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('rolls back a mutation that fails inside PostgreSQL and stops the batch for a retry', async () => {
    const { store } = await pgStore();
    const nat = await addIdentity(store, 'nat', 'national');
    const c = 'client-nat-1';
    await store.pool.query(`CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$ LANGUAGE plpgsql`);
    await store.pool.query(`CREATE TRIGGER boom BEFORE INSERT ON messages FOR EACH ROW WHEN (NEW.body = 'boom') EXECUTE FUNCTION boom()`);
    const batch = [openEvent(c, 1), postMessage(c, 2, 'FR', { body: 'boom' }), postMessage(c, 3, 'FR')];
    const out = await push(store, nat, c, batch);
    expect(out.results).toEqual([{ mutationId: 1, status: 'applied', version: 1 }]);
    expect(out.stop?.code).toBe('internal');
    expect(out.changes).toHaveLength(1);
    expect(await store.latestVersion()).toBe(1);
    expect(await store.lastMutationId(c)).toBe(1);
    await store.pool.query(`DROP TRIGGER boom ON messages`);
    const retry = await push(store, nat, c, batch);
    expect(retry.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const versions = (await store.pool.query<{ version: number }>(`SELECT version FROM change_log ORDER BY version`)).rows.map((r) => r.version);
    expect(versions).toEqual([1, 2, 3]);
  });

  it('refuses once, in French, a mutation holding a value PostgreSQL cannot store (a NUL character), and applies the next', async () => {
    const { store } = await pgStore();
    const nat = await addIdentity(store, 'nat', 'national');
    const c = 'client-nat-1';
    const batch = [openEvent(c, 1), postMessage(c, 2, 'FR', { body: 'avant\u0000après' }), postMessage(c, 3, 'FR')];
    const out = await push(store, nat, c, batch);
    expect(out.stop).toBeNull();
    expect(out.results).toEqual([
      { mutationId: 1, status: 'applied', version: 1 },
      { mutationId: 2, status: 'rejected', reason: fr.server.valueNotStorable },
      { mutationId: 3, status: 'applied', version: 2 },
    ]);
    expect((await push(store, nat, c, batch)).results).toEqual(out.results);
    expect(await store.latestVersion()).toBe(2);
  });

  it('lets a read that follows a write in the same mutation see that write, and undoes what a run wrote after a wrong guess', async () => {
    const { store } = await pgStore();
    await store.ready;
    const client = await store.pool.connect();
    const insertEvent = (id: string) =>
      `INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, version, scope_path) VALUES ('${id}', 't', '', 'FR', 'open', 'x', 'u', 1, '/FR/')`;
    try {
      await client.query('BEGIN');
      const rt = new PgTxRuntime();
      rt.startMutation();
      const read = <T>(key: string, sql: string, map: (rows: unknown[]) => T, fallback: T): T => rt.read(key, { sql, params: [], map }, fallback);
      let answer: unknown[] = [];
      const { thrown } = await rt.settle(client, () => {
        const absent = read('e1', `SELECT id FROM events WHERE id = 'e1'`, (rows) => rows[0], undefined);
        rt.write(insertEvent('e1'), []);
        // Guessed -1 by the first run, which then writes e3 on that wrong guess.
        const count = read('count', `SELECT count(*)::int AS n FROM events`, (rows) => (rows[0] as { n: number }).n, -1);
        rt.write(insertEvent(count === 1 ? 'e2' : 'e3'), []);
        const ids = read('ids', `SELECT id FROM events ORDER BY id`, (rows) => rows.map((r) => (r as { id: string }).id), [] as string[]);
        answer = [absent, count, ids];
      });
      expect(thrown).toBeUndefined();
      expect(answer).toEqual([undefined, 1, ['e1', 'e2']]);
      await rt.finish(client, true, []);
      expect((await client.query(`SELECT id FROM events ORDER BY id`)).rows.map((r: { id: string }) => r.id)).toEqual(['e1', 'e2']);
      // Two rounds for the runs (every read guessed, then e3 undone, e2 sent and the list read after it), one to finish.
      expect(rt.roundTrips).toBe(3);

      // A mutation abandoned after its reads leaves nothing behind.
      rt.startMutation();
      await rt.settle(client, () => {
        rt.write(insertEvent('e4'), []);
        read('count', `SELECT count(*)::int AS n FROM events`, (rows) => (rows[0] as { n: number }).n, -1);
      });
      await rt.abandon(client);
      expect((await client.query(`SELECT count(*)::int AS n FROM events`)).rows[0].n).toBe(2);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('answers a mutation whose reads all find nothing in two round trips, however many writes come between them', async () => {
    const { store } = await pgStore();
    await store.ready;
    const client = await store.pool.connect();
    try {
      await client.query('BEGIN');
      const rt = new PgTxRuntime();
      rt.startMutation();
      await rt.settle(client, () => {
        for (let i = 0; i < 20; i++) {
          rt.read(`e${i}`, { sql: `SELECT id FROM events WHERE id = 'e${i}'`, params: [], map: (rows) => rows[0] }, undefined);
          rt.write(`INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, version, scope_path) VALUES ('e${i}', 't', '', 'FR', 'open', 'x', 'u', 1, '/FR/')`, []);
        }
      });
      await rt.finish(client, true, []);
      expect(rt.roundTrips).toBe(2);
      expect((await client.query(`SELECT count(*)::int AS n FROM events`)).rows[0].n).toBe(20);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('keeps one audit chain with appends from two nodes at once (pushes, logins, user changes)', async () => {
    const { store: nodeA, db } = await pgStore();
    const { store: nodeB } = await pgStore(db);
    const nat = await addIdentity(nodeA, 'nat', 'national');
    const who = { actorId: nat.user.id, actorName: nat.actor.displayName, actorRole: nat.actor.roleText };
    const ROUNDS = 10;
    await push(nodeA, nat, 'client-nat-0', [openEvent('client-nat-0', 1)]);
    await Promise.all(
      [nodeA, nodeB].flatMap((node, n) => [
        (async () => {
          const c = `client-${n}-push`;
          for (let i = 1; i <= ROUNDS; i++) await push(node, nat, c, [postMessage(c, i, 'FR')]);
        })(),
        (async () => {
          for (let i = 0; i < ROUNDS; i++) await node.recordAudit({ kind: 'login', ...who, subject: nat.user.id, detail: { address: `10.0.${n}.${i}` } }, new Date());
        })(),
        (async () => {
          for (let i = 0; i < ROUNDS; i++) await node.setUserDisplayName(nat.user.id, `Nat ${n}.${i}`, { kind: 'user_change', ...who, subject: nat.user.id, detail: {} });
        })(),
      ]),
    );
    const total = 1 + 2 * 3 * ROUNDS;
    expect(await nodeB.verifyAudit()).toMatchObject({ ok: true, count: total });
    const seqs = (await nodeA.pool.query<{ seq: number }>(`SELECT seq FROM audit_log ORDER BY seq`)).rows.map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect((await nodeA.pool.query(`SELECT seq FROM audit_head`)).rows).toEqual([{ seq: total }]);
  });

  it('keeps the audit trail append-only, and its verification names the first entry altered behind its back', async () => {
    const { store } = await pgStore();
    const nat = await addIdentity(store, 'nat', 'national');
    const who = { actorId: nat.user.id, actorName: nat.actor.displayName, actorRole: nat.actor.roleText };
    for (let i = 0; i < 3; i++) await store.recordAudit({ kind: 'login', ...who, detail: { address: `10.0.0.${i}` } }, new Date());
    await expect(store.pool.query(`UPDATE audit_log SET actor_name = 'x' WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(store.pool.query(`DELETE FROM audit_log WHERE seq = 3`)).rejects.toThrow(/append-only/);
    await expect(store.pool.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    // Someone with the database in hand drops the guard: the chain shows it.
    await store.pool.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`);
    await store.pool.query(`UPDATE audit_log SET actor_name = 'x' WHERE seq = 2`);
    expect(await store.verifyAudit()).toEqual({ ok: false, count: 1, seq: 2, reason: 'hash' });
  });

  it('migrates a step-1 database: sessions without a family end, accounts stay, the generation starts at 0, the trail is empty', async () => {
    const t = await testDb('postgres');
    const pool = new pg.Pool({ connectionString: t.db });
    try {
      await migratePg(pool, PG_MIGRATIONS.slice(0, 1));
      await pool.query(`INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES ('u1', 'ars-idf', 'ARS', 'ars:11', 'x', 'now')`);
      await pool.query(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('h1', 'u1', 'a', '9999')`);
      expect(await migratePg(pool)).toBe(PG_MIGRATIONS.length);
      expect((await pool.query(`SELECT count(*)::int AS n FROM sessions`)).rows).toEqual([{ n: 0 }]);
      expect((await pool.query(`SELECT count(*)::int AS n FROM users`)).rows).toEqual([{ n: 1 }]);
      expect((await pool.query(`SELECT value FROM server_meta WHERE key = 'sessions_generation'`)).rows).toEqual([{ value: '0' }]);
      expect((await pool.query(`SELECT count(*)::int AS n FROM audit_log`)).rows).toEqual([{ n: 0 }]);
      // A family's end takes its access and refresh tokens with it.
      await pool.query(`INSERT INTO session_families (id, user_id, client_id, created_at, expires_at) VALUES ('f1', 'u1', NULL, 'a', '9999')`);
      await pool.query(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at, family_id) VALUES ('h2', 'u1', 'a', '9999', 'f1')`);
      await pool.query(`INSERT INTO refresh_tokens (token_hash, family_id, expires_at) VALUES ('r1', 'f1', '9999')`);
      await pool.query(`DELETE FROM session_families WHERE id = 'f1'`);
      expect((await pool.query(`SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM refresh_tokens) AS n`)).rows).toEqual([{ n: '0' }]);
    } finally {
      await pool.end();
      t.cleanup();
    }
  });

  it('migrates once, opens again without a change, and refuses a database from a newer server', async () => {
    const { store, db } = await pgStore();
    await store.ready;
    expect((await store.pool.query(`SELECT version FROM schema_version`)).rows).toEqual([{ version: store.schemaVersion }]);
    const again = (await pgStore(db)).store;
    await again.ready;
    await again.pool.query(`UPDATE schema_version SET version = version + 1`);
    const newer = (await pgStore(db)).store;
    await expect(newer.ready).rejects.toBeInstanceOf(DatabaseTooNewError);
    await expect(newer.epoch()).rejects.toBeInstanceOf(DatabaseTooNewError);
  });
});
