import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir } from '../../store/testSupport';

it('migration 20 lets a pending stock line be found by its id through an index, not a scan', () => {
  const t = tempDir('m020');
  const { db: old, file } = cacheAt(19, t.dir);
  const plan = (db: typeof old) =>
    (db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM ov_stock_lines WHERE id = ?`).all('x') as Array<{ detail: string }>).map((r) => r.detail).join(' ');
  expect(plan(old)).toMatch(/SCAN ov_stock_lines/);
  old.close();
  const db = openDatabase(file, CACHE_MIGRATIONS.slice(0, 20));
  try {
    expect(plan(db)).toMatch(/SEARCH ov_stock_lines USING INDEX ov_stock_lines_id/);
  } finally {
    db.close();
    t.cleanup();
  }
});
