import { expect, it } from 'vitest';
import type { UnitReport } from '../../../common/domain/beds/model';
import { CACHE_MIGRATIONS, localStoreOn } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir, testTerritories } from '../../store/testSupport';

const report = (over: Partial<UnitReport>): UnitReport => ({
  id: 'r',
  finess: '750100125',
  unitType: over.unitType ?? 'REA_MED',
  unitId: over.unitType ?? 'REA_MED',
  unitName: null,
  atKnown: true,
  surge: null,
  assignment: null,
  temporary: false,
  ror: null,
  installed: 10,
  staffed: 8,
  available: 2,
  covidPos: null,
  covidNeg: null,
  extra24h: null,
  extra72h: null,
  comment: '',
  source: 'app',
  reportedBy: 'x',
  reportedRole: 'establishment:750100125',
  at: '2020-03-24T08:00:00.000Z',
  version: 1,
  ...over,
});

it('migration 7 drops the unit triggers, keeps the counter, and the engine stamps each server row it writes with one value per transaction', () => {
  const t = tempDir('m007');
  const { db: old, file } = cacheAt(6, t.dir);
  const cols = `id, finess, unit_type, installed, staffed, available, covid_pos, covid_neg, extra24h, extra72h, comment, source, reported_by, reported_role, at, version`;
  old.exec(`INSERT INTO units (${cols}) VALUES ('a', '750100125', 'REA_MED', 10, 8, 2, NULL, NULL, NULL, NULL, '', 'app', 'x', 'x', '2020-03-24T07:00:00.000Z', 1)`);
  expect(old.prepare('SELECT seq FROM unit_changes').all()).toEqual([{ seq: 1 }]);
  old.close();
  const db = openDatabase(file, CACHE_MIGRATIONS.slice(0, 7));
  try {
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND (tbl_name = 'units' OR tbl_name = 'ov_units')").all()).toEqual([]);
    expect(db.prepare("SELECT change_seq FROM units WHERE id = 'a'").get()).toEqual({ change_seq: 0 });
    // A write outside the engine moves nothing any more…
    db.prepare("UPDATE units SET available = 1 WHERE id = 'a'").run();
    expect(db.prepare('SELECT finess, unit_type, seq FROM unit_changes').all()).toEqual([{ finess: '750100125', unit_type: 'REA_MED', seq: 1 }]);
  } finally {
    db.close();
  }
  // …and the engine moves each unit it writes once, above every earlier value.
  const store = localStoreOn(openDatabase(file, CACHE_MIGRATIONS), testTerritories());
  try {
    store.applyPull(
      [
        { version: 5, entity: 'unit', data: report({ id: 'b', version: 5, available: 0 }) },
        { version: 6, entity: 'unit', data: report({ id: 'c', unitType: 'USC_MED', version: 6 }) },
        { version: 7, entity: 'unit', data: report({ id: 'd', version: 7, available: 1 }) },
      ],
      7,
    );
    // One value for the page, above the counter's old values; no second row per unit.
    expect(store.db.prepare('SELECT unit_type, change_seq FROM units ORDER BY unit_type').all()).toEqual([
      { unit_type: 'REA_MED', change_seq: 2 },
      { unit_type: 'USC_MED', change_seq: 2 },
    ]);
    expect(store.db.prepare('SELECT seq FROM unit_changes').all()).toEqual([{ seq: 1 }]);
    expect(store.boards.beds.unitCursor()).toBe(2);
    expect(store.boards.beds.unitChangesSince(1).units.map((u) => [u.unitType, u.available]).sort()).toEqual([
      ['REA_MED', 1],
      ['USC_MED', 2],
    ]);
  } finally {
    store.close();
    t.cleanup();
  }
});
