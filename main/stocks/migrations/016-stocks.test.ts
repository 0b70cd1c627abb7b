import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS, localStoreOn } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir, testTerritories } from '../../store/testSupport';

it('migration 16 adds the stock lines and their overlay; a cache of 0.x keeps all it had', () => {
  const t = tempDir('m016');
  const { db: old, file } = cacheAt(15, t.dir);
  const before = (old.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
  old.close();
  const store = localStoreOn(openDatabase(file, CACHE_MIGRATIONS), testTerritories());
  try {
    const after = (store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
    // Tables of later steps (allocation rounds, 18) aside.
    expect(after.filter((n) => !before.includes(n) && !n.includes('allocation_')).sort()).toEqual(['ov_stock_lines', 'stock_lines']);
    expect(store.boards.stocks.currentLines()).toEqual([]);
    expect(store.boards.stocks.settings()).toEqual({ red: 3, orange: 7 });
  } finally {
    store.close();
    t.cleanup();
  }
});
