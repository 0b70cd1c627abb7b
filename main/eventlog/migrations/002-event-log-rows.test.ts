import { expect, it } from 'vitest';
import { cacheAt, tempDir } from '../../store/testSupport';

it('migration 2 creates the event log’s server rows: one event, message and acknowledgement per key, with their indexes', () => {
  const t = tempDir('m002');
  const { db } = cacheAt(2, t.dir);
  try {
    db.exec(`INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, version)
      VALUES ('e1', 'Covid-19', '', 'FR', 'open', 'now', 'Cellule', 1)`);
    expect(() => db.exec(`INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, version)
      VALUES ('e2', 'x', '', 'FR', 'paused', 'now', 'x', 1)`)).toThrow(/CHECK/);
    db.exec(`INSERT INTO acks (message_id, territory, user_id, user_name, at, version) VALUES ('m1', 'D:75', 'u', 'U', 'now', 2)`);
    expect(() => db.exec(`INSERT INTO acks (message_id, territory, user_id, user_name, at, version) VALUES ('m1', 'D:75', 'v', 'V', 'now', 3)`)).toThrow(
      /UNIQUE|PRIMARY KEY/,
    );
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    expect(indexes).toEqual(['messages_corrects', 'messages_event_at', 'messages_replaces']);
  } finally {
    db.close();
    t.cleanup();
  }
});
