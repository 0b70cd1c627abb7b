import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS, localStoreOn } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir, testTerritories } from '../../store/testSupport';

it('migration 14 adds the transfers and holds tables and their overlays, a cache of 0.x keeps all it had', () => {
  const t = tempDir('m014');
  const { db: old, file } = cacheAt(13, t.dir);
  const before = (old.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
  old.close();
  const store = localStoreOn(openDatabase(file, CACHE_MIGRATIONS), testTerritories());
  try {
    const after = (store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
    expect(after.filter((n) => !before.includes(n)).sort()).toEqual(['holds', 'operations', 'ov_holds', 'ov_operations', 'ov_transfer_summaries', 'ov_transfers', 'transfer_summaries', 'transfers']); // with 15's summaries
    expect(store.boards.transfers.listTransfers()).toEqual([]);
    expect(store.boards.transfers.listHolds()).toEqual([]);
  } finally {
    store.close();
    t.cleanup();
  }
});
