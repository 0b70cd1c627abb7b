import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 12 adds the reinforcement rooms’ tables and leaves events and messages as they were', () => {
  const t = tempDir();
  const { db } = serverDbAt(11, t.dir);
  try {
    db.exec(`INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, version, scope_path)
      VALUES ('e1', 'Covid-19', '', 'FR', 'open', 'now', 'Cellule', 1, '/FR/')`);
    migrate(db, SERVER_MIGRATIONS.slice(0, 12));
    expect(db.prepare('SELECT id, title FROM events').all()).toEqual([{ id: 'e1', title: 'Covid-19' }]);
    db.exec(`INSERT INTO room_posts (id, event_id, room, label, kind, opened_at, opened_by, version, scope_path)
      VALUES ('p1', 'e1', 'SR:75', 'Régulation 3', 'regulation', 'now', 'SAMU', 2, '/FR/R:11/D:75/SR:75/')`);
    db.exec(`INSERT INTO room_shifts (id, post_id, event_id, room, person, qualification, starts_at, ends_at, assigned_by, assigned_at, version, scope_path)
      VALUES ('s1', 'p1', 'e1', 'SR:75', 'Dr Martin', 'ARM', 'a', 'b', 'SAMU', 'now', 3, '/FR/R:11/D:75/SR:75/')`);
    expect(() => db.exec(`INSERT INTO room_posts (id, event_id, room, label, kind, opened_at, opened_by, version, scope_path)
      VALUES ('p2', 'e1', 'SR:75', 'X', 'cafe', 'now', 'SAMU', 4, '/')`)).toThrow(/CHECK/);
  } finally {
    db.close();
    t.cleanup();
  }
});
