import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS, localStoreOn } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir, testTerritories } from '../../store/testSupport';

it('migration 18 adds the redeployments and their overlay; the stock lines stay as they were', () => {
  const t = tempDir('m018');
  const { db: old, file } = cacheAt(17, t.dir);
  const before = (old.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
  old.close();
  const store = localStoreOn(openDatabase(file, CACHE_MIGRATIONS), testTerritories());
  try {
    const after = (store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
    // Later steps' tables (allocation rounds, 19) aside.
    expect(after.filter((n) => !before.includes(n) && !n.includes('allocation_')).sort()).toEqual(['ov_redeployments', 'redeployments']);
    expect(store.boards.stocks.redeployments()).toEqual([]);
    expect(store.boards.stocks.currentLines()).toEqual([]);
  } finally {
    store.close();
    t.cleanup();
  }
});
