import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { sameBranch } from '../../../common/territory';
import type { Identity } from '../auth/actor';
import { addIdentity, EVENT_ID, mutation, openEvent, postMessage, tempDir, territories } from '../testing/fixtures';
import { PULL_LOG_SQL, pullLatestSql, type SqliteStoreOptions } from './sqliteStore';
import { openServerStore, type VigieServerStore } from '../app';
import type { ApplyOutcome } from './types';
import type { Change, Mutation } from '../../../common/protocol';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function openStore(options: SqliteStoreOptions = {}, file?: string): { store: VigieServerStore; file: string } {
  let path = file;
  if (!path) {
    const t = tempDir();
    cleanups.push(t.cleanup);
    path = join(t.dir, 'server.sqlite');
  }
  const store = openServerStore(path, territories(), options);
  cleanups.push(() => store.close());
  return { store, file: path };
}

function push(store: VigieServerStore, who: Identity, clientId: string, mutations: Mutation[], now = new Date()): Promise<ApplyOutcome> {
  return store.applyMutations({ clientId, actor: who.actor, mutations, now });
}

function count(store: VigieServerStore, table: string): number {
  return (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** Pulls until `more` is false, checking that the cursor only moves forward. */
async function pullAll(store: VigieServerStore, path: string, limit: number, from = 0): Promise<{ changes: Change[]; cursor: number }> {
  const changes: Change[] = [];
  let cursor = from;
  for (let i = 0; i < 100_000; i++) {
    const page = await store.pull(path, cursor, limit);
    expect(page.cursor).toBeGreaterThanOrEqual(cursor);
    expect(page.changes.length).toBeLessThanOrEqual(limit);
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.more) return { changes, cursor };
  }
  throw new Error('pull did not finish');
}

describe('SqliteServerStore: applying pushes', () => {
  it('applies a replayed push once and answers the stored results again', async () => {
    const { store } = openStore();
    const nat = await addIdentity(store, 'nat', 'national');
    const batch = [openEvent('client-nat-1', 1), postMessage('client-nat-1', 2, 'FR')];
    const first = await push(store, nat, 'client-nat-1', batch);
    expect(first.stop).toBeNull();
    expect(first.results).toEqual([
      { mutationId: 1, status: 'applied', version: 1 },
      { mutationId: 2, status: 'applied', version: 2 },
    ]);
    const again = await push(store, nat, 'client-nat-1', batch);
    expect(again).toEqual({ results: first.results, changes: [], stop: null });
    expect(count(store, 'change_log')).toBe(2);
    expect(count(store, 'messages')).toBe(1);
  });

  it('stops at a gap, keeps what came before it, and lets the client resend in order', async () => {
    const { store } = openStore();
    const nat = await addIdentity(store, 'nat', 'national');
    const c = 'client-nat-1';
    const gap = await push(store, nat, c, [openEvent(c, 1), postMessage(c, 3, 'FR')]);
    expect(gap.results).toEqual([{ mutationId: 1, status: 'applied', version: 1 }]);
    expect(gap.stop).toEqual({ code: 'gap', expected: 2, got: 3 });
    expect(count(store, 'change_log')).toBe(1);
    expect(await store.lastMutationId(c)).toBe(1);

    const resent = await push(store, nat, c, [openEvent(c, 1), postMessage(c, 2, 'FR'), postMessage(c, 3, 'FR')]);
    expect(resent.stop).toBeNull();
    expect(resent.results.map((r) => [r.mutationId, r.status])).toEqual([
      [1, 'applied'],
      [2, 'applied'],
      [3, 'applied'],
    ]);
    expect(count(store, 'change_log')).toBe(3);
  });

  it('records a rejection with its French reason, writes no change, and applies the next mutation', async () => {
    const { store } = openStore();
    const nat = await addIdentity(store, 'nat', 'national');
    const samu = await addIdentity(store, 'samu29', 'samu:29');
    await push(store, nat, 'client-nat-1', [openEvent('client-nat-1', 1)]);
    const c = 'client-samu29-1';
    const out = await push(store, samu, c, [postMessage(c, 1, 'D:75'), postMessage(c, 2, 'D:29')]);
    expect(out.stop).toBeNull();
    expect(out.results[0]).toEqual({
      mutationId: 1,
      status: 'rejected',
      reason: fr.reject.territoryOutOfScope(territories().label('D:75')),
    });
    expect(out.results[1]).toEqual({ mutationId: 2, status: 'applied', version: 2 });
    expect(out.changes.map((ch) => ch.scopePath)).toEqual(['/FR/R:53/D:29/']);
    // Versions stay gap-free across the rejection.
    expect(store.db.prepare(`SELECT version FROM change_log ORDER BY version`).pluck().all()).toEqual([1, 2]);
    // A replay answers the same rejection.
    const replay = await push(store, samu, c, [postMessage(c, 1, 'D:75')]);
    expect(replay.results).toEqual([out.results[0]]);
  });

  it('takes the actor from the authenticated user, never from the arguments', async () => {
    const { store } = openStore();
    const nat = await addIdentity(store, 'nat', 'national');
    await push(store, nat, 'client-nat-1', [openEvent('client-nat-1', 1)]);
    const samu = await addIdentity(store, 'samu75', 'samu:75');
    const spoof = mutation('client-samu-1', 1, 'message.post', {
      id: '22222222-2222-4333-8444-555555555555',
      eventId: EVENT_ID,
      territory: 'D:75',
      kind: 'information',
      priority: 'info',
      body: 'Bonjour',
      authorId: nat.user.id,
    });
    const out = await push(store, samu, 'client-samu-1', [spoof]);
    // Extra keys are refused by the strict schema: an author cannot be smuggled in.
    expect(out.results[0].status).toBe('rejected');
    const ok = await push(store, samu, 'client-samu-1', [postMessage('client-samu-1', 2, 'D:75')]);
    expect(ok.results[0].status).toBe('applied');
    const row = store.db.prepare(`SELECT author_id, author_role FROM messages`).get();
    expect(row).toEqual({ author_id: samu.user.id, author_role: 'samu:75' });
  });

  it('keeps the author\'s date but rejects one more than 10 minutes in the future', async () => {
    const { store } = openStore();
    const nat = await addIdentity(store, 'nat', 'national');
    const now = new Date('2020-03-20T10:00:00Z');
    const c = 'client-nat-1';
    const far = mutation(c, 1, 'event.open', { id: EVENT_ID, title: 'T', territory: 'FR' }, new Date(now.getTime() + 11 * 60_000));
    const near = { ...far, mutationId: 2, at: '2020-03-20T12:09:00+02:00' };
    const out = await push(store, nat, c, [far, near], now);
    expect(out.results[0]).toEqual({ mutationId: 1, status: 'rejected', reason: fr.server.futureAt(10) });
    expect(out.results[1].status).toBe('applied');
    expect(store.db.prepare(`SELECT opened_at FROM events`).pluck().get()).toBe('2020-03-20T12:09:00+02:00');
  });

  it('rolls back a mutation that fails for an internal reason and stops the batch for a retry', async () => {
    const { store } = openStore();
    const nat = await addIdentity(store, 'nat', 'national');
    const c = 'client-nat-1';
    // A real SQLite failure, not a mock: the trigger aborts the insert of one message.
    store.db.exec(`CREATE TRIGGER boom BEFORE INSERT ON messages WHEN NEW.body = 'boom'
      BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    const batch = [openEvent(c, 1), postMessage(c, 2, 'FR', { body: 'boom' }), postMessage(c, 3, 'FR')];
    const out = await push(store, nat, c, batch);
    expect(out.results).toEqual([{ mutationId: 1, status: 'applied', version: 1 }]);
    expect(out.stop?.code).toBe('internal');
    expect(out.changes).toHaveLength(1);
    expect(count(store, 'change_log')).toBe(1);
    expect(await store.lastMutationId(c)).toBe(1);

    store.db.exec(`DROP TRIGGER boom`);
    const retry = await push(store, nat, c, batch);
    expect(retry.stop).toBeNull();
    expect(retry.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(store.db.prepare(`SELECT version FROM change_log ORDER BY version`).pluck().all()).toEqual([1, 2, 3]);
  });

  it('refuses a client id that belongs to another user', async () => {
    const { store } = openStore();
    const nat = await addIdentity(store, 'nat', 'national');
    const ars = await addIdentity(store, 'ars', 'ars:11');
    expect(await store.claimClient('shared-client', nat.user.id)).toBe('ok');
    expect(await store.claimClient('shared-client', ars.user.id)).toBe('other_user');
    const out = await push(store, ars, 'shared-client', [openEvent('shared-client', 1, 'R:11')]);
    expect(out.stop).toEqual({ code: 'forbidden' });
    expect(count(store, 'change_log')).toBe(0);
  });

  it('assigns gap-free versions when two connections write to the same file in turn', async () => {
    const { store: a, file } = openStore();
    const { store: b } = openStore({}, file);
    const nat = await addIdentity(a, 'nat', 'national');
    const samu = await addIdentity(a, 'samu75', 'samu:75');
    await push(a, nat, 'client-a-0001', [openEvent('client-a-0001', 1)]);
    for (let i = 1; i <= 20; i++) {
      const [store, who, c] = i % 2 ? [a, nat, 'client-a-0001'] : [b, samu, 'client-b-0001'];
      const id = i % 2 ? (i + 1) / 2 + 1 : i / 2;
      const out = await push(store, who, c, [postMessage(c, id, i % 2 ? 'FR' : 'D:75')]);
      expect(out.results[0].status).toBe('applied');
    }
    expect(a.db.prepare(`SELECT version FROM change_log ORDER BY version`).pluck().all()).toEqual(
      Array.from({ length: 21 }, (_, i) => i + 1),
    );
  });
});

describe('SqliteServerStore: pulling', () => {
  it('moves the cursor past rows the user cannot see', async () => {
    const { store } = openStore({ pullScanWindow: 4 });
    const nat = await addIdentity(store, 'nat', 'national');
    const samu75 = await addIdentity(store, 'samu75', 'samu:75');
    const c = 'client-samu-1';
    await push(store, nat, 'client-nat-1', [openEvent('client-nat-1', 1)]);
    await push(store, samu75, c, Array.from({ length: 10 }, (_, i) => postMessage(c, i + 1, 'D:75')));
    const bretagne = territories().path('D:29') ?? '';

    const first = await store.pull(bretagne, 0, 100);
    expect(first.changes.map((ch) => ch.version)).toEqual([1]);
    expect(first).toMatchObject({ cursor: 4, more: true }); // one window of 4 examined
    const second = await store.pull(bretagne, first.cursor, 100);
    expect(second).toEqual({ changes: [], cursor: 8, more: true });
    const third = await store.pull(bretagne, second.cursor, 100);
    expect(third).toEqual({ changes: [], cursor: 11, more: false });
    expect(await store.pull(bretagne, 11, 100)).toEqual({ changes: [], cursor: 11, more: false });
  });

  it('stops a full page at its last row and says more remain', async () => {
    const { store } = openStore();
    const nat = await addIdentity(store, 'nat', 'national');
    const c = 'client-nat-1';
    await push(store, nat, c, [openEvent(c, 1), ...Array.from({ length: 5 }, (_, i) => postMessage(c, i + 2, 'R:11'))]);
    const page = await store.pull('/FR/', 0, 3);
    expect(page.changes.map((ch) => ch.version)).toEqual([1, 2, 3]);
    expect(page).toMatchObject({ cursor: 3, more: true });
    const rest = await store.pull('/FR/', 3, 3);
    expect(rest.changes.map((ch) => ch.version)).toEqual([4, 5, 6]);
    expect(rest).toMatchObject({ cursor: 6, more: false });
  });

  it('never gives an ARS Bretagne user an Île-de-France local message', async () => {
    const { store } = openStore();
    const nat = await addIdentity(store, 'nat', 'national');
    const samu75 = await addIdentity(store, 'samu75', 'samu:75');
    const samu29 = await addIdentity(store, 'samu29', 'samu:29');
    const arsBzh = await addIdentity(store, 'ars-bretagne', 'ars:53');
    await push(store, nat, 'client-nat-1', [openEvent('client-nat-1', 1), postMessage('client-nat-1', 2, 'FR')]);
    await push(store, samu75, 'client-s75-1', [postMessage('client-s75-1', 1, 'D:75', { body: 'IdF local' })]);
    await push(store, samu29, 'client-s29-1', [postMessage('client-s29-1', 1, 'D:29', { body: 'Finistère local' })]);
    const { changes } = await pullAll(store, arsBzh.actor.territoryPath, 10);
    const territoriesSeen = changes.map((ch) => (ch.entity === 'unit' ? `E:${ch.data.finess}` : ch.entity === 'roomPost' || ch.entity === 'roomShift' ? ch.data.room : ch.entity === 'transfer' ? ch.data.originFiness : ch.entity === 'hold' ? ch.data.finess : ch.entity === 'operation' ? 'FR' : ch.entity === 'transferSummary' ? ch.data.parties[0] : ch.entity === 'stockLine' || ch.entity === 'allocationLine' ? `E:${ch.data.finess}` : ch.entity === 'allocationRound' ? 'FR' : ch.entity === 'redeployment' ? `E:${ch.data.from}` : ch.data.territory));
    expect(territoriesSeen).toEqual(['FR', 'FR', 'D:29']);
    expect(JSON.stringify(changes)).not.toContain('IdF local');
  });

  it('never skips a change: scoped pulls with any page size equal the visible part of the log', async () => {
    const { store } = openStore({ pullScanWindow: 7 });
    const roles = ['national', 'ars:11', 'ars:53', 'samu:75', 'samu:29', 'establishment:750100125', 'field:75-PMA-GARE-DE-LYON'];
    const who = await Promise.all(roles.map((r, i) => addIdentity(store, `u${i}`, r)));
    const next = new Map<string, number>();
    const send = async (i: number, m: (c: string, id: number) => Mutation) => {
      const c = `client-u${i}-xx`;
      const id = (next.get(c) ?? 0) + 1;
      next.set(c, id);
      return push(store, who[i], c, [m(c, id)]);
    };
    await send(0, (c, id) => openEvent(c, id));
    // A deterministic pseudo-random mix of writers and territories, with pulls in between.
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n);
    const cursors = who.map(() => 0);
    const got: Change[][] = who.map(() => []);
    for (let step = 0; step < 300; step++) {
      const i = rand(who.length);
      const postable = territories().postableTerritories(who[i].actor.role);
      await send(i, (c, id) => postMessage(c, id, postable[rand(Math.min(postable.length, 4))]));
      const j = rand(who.length);
      const page = await store.pull(who[j].actor.territoryPath, cursors[j], 1 + rand(5));
      got[j].push(...page.changes);
      cursors[j] = page.cursor;
    }
    const log = store.db
      .prepare<[], { version: number; scope_path: string }>(`SELECT version, scope_path FROM change_log ORDER BY version`)
      .all();
    expect(log.map((r) => r.version)).toEqual(log.map((_, k) => k + 1));
    for (let j = 0; j < who.length; j++) {
      const rest = await pullAll(store, who[j].actor.territoryPath, 3, cursors[j]);
      const versions = [...got[j], ...rest.changes].map((ch) => ch.version);
      const expected = log.filter((r) => sameBranch(r.scope_path, who[j].actor.territoryPath)).map((r) => r.version);
      expect(versions).toEqual(expected);
      expect(rest.cursor).toBe(log.length);
    }
  });

  it('gives a row at a private path to the users of exactly that territory: not its ancestors, not its children, not a namesake', async () => {
    const { store } = openStore();
    const paths = ['/~D:75/', '/~E:750100125/', '/~FR/', '/FR/R:11/D:75/', '/~D:7/'];
    const log = store.db.prepare(`INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at, latest_only) VALUES (?, 'probe', ?, ?, ?, '2020-03-27T08:00:00.000Z', 0)`);
    paths.forEach((p, i) => log.run(i + 1, p, p, JSON.stringify({ path: p })));
    const seen = async (user: string) => (await store.pull(user, 0, 100)).changes.map((c) => (c.data as unknown as { path: string }).path);
    expect(await seen('/FR/R:11/D:75/')).toEqual(['/~D:75/', '/FR/R:11/D:75/']);
    expect(await seen('/FR/R:11/D:75/E:750100125/')).toEqual(['/~E:750100125/', '/FR/R:11/D:75/']);
    expect(await seen('/FR/')).toEqual(['/~FR/', '/FR/R:11/D:75/']);
    expect(await seen('/FR/R:11/')).toEqual(['/FR/R:11/D:75/']);
    expect(await seen('/FR/R:11/D:75/E:750100232/')).toEqual(['/FR/R:11/D:75/']);
    expect(await seen('/FR/R:53/D:29/')).toEqual([]);
  });

  it('walks version indexes from the cursor (no full scan, no sort, no unit history), whatever the scope', async () => {
    const { store } = openStore();
    const path = '/FR/R:53/';
    // `p`: the user's private path, one more constant of the same `IN` list (the plan must not change for it).
    const params = { cursor: 10, upper: 20, limit: 5, a0: '/FR/', a1: path, a2: path, a3: path, p: '/~R:53/', lo: path, hi: `${path}\u{10FFFF}` };
    const planOf = (sql: string) =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((p) => p.detail).join(' | ');
    const log = planOf(PULL_LOG_SQL);
    expect(log).toMatch(/SEARCH change_log USING INDEX change_log_pull \(version>\? AND version<\?\)/);
    expect(log).not.toMatch(/TEMP B-TREE|SCAN/);
    expect(PULL_LOG_SQL).toContain('@p');
    const units = planOf(pullLatestSql({ table: 'unit_current', index: 'unit_current_version' }));
    expect(units).toMatch(/SEARCH c USING COVERING INDEX unit_current_version \(version>\? AND version<\?\)/);
    expect(units).toMatch(/SEARCH l USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(units).not.toMatch(/TEMP B-TREE|SCAN|unit_reports/);
  });
});

describe('SqliteServerStore: the epoch', () => {
  it('keeps its epoch across restarts until a new one is given, which is kept in turn', async () => {
    const { store, file } = openStore();
    const first = await store.epoch();
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    await store.close();
    const again = openStore({}, file).store;
    expect(await again.epoch()).toBe(first);
    const second = await again.newEpoch();
    expect(second).not.toBe(first);
    expect(await again.epoch()).toBe(second);
    await again.close();
    expect(await openStore({}, file).store.epoch()).toBe(second);
  });

  it('gives each new database an epoch of its own', async () => {
    expect(await openStore().store.epoch()).not.toBe(await openStore().store.epoch());
  });

  it('refuses a pull from beyond the head (a cache from before a restore) instead of echoing the cursor', async () => {
    const { store } = openStore();
    const nat = await addIdentity(store, 'nat', 'national');
    await push(store, nat, 'client-nat-1', [openEvent('client-nat-1', 1), postMessage('client-nat-1', 2, 'FR')]);
    expect(await store.pull('/FR/', 2, 100)).toEqual({ changes: [], cursor: 2, more: false });
    await expect(store.pull('/FR/', 3, 100)).rejects.toMatchObject({ name: 'CursorAheadError', cursor: 3, head: 2 });
    await expect(store.pull('/FR/', 5_000, 100)).rejects.toMatchObject({ name: 'CursorAheadError', cursor: 5_000, head: 2 });
  });
});
