import { expect, it } from 'vitest';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 2 creates the event log’s tables, each row with its version and scope path, and the first change log', () => {
  const t = tempDir();
  const { db } = serverDbAt(2, t.dir);
  try {
    db.exec(`INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, version, scope_path)
      VALUES ('e1', 'Covid-19', '', 'FR', 'open', 'now', 'Cellule', 1, '/FR/')`);
    db.pragma('foreign_keys = ON');
    const message = (eventId: string) => `INSERT INTO messages (id, event_id, level, territory, kind, priority, body, author_id, author_name, author_role, at, version, scope_path)
      VALUES ('m-${eventId}', '${eventId}', 'local', 'D:75', 'information', 'info', 'x', 'u', 'U', 'samu:75', 'now', 2, '/FR/R:11/D:75/')`;
    db.exec(message('e1'));
    // A message belongs to an event the server has.
    expect(() => db.exec(message('nope'))).toThrow(/FOREIGN KEY/);
    // The first change log knew the event log's entities only (migration 3, then 5, opened it).
    expect(() => db.exec(`INSERT INTO change_log VALUES (1, 'unit', 'r', '/FR/', '{}', 'now')`)).toThrow(/CHECK/);
    db.exec(`INSERT INTO change_log VALUES (1, 'event', 'e1', '/FR/', '{}', 'now')`);
  } finally {
    db.close();
    t.cleanup();
  }
});
