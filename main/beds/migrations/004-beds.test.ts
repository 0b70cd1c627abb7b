import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir } from '../../store/testSupport';

it('migration 4 (beds) upgrades a version-3 cache with pending work: the outbox stays, unit tables start empty, one current report per unit', () => {
  const t = tempDir('m004');
  const { db: old, file } = cacheAt(3, t.dir);
  old.prepare("INSERT INTO outbox (mutation_id, name, args, at) VALUES (1, 'message.post', '{}', '2020-03-24T08:00:00.000Z')").run();
  old.close();
  const db = openDatabase(file, CACHE_MIGRATIONS.slice(0, 4));
  try {
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    expect(db.prepare('SELECT mutation_id, status FROM outbox').all()).toEqual([{ mutation_id: 1, status: 'pending' }]);
    for (const table of ['units', 'unit_history', 'ov_units']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    const insert = db.prepare(
      `INSERT INTO units (id, finess, unit_type, installed, staffed, available, covid_pos, covid_neg, extra24h, extra72h, comment, source,
        reported_by, reported_role, at, version) VALUES (?, '750100125', 'REA_MED', 10, 8, 2, NULL, NULL, NULL, NULL, '', 'app', 'x', 'x', 'now', 1)`,
    );
    insert.run('a');
    expect(() => insert.run('b')).toThrow(/UNIQUE/);
  } finally {
    db.close();
    t.cleanup();
  }
});
