import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 18 adds the redeployments table, refusing a move to itself, no unit or an unknown state', () => {
  const t = tempDir();
  const { db } = serverDbAt(17, t.dir);
  try {
    const tables = () => (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    const before = tables();
    migrate(db, SERVER_MIGRATIONS.slice(0, 18));
    expect(tables().filter((n) => !before.includes(n))).toEqual(['redeployments']);
    const insert = (id: string, from: string, to: string, units: number, state = 'propose') =>
      db.exec(`INSERT INTO redeployments (id, region, molecule, cip13, from_finess, to_finess, units, state, data, version, scope_path)
        VALUES ('${id}', '11', 'propofol', '3400956100163', '${from}', '${to}', ${units}, '${state}', '{}', 1, '/FR/')`);
    insert('a', '750100125', '750100232', 5);
    expect(() => insert('b', '750100125', '750100125', 5)).toThrow(/CHECK/);
    expect(() => insert('c', '750100125', '750100232', 0)).toThrow(/CHECK/);
    expect(() => insert('d', '750100125', '750100232', 1, 'perdu')).toThrow(/CHECK/);
  } finally {
    db.close();
    t.cleanup();
  }
});
