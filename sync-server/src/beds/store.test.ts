import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import type { Identity } from '../auth/actor';
import { addIdentity, openEvent, postMessage, reportUnit, tempDir, territories } from '../testing/fixtures';
import type { SqliteStoreOptions } from '../store/sqliteStore';
import { openServerStore, type VigieServerStore } from '../app';
import type { UnitReport } from '../../../common/domain/beds/model';
import type { Change, Mutation } from '../../../common/protocol';

const PITIE = '750100125';
const BICHAT = '750100232';
const BREST = '290000058';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function openStore(options: SqliteStoreOptions = {}): VigieServerStore {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const store = openServerStore(join(t.dir, 'server.sqlite'), territories(), options);
  cleanups.push(() => store.close());
  return store;
}

/** One writer: its own client id and mutation counter. */
function writer(store: VigieServerStore, who: Identity, clientId: string) {
  let next = 0;
  return async (make: (c: string, id: number) => Mutation) => {
    const out = await store.applyMutations({ clientId, actor: who.actor, mutations: [make(clientId, ++next)], now: new Date() });
    expect(out.stop).toBeNull();
    return out.results[0];
  };
}

async function pullAll(store: VigieServerStore, path: string, limit: number, from = 0): Promise<{ changes: Change[]; cursor: number }> {
  const changes: Change[] = [];
  let cursor = from;
  for (let i = 0; i < 10_000; i++) {
    const page = await store.pull(path, cursor, limit);
    expect(page.cursor).toBeGreaterThanOrEqual(cursor);
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.more) return { changes, cursor };
  }
  throw new Error('pull did not finish');
}

const units = (changes: Change[]): UnitReport[] => changes.flatMap((c) => (c.entity === 'unit' ? [c.data] : []));
const count = (store: VigieServerStore, table: string) =>
  (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('unit reports in the server store', () => {
  it('a bootstrap returns one row per unit, at its latest report, never its history', async () => {
    const store = openStore();
    const pitie = writer(store, await addIdentity(store, 'pitie', `establishment:${PITIE}`), 'client-pitie-1');
    const brest = writer(store, await addIdentity(store, 'brest', `establishment:${BREST}`), 'client-brest-1');
    for (const available of [4, 2, 0]) await pitie((c, id) => reportUnit(c, id, PITIE, 'REA_MED', { available }));
    await pitie((c, id) => reportUnit(c, id, PITIE, 'SI_USIC', { installed: 12, staffed: 12, available: 1 }));
    await brest((c, id) => reportUnit(c, id, BREST, 'REA_MEDCHIR', { available: 5 }));
    await brest((c, id) => reportUnit(c, id, BREST, 'REA_MEDCHIR', { available: 6 }));
    expect(count(store, 'unit_reports')).toBe(6);
    expect(count(store, 'change_log')).toBe(6);

    for (const limit of [1, 2, 5000]) {
      const { changes, cursor } = await pullAll(store, '/FR/', limit);
      expect(cursor).toBe(6);
      expect(units(changes).map((u) => [u.finess, u.unitType, u.available, u.version])).toEqual([
        [PITIE, 'REA_MED', 0, 3],
        [PITIE, 'SI_USIC', 1, 4],
        [BREST, 'REA_MEDCHIR', 6, 6],
      ]);
      expect(changes.map((c) => c.version)).toEqual([3, 4, 6]);
    }
    const [current] = units((await pullAll(store, '/FR/', 10)).changes);
    expect(current).toMatchObject({ source: 'app', reportedBy: 'Test pitie', reportedRole: `establishment:${PITIE}`, covidPos: null, comment: '' });
  });

  it('a unit updated after the client\'s cursor is delivered once, at its new version', async () => {
    const store = openStore();
    const pitie = writer(store, await addIdentity(store, 'pitie', `establishment:${PITIE}`), 'client-pitie-1');
    const samuPath = (await addIdentity(store, 'samu75', 'samu:75')).actor.territoryPath;
    await pitie((c, id) => reportUnit(c, id, PITIE, 'REA_MED', { available: 4 }));
    await pitie((c, id) => reportUnit(c, id, PITIE, 'REA_CHIR', { available: 2 }));
    const first = await pullAll(store, samuPath, 100);
    expect(units(first.changes).map((u) => u.version)).toEqual([1, 2]);

    const applied = await pitie((c, id) => reportUnit(c, id, PITIE, 'REA_MED', { available: 1, comment: 'Deux entrées Covid' }));
    expect(applied).toEqual({ mutationId: 3, status: 'applied', version: 3 });
    const next = await pullAll(store, samuPath, 100, first.cursor);
    expect(units(next.changes)).toEqual([expect.objectContaining({ unitType: 'REA_MED', available: 1, comment: 'Deux entrées Covid', version: 3 })]);
    expect(next.cursor).toBe(3);
  });

  it('gives a unit only to its establishment\'s branch', async () => {
    const store = openStore();
    const pitie = writer(store, await addIdentity(store, 'pitie', `establishment:${PITIE}`), 'client-pitie-1');
    await pitie((c, id) => reportUnit(c, id, PITIE, 'REA_MED'));
    const sees = async (role: string) => units((await pullAll(store, territories().path(role) ?? '', 100)).changes).length;
    expect(await sees('FR')).toBe(1);
    expect(await sees('R:11')).toBe(1);
    expect(await sees('D:75')).toBe(1);
    expect(await sees(`E:${PITIE}`)).toBe(1);
    expect(await sees('R:53')).toBe(0);
    expect(await sees('D:92')).toBe(0);
    expect(await sees(`E:${BICHAT}`)).toBe(0);
    expect(await sees('F:75-PMA-GARE-DE-LYON')).toBe(0);
  });

  it('never skips and never repeats: paged pulls interleaved with reports and messages end at each unit\'s current report', async () => {
    const store = openStore({ pullScanWindow: 5 });
    const nat = writer(store, await addIdentity(store, 'nat', 'national'), 'client-nat-01');
    const pitie = writer(store, await addIdentity(store, 'pitie', `establishment:${PITIE}`), 'client-pitie-1');
    const bichat = writer(store, await addIdentity(store, 'bichat', `establishment:${BICHAT}`), 'client-bichat-1');
    await nat((c, id) => openEvent(c, id));
    const readers = ['/FR/', territories().path('D:75') ?? '', territories().path(`E:${PITIE}`) ?? '', territories().path('R:53') ?? ''];
    const cursors = readers.map(() => 0);
    // Each reader's cache: upsert by key when the incoming version is newer, as a client does.
    const caches = readers.map(() => new Map<string, number>());
    const seen = readers.map(() => new Set<number>());
    const apply = (r: number, changes: Change[]) => {
      const versions = changes.map((ch) => ch.version);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      for (const ch of changes) {
        expect(seen[r].has(ch.version)).toBe(false);
        seen[r].add(ch.version);
        const key = ch.entity === 'unit' ? `${ch.data.finess}:${ch.data.unitType}` : `${ch.entity}:${ch.version}`;
        if ((caches[r].get(key) ?? 0) < ch.version) caches[r].set(key, ch.version);
      }
    };
    let seed = 11;
    const rand = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n);
    const types = ['REA_MED', 'REA_CHIR', 'SI_USIC'];
    for (let step = 0; step < 200; step++) {
      const k = rand(5);
      if (k < 2) await nat((c, id) => postMessage(c, id, 'FR'));
      else if (k < 4) await pitie((c, id) => reportUnit(c, id, PITIE, types[rand(3)], { available: rand(4) }));
      else await bichat((c, id) => reportUnit(c, id, BICHAT, types[rand(3)], { available: rand(4) }));
      const r = rand(readers.length);
      const page = await store.pull(readers[r], cursors[r], 1 + rand(4));
      apply(r, page.changes);
      cursors[r] = page.cursor;
    }
    const current = store.db
      .prepare<[], { finess: string; unit_id: string; version: number; scope_path: string }>(`SELECT finess, unit_id, version, scope_path FROM unit_current`)
      .all();
    for (let r = 0; r < readers.length; r++) {
      const rest = await pullAll(store, readers[r], 3, cursors[r]);
      apply(r, rest.changes);
      const expected = current
        .filter((u) => u.scope_path.startsWith(readers[r]) || readers[r].startsWith(u.scope_path))
        .map((u) => [`${u.finess}:${u.unit_id}`, u.version]);
      const got = [...caches[r].entries()].filter(([k]) => /^\d/.test(k));
      expect(new Map(got)).toEqual(new Map(expected.map(([k, v]) => [k as string, v as number])));
    }
    expect(caches[3].size).toBe(count(store, 'messages') + 1); // Bretagne: national rows only
  });

  it('two reports in flight for one unit: the current one is the later observation, whichever the server applied last', async () => {
    const store = openStore();
    const who = await addIdentity(store, 'pitie', `establishment:${PITIE}`);
    const a = reportUnit('client-pitie-a', 1, PITIE, 'REA_MED', { available: 2 }, new Date(Date.now() - 60_000));
    const b = reportUnit('client-pitie-b', 1, PITIE, 'REA_MED', { available: 1 }, new Date(Date.now() - 120_000));
    const now = new Date();
    // Both in flight at once; the store serialises them. b was typed earlier but applied last:
    // it goes into the history, a stays current.
    const [ra, rb] = await Promise.all([
      store.applyMutations({ clientId: 'client-pitie-a', actor: who.actor, mutations: [a], now }),
      store.applyMutations({ clientId: 'client-pitie-b', actor: who.actor, mutations: [b], now }),
    ]);
    expect([ra.results[0], rb.results[0]].map((r) => r.status)).toEqual(['applied', 'applied']);
    const { changes } = await pullAll(store, '/FR/', 100);
    expect(units(changes)).toEqual([expect.objectContaining({ available: 2, version: 1, id: (a.args as { id: string }).id })]);
    expect(count(store, 'unit_reports')).toBe(2);
    // The history holds both, latest observation first.
    expect((await store.boards.beds.unitHistory(PITIE, 'REA_MED', undefined, 10)).map((r) => r.available)).toEqual([2, 1]);

    // Observed at the same instant: the one the server applied last is current.
    const at = new Date(Date.now() - 30_000);
    const c = reportUnit('client-pitie-a', 2, PITIE, 'REA_MED', { available: 3 }, at);
    const d = reportUnit('client-pitie-b', 2, PITIE, 'REA_MED', { available: 4 }, at);
    await store.applyMutations({ clientId: 'client-pitie-a', actor: who.actor, mutations: [c], now });
    await store.applyMutations({ clientId: 'client-pitie-b', actor: who.actor, mutations: [d], now });
    const after = await pullAll(store, '/FR/', 100);
    expect(units(after.changes)).toEqual([expect.objectContaining({ available: 4, id: (d.args as { id: string }).id })]);
  });

  it('rejects an implausible report with the French reason and writes nothing', async () => {
    const store = openStore();
    const pitie = writer(store, await addIdentity(store, 'pitie', `establishment:${PITIE}`), 'client-pitie-1');
    const r = await pitie((c, id) => reportUnit(c, id, PITIE, 'REA_MED', { installed: 10, staffed: 8, available: 9 }));
    expect(r).toEqual({ mutationId: 1, status: 'rejected', reason: fr.beds.availableOverStaffed(9, 8) });
    const other = await pitie((c, id) => reportUnit(c, id, BICHAT, 'REA_MED'));
    expect(other).toEqual({ mutationId: 2, status: 'rejected', reason: fr.beds.notYourEstablishment });
    expect(count(store, 'unit_reports') + count(store, 'unit_current') + count(store, 'change_log')).toBe(0);
  });

  it('answers a unit\'s history newest first, with since (any offset) and limit', async () => {
    const store = openStore();
    const pitie = writer(store, await addIdentity(store, 'pitie', `establishment:${PITIE}`), 'client-pitie-1');
    const at = ['2020-03-20T08:00:00.000Z', '2020-03-21T09:00:00+01:00', '2020-03-22T08:00:00.000Z'];
    for (const [i, t] of at.entries()) await pitie((c, id) => reportUnit(c, id, PITIE, 'REA_MED', { available: i }, new Date(t)));
    // The mutation keeps the author's string; fixtures send ISO UTC, so rewrite one with an offset.
    await pitie((c, id) => ({ ...reportUnit(c, id, PITIE, 'SI_USIC'), at: '2020-03-21T10:00:00+01:00' }));
    const all = await store.boards.beds.unitHistory(PITIE, 'REA_MED', undefined, 100);
    expect(all.map((r) => [r.available, r.version])).toEqual([[2, 3], [1, 2], [0, 1]]);
    expect((await store.boards.beds.unitHistory(PITIE, 'REA_MED', '2020-03-21T08:00:00.000Z', 100)).map((r) => r.version)).toEqual([3, 2]);
    expect((await store.boards.beds.unitHistory(PITIE, 'REA_MED', '2020-03-21T09:00:00+01:00', 100)).map((r) => r.version)).toEqual([3, 2]);
    expect((await store.boards.beds.unitHistory(PITIE, 'REA_MED', '2020-03-21T08:00:00.001Z', 100)).map((r) => r.version)).toEqual([3]);
    expect((await store.boards.beds.unitHistory(PITIE, 'REA_MED', undefined, 1)).map((r) => r.version)).toEqual([3]);
    expect(await store.boards.beds.unitHistory(PITIE, 'SI_USIC', '2020-03-21T09:00:00.000Z', 10)).toHaveLength(1);
    expect(await store.boards.beds.unitHistory(PITIE, 'SI_USIC', '2020-03-21T09:00:00.001Z', 10)).toHaveLength(0);
  });
});
