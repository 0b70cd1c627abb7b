import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 14 adds the transfers and holds tables, leaving the rest as it was', () => {
  const t = tempDir();
  const { db } = serverDbAt(13, t.dir);
  try {
    const before = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    migrate(db, SERVER_MIGRATIONS.slice(0, 14));
    const after = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    expect(after.filter((n) => !before.includes(n)).sort()).toEqual(['holds', 'operations', 'transfers']);
    // A hold's state is one of three, a transfer's data is JSON.
    db.exec(`INSERT INTO transfers (id, state, origin_finess, dest_finess, data, version, scope_path) VALUES ('t1', 'demande', '750100125', NULL, '{}', 1, '/FR/')`);
    expect(() => db.exec(`INSERT INTO holds (id, transfer_id, finess, unit_id, state, expires_at, data, version, scope_path) VALUES ('h1', 't1', '750100232', 'REA_MED', 'lost', 'x', '{}', 2, '/FR/')`)).toThrow(/CHECK/);
    expect(() => db.exec(`INSERT INTO transfers (id, state, origin_finess, dest_finess, data, version, scope_path) VALUES ('t2', 'demande', '750100125', NULL, 'nope', 1, '/FR/')`)).toThrow(/CHECK/);
  } finally {
    db.close();
    t.cleanup();
  }
});
