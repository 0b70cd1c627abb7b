import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS, localStoreOn } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir, testTerritories } from '../../store/testSupport';

it('migration 9 keys a version-8 cache’s units by unit id (the type’s code), keeps history, pending reports and change numbers, and then holds two units of one type', () => {
  const t = tempDir('m009');
  const { db: old, file } = cacheAt(8, t.dir);
  const cols = `id, finess, unit_type, installed, staffed, available, covid_pos, covid_neg, extra24h, extra72h, comment, source, reported_by, reported_role, at, version`;
  const row = (id: string, unitType: string, available: number, version: number) =>
    `'${id}', '750100125', '${unitType}', 10, 8, ${available}, NULL, NULL, NULL, NULL, '', 'app', 'x', 'x', '2020-03-24T08:00:00.000Z', ${version}`;
  old.exec(`INSERT INTO units (${cols}, change_seq) VALUES (${row('a', 'REA_MED', 2, 1)}, 4), (${row('b', 'USC_MED', 1, 2)}, 5)`);
  old.exec(`INSERT INTO unit_changes (finess, unit_type, seq) VALUES ('750100125', 'REA_MED', 2)`);
  old.exec(`INSERT INTO unit_history (${cols}) VALUES (${row('h', 'REA_MED', 6, 0)})`);
  old.exec(`INSERT INTO ov_units (mutation_id, ${cols}) VALUES (3, ${row('p', 'REA_MED', 5, 0)})`);
  old.close();

  const db = openDatabase(file, CACHE_MIGRATIONS.slice(0, 9));
  try {
    expect(db.prepare('SELECT id, unit_id, unit_type, unit_name, at_known, change_seq FROM units ORDER BY id').all()).toEqual([
      { id: 'a', unit_id: 'REA_MED', unit_type: 'REA_MED', unit_name: null, at_known: 1, change_seq: 4 },
      { id: 'b', unit_id: 'USC_MED', unit_type: 'USC_MED', unit_name: null, at_known: 1, change_seq: 5 },
    ]);
    expect(db.prepare('SELECT finess, unit_id, seq FROM unit_changes').all()).toEqual([{ finess: '750100125', unit_id: 'REA_MED', seq: 2 }]);
    expect(db.prepare('SELECT id, unit_id, at_known FROM unit_history').all()).toEqual([{ id: 'h', unit_id: 'REA_MED', at_known: 1 }]);
    expect(db.prepare('SELECT mutation_id, unit_id, available FROM ov_units').all()).toEqual([{ mutation_id: 3, unit_id: 'REA_MED', available: 5 }]);
  } finally {
    db.close();
  }

  const store = localStoreOn(openDatabase(file, CACHE_MIGRATIONS), testTerritories());
  try {
    // The pending report still shows on top of its unit; the other unit is as it was.
    expect(store.boards.beds.listUnits().map((u) => [u.unitId, u.available, u.pending])).toEqual([
      ['REA_MED', 5, true],
      ['USC_MED', 1, false],
    ]);
    store.applyChanges([
      {
        version: 9,
        entity: 'unit',
        data: {
          id: 'c', finess: '750100125', unitId: 'Babinski', unitName: 'Babinski', unitType: 'REA_MED', installed: 12, staffed: 12, available: 3,
          covidPos: null, covidNeg: null, extra24h: null, extra72h: null, comment: '', source: 'feed', reportedBy: 'ROR', reportedRole: 'ars:11',
          at: '2020-03-24T09:00:00.000Z', atKnown: true, version: 9, surge: null, assignment: null, temporary: false, ror: null,
        },
      },
    ]);
    expect(store.boards.beds.listUnits().map((u) => [u.unitId, u.unitType, u.available])).toEqual([
      ['Babinski', 'REA_MED', 3],
      ['REA_MED', 'REA_MED', 5],
      ['USC_MED', 'USC_MED', 1],
    ]);
  } finally {
    store.close();
    t.cleanup();
  }
});
