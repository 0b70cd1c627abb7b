import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 19 adds allocation rounds and their lines (one per establishment and round, never a negative quota), leaving the rest as it was', () => {
  const t = tempDir();
  const { db } = serverDbAt(18, t.dir);
  try {
    const tables = () => (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    const before = tables();
    migrate(db, SERVER_MIGRATIONS.slice(0, 19));
    expect(tables().filter((n) => !before.includes(n)).sort()).toEqual(['allocation_lines', 'allocation_rounds']);
    db.exec(`INSERT INTO allocation_rounds (id, cip13, data, version, scope_path) VALUES ('r1', '3400956100163', '{}', 1, '/FR/')`);
    const line = (id: string, finess: string, quota: number) =>
      db.exec(`INSERT INTO allocation_lines (id, round_id, finess, quota, confirmed_at, data, version, scope_path) VALUES ('${id}', 'r1', '${finess}', ${quota}, NULL, '{}', 2, '/FR/')`);
    line('r1:750100125', '750100125', 12);
    expect(() => line('x', '750100125', 3)).toThrow(/UNIQUE/);
    expect(() => line('y', '750100232', -1)).toThrow(/CHECK/);
    expect(() => db.exec(`INSERT INTO allocation_rounds (id, cip13, data, version, scope_path) VALUES ('r2', '3400956100163', 'not json', 1, '/FR/')`)).toThrow(/CHECK/);
  } finally {
    db.close();
    t.cleanup();
  }
});
