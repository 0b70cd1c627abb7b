import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS, localStoreOn } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir, testTerritories } from '../../store/testSupport';

it('migration 10 keeps a version-9 cache’s reports (server copy, history, pending) with no surge and no ROR detail', () => {
  const t = tempDir('m010');
  const { db: old, file } = cacheAt(9, t.dir);
  const cols = `id, finess, unit_id, unit_type, installed, staffed, available, comment, source, reported_by, reported_role, at, version`;
  const row = (id: string, available: number) => `'${id}', '750100125', 'REA_MED', 'REA_MED', 10, 8, ${available}, '', 'app', 'x', 'x', '2020-03-24T08:00:00.000Z', 1`;
  old.exec(`INSERT INTO units (${cols}) VALUES (${row('a', 2)})`);
  old.exec(`INSERT INTO unit_history (${cols}) VALUES (${row('h', 3)})`);
  old.exec(`INSERT INTO ov_units (mutation_id, ${cols}) VALUES (4, ${row('p', 5)})`);
  old.close();
  const store = localStoreOn(openDatabase(file, CACHE_MIGRATIONS), testTerritories());
  try {
    for (const table of ['units', 'unit_history', 'ov_units']) {
      expect(store.db.prepare(`SELECT surge, assignment, temporary, ror FROM ${table}`).all()).toEqual([{ surge: null, assignment: null, temporary: 0, ror: null }]);
    }
    expect(store.boards.beds.listUnits()).toEqual([expect.objectContaining({ available: 5, pending: true, surge: null, temporary: false, ror: null })]);
  } finally {
    store.close();
    t.cleanup();
  }
});
