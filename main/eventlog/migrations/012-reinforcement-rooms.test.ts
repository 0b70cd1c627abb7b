import { expect, it } from 'vitest';
import { CACHE_MIGRATIONS, localStoreOn } from '../../boards';
import { openDatabase } from '../../store/db';
import { cacheAt, tempDir, testTerritories } from '../../store/testSupport';

it('migration 12 adds the reinforcement rooms’ tables and their overlays; cached events stay', () => {
  const t = tempDir('m012');
  const { db: old, file } = cacheAt(11, t.dir);
  old.exec(`INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, closed_at, closed_by, version)
    VALUES ('e1', 'Covid-19', '', 'FR', 'open', 'now', 'Cellule', NULL, NULL, 1)`);
  old.close();
  const store = localStoreOn(openDatabase(file, CACHE_MIGRATIONS), testTerritories());
  try {
    expect(store.db.prepare('SELECT id FROM events').all()).toEqual([{ id: 'e1' }]);
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%room_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toEqual(['ov_room_posts', 'ov_room_shifts', 'room_posts', 'room_shifts']);
  } finally {
    store.close();
    t.cleanup();
  }
});
