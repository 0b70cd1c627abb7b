import { expect, it } from 'vitest';
import { cacheAt, tempDir } from '../testSupport';
import { openDatabase } from '../db';
import { CACHE_MIGRATIONS } from '../../boards';

it('migration 3 adds the outbox (pending by default, statuses checked) and the overlays, keeping a version-2 cache’s rows', () => {
  const t = tempDir('m003');
  const { db: old, file } = cacheAt(2, t.dir);
  old.exec(`INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, version)
    VALUES ('e1', 'Covid-19', '', 'FR', 'open', 'now', 'Cellule', 1)`);
  old.close();
  const v3 = openDatabase(file, CACHE_MIGRATIONS.slice(0, 3));
  try {
    expect(v3.prepare('SELECT id FROM events').all()).toEqual([{ id: 'e1' }]);
    v3.exec("INSERT INTO outbox (mutation_id, name, args, at) VALUES (1, 'event.open', '{}', 'now')");
    expect(v3.prepare('SELECT status, reason, applied_version FROM outbox').get()).toEqual({ status: 'pending', reason: null, applied_version: null });
    expect(() => v3.exec("UPDATE outbox SET status = 'lost'")).toThrow(/CHECK/);
    for (const table of ['ov_events', 'ov_messages', 'ov_acks']) {
      const cols = (v3.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
      expect(cols[0]).toBe('mutation_id');
    }
  } finally {
    v3.close();
    t.cleanup();
  }
});
