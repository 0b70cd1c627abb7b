import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS, localStoreOn } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir, testTerritories } from '../../store/testSupport';

it('migration 19 adds allocation rounds and lines with their overlays; the cache keeps all it had', () => {
  const t = tempDir('m019');
  const { db: old, file } = cacheAt(18, t.dir);
  const before = (old.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
  old.close();
  const store = localStoreOn(openDatabase(file, CACHE_MIGRATIONS), testTerritories());
  try {
    const after = (store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
    expect(after.filter((n) => !before.includes(n)).sort()).toEqual(['allocation_lines', 'allocation_rounds', 'ov_allocation_lines', 'ov_allocation_rounds']);
    expect(store.boards.stocks.currentLines()).toEqual([]);
  } finally {
    store.close();
    t.cleanup();
  }
});
