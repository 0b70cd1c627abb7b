import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 13 gives each message the server time of the batch that wrote it, in its row and in the payload pulls serve', () => {
  const t = tempDir();
  const { db } = serverDbAt(12, t.dir);
  try {
    db.exec(`INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, version, scope_path)
      VALUES ('e1', 'Covid-19', '', 'FR', 'open', 'now', 'Cellule', 1, '/FR/')`);
    db.exec(`INSERT INTO messages (id, event_id, level, territory, kind, priority, body, author_id, author_name, author_role, at, version, scope_path)
      VALUES ('m1', 'e1', 'local', 'D:75', 'info', 'info', 'x', 'u', 'U', 'samu:75', '2020-03-24T08:00:00.000Z', 2, '/FR/R:11/D:75/')`);
    const log = db.prepare(`INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at, latest_only) VALUES (?, ?, ?, ?, ?, ?, 0)`);
    log.run(1, 'event', 'e1', '/FR/', JSON.stringify({ id: 'e1', version: 1 }), '2020-03-24T07:00:00.000Z');
    log.run(2, 'message', 'm1', '/FR/R:11/D:75/', JSON.stringify({ id: 'm1', at: '2020-03-24T08:00:00.000Z', version: 2 }), '2020-03-24T11:30:00.000Z');

    migrate(db, SERVER_MIGRATIONS.slice(0, 13));
    // Written at 08:00 on a field post, received at 11:30: the log knew it.
    expect(db.prepare(`SELECT id, received_at FROM messages`).all()).toEqual([{ id: 'm1', received_at: '2020-03-24T11:30:00.000Z' }]);
    const payloads = (db.prepare('SELECT version, payload FROM change_log ORDER BY version').all() as Array<{ version: number; payload: string }>).map((r) => [
      r.version,
      JSON.parse(r.payload),
    ]);
    expect(payloads).toEqual([
      [1, { id: 'e1', version: 1 }],
      [2, { id: 'm1', at: '2020-03-24T08:00:00.000Z', version: 2, receivedAt: '2020-03-24T11:30:00.000Z' }],
    ]);
  } finally {
    db.close();
    t.cleanup();
  }
});
