import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS, localStoreOn } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir, testTerritories } from '../../store/testSupport';

it('migration 14 adds the transfers and holds tables and their overlays, a cache of 0.x keeps all it had', () => {
  const t = tempDir('m014');
  const { db: old, file } = cacheAt(13, t.dir);
  const before = (old.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
  old.close();
  // Step 14 alone (later steps add other boards' tables).
  const at14 = openDatabase(file, CACHE_MIGRATIONS.slice(0, 14));
  const after = (at14.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
  at14.close();
  expect(after.filter((n) => !before.includes(n)).sort()).toEqual(['holds', 'operations', 'ov_holds', 'ov_operations', 'ov_transfers', 'transfers']);
  const store = localStoreOn(openDatabase(file, CACHE_MIGRATIONS), testTerritories());
  try {
    expect(store.boards.transfers.listTransfers()).toEqual([]);
    expect(store.boards.transfers.listHolds()).toEqual([]);
  } finally {
    store.close();
    t.cleanup();
  }
});
