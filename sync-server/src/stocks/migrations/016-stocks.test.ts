import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 16 adds the stock lines and each presentation’s current line, leaving the rest as it was', () => {
  const t = tempDir();
  const { db } = serverDbAt(15, t.dir);
  try {
    const tables = () => (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    const before = tables();
    migrate(db, SERVER_MIGRATIONS.slice(0, 16));
    expect(tables().filter((n) => !before.includes(n)).sort()).toEqual(['stock_current', 'stock_lines']);
    const insert = (id: string, onHand: number, daysOut = 0, source = 'pui') =>
      db.exec(`INSERT INTO stock_lines (id, finess, cip13, molecule, on_hand, used_7d, daily_use, days_out, delivered, comment, source, reported_by, reported_role, at, version, scope_path)
        VALUES ('${id}', '750100125', '3400956100163', 'propofol', ${onHand}, 70, NULL, ${daysOut}, 0, '', '${source}', 'x', 'pui:750100125', '2020-04-06T08:00:00Z', 1, '/FR/')`);
    insert('a', 12.5);
    expect(() => insert('b', -1)).toThrow(/CHECK/);
    expect(() => insert('c', 1, 8)).toThrow(/CHECK/);
    expect(() => insert('d', 1, 0, 'feed')).toThrow(/CHECK/);
    db.exec(`INSERT INTO stock_current (finess, cip13, line_id, version, scope_path, at) VALUES ('750100125', '3400956100163', 'a', 1, '/FR/', '2020-04-06T08:00:00Z')`);
    expect(() => db.exec(`INSERT INTO stock_current (finess, cip13, line_id, version, scope_path, at) VALUES ('750100125', '3400956100163', 'a', 2, '/FR/', 'x')`)).toThrow(/UNIQUE/);
  } finally {
    db.close();
    t.cleanup();
  }
});
