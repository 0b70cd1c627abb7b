import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir } from '../../store/testSupport';

it('migration 5 numbers the units a version-4 cache already holds, and its triggers bump every change to a unit', () => {
  const t = tempDir('m005');
  const { db: old, file } = cacheAt(4, t.dir);
  const cols = `id, finess, unit_type, installed, staffed, available, covid_pos, covid_neg, extra24h, extra72h, comment, source,
      reported_by, reported_role, at, version`;
  const row = (id: string, finess: string, unitType: string, version: number) =>
    `'${id}', '${finess}', '${unitType}', 10, 8, 2, NULL, NULL, NULL, NULL, '', 'app', 'x', 'x', '2020-03-24T08:00:00.000Z', ${version}`;
  old.exec(`INSERT INTO units (${cols}) VALUES (${row('a', '750100125', 'REA_MED', 1)}), (${row('b', '750100125', 'USC_MED', 2)})`);
  old.exec(`INSERT INTO ov_units (mutation_id, ${cols}) VALUES (7, ${row('c', '750100042', 'REA_MED', 0)})`);
  old.close();
  // Version 5 exactly: its triggers are what it shipped (migration 7 hands the counter to the engine).
  const db = openDatabase(file, CACHE_MIGRATIONS.slice(0, 5));
  try {
    const seqs = () => db.prepare('SELECT finess, unit_type, seq FROM unit_changes ORDER BY seq').all();
    // Every unit present (server or pending) is numbered once, in key order.
    expect(seqs()).toEqual([
      { finess: '750100042', unit_type: 'REA_MED', seq: 1 },
      { finess: '750100125', unit_type: 'REA_MED', seq: 2 },
      { finess: '750100125', unit_type: 'USC_MED', seq: 3 },
    ]);
    // A newer server row, a settled overlay row: each moves its unit after the others.
    db.prepare("UPDATE units SET available = 1, version = 5 WHERE id = 'a'").run();
    db.prepare('DELETE FROM ov_units WHERE mutation_id = 7').run();
    expect(seqs()).toEqual([
      { finess: '750100125', unit_type: 'USC_MED', seq: 3 },
      { finess: '750100125', unit_type: 'REA_MED', seq: 4 },
      { finess: '750100042', unit_type: 'REA_MED', seq: 5 },
    ]);
  } finally {
    db.close();
    t.cleanup();
  }
});
