import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalStore, type VigieStore } from '../boards';
import { actorFor, tempDir, testTerritories } from '../store/testSupport';
import type { UnitReport } from '../../common/domain/beds/model';
import { DEFAULT_FRESHNESS } from '../../common/domain/beds/totals';
import type { Change } from '../../common/protocol';

const PITIE = '750100125';
const pitie = actorFor('u-pitie', `establishment:${PITIE}`, 'Dr Nadia Benali');
const ars11 = actorFor('u-ars11', 'ars:11', 'ARS IdF');

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

function openStore(): { store: VigieStore; file: string } {
  const t = tempDir('store-beds');
  const file = join(t.dir, 'cache.sqlite');
  const store = openLocalStore(file, testTerritories());
  cleanups.push(() => {
    store.close();
    t.cleanup();
  });
  return { store, file };
}

function serverReport(over: Partial<UnitReport> = {}): UnitReport {
  return {
    id: randomUUID(),
    finess: PITIE,
    unitType: over.unitType ?? 'REA_MED',
    unitId: over.unitType ?? 'REA_MED',
    unitName: null,
    atKnown: true,
    surge: null,
    assignment: null,
    temporary: false,
    ror: null,
    installed: 20,
    staffed: 18,
    available: 4,
    covidPos: 10,
    covidNeg: 4,
    extra24h: null,
    extra72h: null,
    comment: '',
    source: 'app',
    reportedBy: 'Autre poste',
    reportedRole: `establishment:${PITIE}`,
    at: '2020-03-24T08:00:00.000Z',
    version: 3,
    ...over,
  };
}
const unitChange = (data: UnitReport): Change => ({ version: data.version, entity: 'unit', data });

const report = (over: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  finess: PITIE,
  unitType: 'REA_MED',
  installed: 20,
  staffed: 18,
  available: 5,
  ...over,
});

describe('local store: unit reports', () => {
  it('a local report shows at once, pending, on top of the server’s current report', () => {
    const { store } = openStore();
    store.applyPull([unitChange(serverReport({ version: 3 }))], 3);
    expect(store.boards.beds.listUnits()).toEqual([expect.objectContaining({ available: 4, pending: false, version: 3 })]);
    const r = store.mutate('unit.report', report({ available: 6 }), pitie);
    expect(r).toEqual({ ok: true, mutationId: 1 });
    expect(store.boards.beds.listUnits()).toEqual([expect.objectContaining({ available: 6, pending: true, reportedBy: 'Dr Nadia Benali' })]);
    expect(store.boards.beds.currentReport(PITIE, 'REA_MED')?.available).toBe(6);
    expect(store.boards.beds.serverUnit(PITIE, 'REA_MED')?.available).toBe(4);
  });

  it('the jump rule reads the pending report: a second change is measured from the first', () => {
    const { store } = openStore();
    store.applyPull([unitChange(serverReport({ available: 4 }))], 3);
    expect(store.mutate('unit.report', report({ available: 8 }), pitie).ok).toBe(true); // +4: fine
    const jump = store.mutate('unit.report', report({ available: 13 }), pitie); // +5 from the pending 8
    expect(jump).toEqual({ ok: false, reason: 'Variation de 5 lits depuis le dernier relevé (plus de 4) : confirmez ces chiffres.' });
    expect(store.mutate('unit.report', report({ available: 13, confirmJump: true }), pitie).ok).toBe(true);
    expect(store.counts().pending).toBe(2);
  });

  it('a server row replaces the current one only when its version is newer', () => {
    const { store } = openStore();
    store.applyChanges([unitChange(serverReport({ available: 7, version: 9 }))]);
    store.applyChanges([unitChange(serverReport({ available: 2, version: 5 }))]);
    expect(store.boards.beds.serverUnit(PITIE, 'REA_MED')).toMatchObject({ available: 7, version: 9 });
    const result = store.applyChanges([unitChange(serverReport({ available: 3, version: 12 }))]);
    expect(result.entities).toEqual(['unit']);
    expect(store.boards.beds.serverUnit(PITIE, 'REA_MED')).toMatchObject({ available: 3, version: 12 });
  });

  it('latest-report-wins in server order: a report the server applied after ours replaces ours', () => {
    const { store } = openStore();
    store.mutate('unit.report', report({ available: 5 }), pitie);
    store.recordResults([{ mutationId: 1, status: 'applied', version: 10 }]);
    // An older report (ordered before ours) arrives: ours stays on top.
    store.applyChanges([unitChange(serverReport({ available: 2, version: 8 }))]);
    expect(store.boards.beds.listUnits()).toEqual([expect.objectContaining({ available: 5, pending: true })]);
    // Another workstation's report, ordered after ours, arrives before our own row: it wins.
    store.applyChanges([unitChange(serverReport({ available: 1, version: 11 }))]);
    expect(store.boards.beds.listUnits()).toEqual([expect.objectContaining({ available: 1, pending: false, version: 11 })]);
    expect(store.overlayCount()).toBe(0);
    // Our own row arriving late changes nothing: the server's order decides.
    store.applyChanges([unitChange(serverReport({ available: 5, version: 10 }))]);
    expect(store.boards.beds.listUnits()).toEqual([expect.objectContaining({ available: 1, version: 11 })]);
  });

  it('an answer `applied` after the row arrived settles the overlay at once', () => {
    const { store } = openStore();
    const args = report({ available: 5 });
    store.mutate('unit.report', args, pitie);
    store.applyChanges([unitChange(serverReport({ id: args.id, available: 5, version: 4 }))]);
    expect(store.overlayCount()).toBe(1); // not answered yet: kept
    store.recordResults([{ mutationId: 1, status: 'applied', version: 4 }]);
    expect(store.overlayCount()).toBe(0);
    expect(store.boards.beds.listUnits()).toEqual([expect.objectContaining({ id: args.id, pending: false })]);
  });

  it('a rejected report disappears from the picture and stays in the outbox with its reason', () => {
    const { store } = openStore();
    store.applyPull([unitChange(serverReport({ available: 4 }))], 3);
    store.mutate('unit.report', report({ available: 6 }), pitie);
    const rejected = store.recordResults([{ mutationId: 1, status: 'rejected', reason: 'Refusé par le serveur.' }]);
    expect(rejected).toEqual([expect.objectContaining({ mutationId: 1, name: 'unit.report', reason: 'Refusé par le serveur.' })]);
    expect(store.boards.beds.listUnits()).toEqual([expect.objectContaining({ available: 4, pending: false })]);
  });

  it('changes since a counter: only the units whose visible report changed, whatever the path (server row, pending report, settled or rejected overlay)', () => {
    const { store } = openStore();
    expect(store.boards.beds.unitChangesSince(0)).toEqual({ full: true, units: [], removed: [], cursor: 0 });
    store.applyPull(
      [unitChange(serverReport({ available: 4, version: 3 })), unitChange(serverReport({ unitType: 'USC_MED', available: 2, version: 4 }))],
      4,
    );
    const first = store.boards.beds.unitChangesSince(0);
    expect(first.full).toBe(true);
    expect(first.units.map((u) => u.unitType)).toEqual(['REA_MED', 'USC_MED']);
    const c0 = first.cursor;
    expect(store.boards.beds.unitChangesSince(c0)).toEqual({ full: false, units: [], removed: [], cursor: c0 });

    // A pending local report: that unit alone, shown pending.
    store.mutate('unit.report', report({ available: 6 }), pitie);
    const c1 = store.boards.beds.unitChangesSince(c0);
    expect(c1.units).toEqual([expect.objectContaining({ unitType: 'REA_MED', available: 6, pending: true })]);
    expect(c1.cursor).toBeGreaterThan(c0);

    // An older server row changes nothing visible in the table: no change.
    store.applyChanges([unitChange(serverReport({ unitType: 'USC_MED', available: 9, version: 2 }))]);
    expect(store.boards.beds.unitChangesSince(c1.cursor).units).toEqual([]);

    // Rejected: the overlay goes, the server's figures show again.
    store.recordResults([{ mutationId: 1, status: 'rejected', reason: 'Refusé par le serveur.' }]);
    const c2 = store.boards.beds.unitChangesSince(c1.cursor);
    expect(c2.units).toEqual([expect.objectContaining({ unitType: 'REA_MED', available: 4, pending: false })]);
    expect(c2.removed).toEqual([]);

    // A newer server row for the other unit.
    store.applyChanges([unitChange(serverReport({ unitType: 'USC_MED', available: 1, version: 7 }))]);
    const c3 = store.boards.beds.unitChangesSince(c2.cursor);
    expect(c3.units).toEqual([expect.objectContaining({ unitType: 'USC_MED', available: 1, version: 7 })]);
    // An older reader gets both, each once, with its latest figures.
    expect(store.boards.beds.unitChangesSince(c1.cursor).units.map((u) => [u.unitType, u.available])).toEqual([
      ['REA_MED', 4],
      ['USC_MED', 1],
    ]);
  });

  it('a unit known only from a pending report that the server rejects is reported removed', () => {
    const { store } = openStore();
    store.mutate('unit.report', report({ unitType: 'REA_PED', available: 3 }), pitie);
    const before = store.boards.beds.unitChangesSince(0);
    expect(before.units).toEqual([expect.objectContaining({ unitType: 'REA_PED', pending: true })]);
    store.recordResults([{ mutationId: 1, status: 'rejected', reason: 'Refusé par le serveur.' }]);
    expect(store.boards.beds.unitChangesSince(before.cursor)).toEqual({
      full: false,
      units: [],
      removed: [{ finess: PITIE, unitId: 'REA_PED' }],
      cursor: before.cursor + 1,
    });
  });

  it('the current figures are the latest observation: a late report of old figures stays in the history', () => {
    const { store } = openStore();
    const at10 = serverReport({ available: 4, version: 3, at: '2020-03-24T10:00:00.000Z' });
    const at0830 = serverReport({ available: 9, version: 4, at: '2020-03-24T09:30:00+01:00' });
    const alsoAt10 = serverReport({ available: 2, version: 5, at: '2020-03-24T11:00:00+01:00' });
    const at9 = serverReport({ available: 7, version: 2, at: '2020-03-24T09:00:00.000Z' });
    store.applyPull([unitChange(at10)], 3);
    const c0 = store.boards.beds.unitCursor();
    store.applyChanges([unitChange(at0830)]);
    expect(store.boards.beds.listUnits()).toEqual([expect.objectContaining({ available: 4, version: 3 })]);
    // Nothing changed for the views.
    expect(store.boards.beds.unitChangesSince(c0).units).toEqual([]);
    // Observed at the same instant, the later server version wins.
    store.applyChanges([unitChange(alsoAt10)]);
    expect(store.boards.beds.listUnits()).toEqual([expect.objectContaining({ available: 2, version: 5 })]);

    // The history, by observation time (equal times: later version first), whatever order it came in.
    store.boards.beds.cacheHistory([at10, at0830, alsoAt10, at9]);
    expect(store.boards.beds.cachedHistory(PITIE, 'REA_MED', '2020-03-01T00:00:00Z', 10).map((r) => [r.version, r.available])).toEqual([
      [5, 2],
      [3, 4],
      [2, 7],
      [4, 9],
    ]);
  });

  it('two units of one type are two rows; a pending report shows unless the server holds a later observation', () => {
    const { store } = openStore();
    store.applyPull([unitChange(serverReport({ version: 3 })), unitChange(serverReport({ unitId: 'Babinski', unitName: 'Babinski', available: 1, version: 4 }))], 4);
    expect(store.boards.beds.listUnits().map((u) => [u.unitId, u.unitName, u.available])).toEqual([
      ['Babinski', 'Babinski', 1],
      ['REA_MED', null, 4],
    ]);
    store.mutate('unit.report', report({ unitId: 'Babinski', available: 2 }), pitie);
    const shown = () => store.boards.beds.listUnits().map((u) => [u.unitId, u.available, u.pending]);
    expect(shown()).toEqual([
      ['Babinski', 2, true],
      ['REA_MED', 4, false],
    ]);
    // Another post's figures observed after this one's: they are the unit's current figures.
    store.applyChanges([unitChange(serverReport({ unitId: 'Babinski', available: 0, version: 6, at: new Date(Date.now() + 60_000).toISOString() }))]);
    expect(shown()).toEqual([
      ['Babinski', 0, false],
      ['REA_MED', 4, false],
    ]);
  });

  it('a counter this cache never gave (another cache file) answers the whole picture', () => {
    const { store } = openStore();
    store.applyPull([unitChange(serverReport())], 3);
    const answer = store.boards.beds.unitChangesSince(1_000);
    expect(answer.full).toBe(true);
    expect(answer.units).toHaveLength(1);
  });

  it('the picture listed as the cache opens answers the first full read only while nothing has changed since', async () => {
    const { store, file } = openStore();
    store.applyPull([unitChange(serverReport({ available: 4, version: 3 })), unitChange(serverReport({ unitType: 'USC_MED', available: 2, version: 4 }))], 4);
    store.close();
    const tick = () => new Promise((r) => setTimeout(r, 0));

    // Listed as it opens; a pending report arrives before the window asks: the answer has it.
    const reopened = openLocalStore(file, testTerritories());
    cleanups.push(() => reopened.close());
    await tick();
    reopened.mutate('unit.report', report({ available: 6 }), pitie);
    const first = reopened.boards.beds.unitChangesSince(0);
    expect(first.full).toBe(true);
    expect(first.units.map((u) => [u.unitType, u.available, u.pending])).toEqual([
      ['REA_MED', 6, true],
      ['USC_MED', 2, false],
    ]);
    expect(first.cursor).toBe(reopened.boards.beds.unitCursor());

    // Nothing changed since the listing: the same picture, and a later full read lists again.
    reopened.close();
    const again = openLocalStore(file, testTerritories());
    cleanups.push(() => again.close());
    await tick();
    const listed = again.boards.beds.unitChangesSince(0);
    expect(listed).toEqual({ full: true, units: again.boards.beds.listUnits(), removed: [], cursor: again.boards.beds.unitCursor() });
    again.applyChanges([unitChange(serverReport({ unitType: 'USC_MED', available: 1, version: 7 }))]);
    expect(again.boards.beds.unitChangesSince(0).units.map((u) => [u.unitType, u.available])).toEqual([
      ['REA_MED', 6],
      ['USC_MED', 1],
    ]);
  });

  it('a cache closed before its picture is listed ahead lists nothing and throws nothing', async () => {
    const { file } = openStore();
    const closing = openLocalStore(file, testTerritories());
    closing.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(closing.isOpen).toBe(false);
  });

  it('mutateAll queues every report in one transaction, or none when one is refused', () => {
    const { store } = openStore();
    const items = [
      { name: 'unit.report', args: report({ unitType: 'REA_MED', source: 'import' }) },
      { name: 'unit.report', args: report({ unitType: 'REA_CHIR', source: 'import' }) },
      { name: 'unit.report', args: report({ finess: '290000025', unitType: 'REA_MED', source: 'import' }) }, // Quimper: Bretagne
    ];
    const refused = store.mutateAll(items, ars11);
    expect(refused).toEqual({ ok: false, index: 2, reason: 'Le territoire « CHI de Cornouaille Quimper » est hors de votre périmètre.' });
    expect(store.counts().pending).toBe(0);
    expect(store.overlayCount()).toBe(0);
    expect(store.boards.beds.listUnits()).toEqual([]);
    const done = store.mutateAll(items.slice(0, 2), ars11);
    expect(done).toEqual({ ok: true, mutationIds: [1, 2] });
    expect(store.boards.beds.listUnits().map((u) => [u.unitType, u.source, u.pending])).toEqual([
      ['REA_CHIR', 'import', true],
      ['REA_MED', 'import', true],
    ]);
  });

  it('dryRun gives each item’s reason and writes nothing', () => {
    const { store } = openStore();
    const reasons = store.dryRun(
      [
        { name: 'unit.report', args: report({ source: 'import' }) },
        { name: 'unit.report', args: report({ source: 'app' }) },
        { name: 'unit.report', args: report({ available: 19, source: 'import' }) },
      ],
      ars11,
    );
    expect(reasons).toEqual([
      null,
      'Votre rôle consulte les lits sans les déclarer (import d’extrait ROR ou flux de registre exceptés).',
      'Lits disponibles (19) supérieurs aux lits armés (18) : un lit vide n’est disponible que s’il est armé.',
    ]);
    expect(store.counts().pending).toBe(0);
    expect(store.overlayCount()).toBe(0);
    expect(store.mutate('unit.report', report({ source: 'import' }), ars11)).toEqual({ ok: true, mutationId: 1 });
  });

  it('keeps the history it has seen (arrived reports and history answers), newest first, per unit', () => {
    const { store } = openStore();
    store.applyChanges([unitChange(serverReport({ at: '2020-03-24T08:00:00.000Z', version: 3 }))]);
    store.boards.beds.cacheHistory([
      serverReport({ at: '2020-03-23T08:00:00.000Z', version: 2 }),
      serverReport({ at: '2020-03-22T08:00:00.000Z', version: 1 }),
      serverReport({ unitType: 'REA_CHIR', at: '2020-03-23T09:00:00.000Z', version: 2 }),
    ]);
    const h = store.boards.beds.cachedHistory(PITIE, 'REA_MED', '2020-03-22T12:00:00.000Z', 100);
    expect(h.map((r) => r.version)).toEqual([3, 2]);
  });

  it('bed settings: defaults until set, then what was saved, kept across reopening', () => {
    const { store, file } = openStore();
    expect(store.boards.beds.bedSettings()).toEqual(DEFAULT_FRESHNESS);
    store.boards.beds.setBedSettings({ staleAfterHours: 12, thresholds: { fewFree: 3 } });
    store.close();
    const again = openLocalStore(file, testTerritories());
    try {
      expect(again.boards.beds.bedSettings()).toEqual({ staleAfterHours: 12, thresholds: { fewFree: 3 } });
      // Settings of an earlier release (occupancy percentages): the stale delay is kept, tension takes its defaults.
      again.setMeta('bed_settings', JSON.stringify({ staleAfterHours: 36, thresholds: { orange: 0.6, red: 0.85 } }));
      expect(again.boards.beds.bedSettings()).toEqual({ staleAfterHours: 36, thresholds: { fewFree: 2 } });
    } finally {
      again.close();
    }
  });
});
