import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 11 gives messages a distribution list column, none for those already written, and the same shape to every message a pull serves', () => {
  const t = tempDir();
  const { db } = serverDbAt(10, t.dir);
  try {
    db.exec(`INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, version, scope_path)
      VALUES ('e1', 'Covid-19', '', 'FR', 'open', 'now', 'Cellule', 1, '/FR/')`);
    db.exec(`INSERT INTO messages (id, event_id, level, territory, kind, priority, body, author_id, author_name, author_role, at, version, scope_path)
      VALUES ('m1', 'e1', 'local', 'D:75', 'consigne', 'info', 'x', 'u', 'U', 'samu:75', 'now', 2, '/FR/R:11/D:75/')`);
    const log = db.prepare(`INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at, latest_only) VALUES (?, ?, ?, ?, ?, 'now', 0)`);
    log.run(1, 'event', 'e1', '/FR/', JSON.stringify({ id: 'e1', version: 1 }));
    log.run(2, 'message', 'm1', '/FR/R:11/D:75/', JSON.stringify({ id: 'm1', kind: 'consigne', replaces: null, version: 2 }));
    log.run(3, 'ack', 'm1|E:750100125', '/FR/R:11/D:75/E:750100125/', JSON.stringify({ messageId: 'm1', territory: 'E:750100125', version: 3 }));

    migrate(db, SERVER_MIGRATIONS.slice(0, 11));
    expect(db.prepare(`SELECT id, ack_list FROM messages`).all()).toEqual([{ id: 'm1', ack_list: null }]);
    const payloads = (db.prepare('SELECT version, payload FROM change_log ORDER BY version').all() as Array<{ version: number; payload: string }>).map(
      (r) => [r.version, JSON.parse(r.payload)],
    );
    // Messages say they have no list; other rows are left as they were.
    expect(payloads).toEqual([
      [1, { id: 'e1', version: 1 }],
      [2, { id: 'm1', kind: 'consigne', replaces: null, version: 2, ackList: null }],
      [3, { messageId: 'm1', territory: 'E:750100125', version: 3 }],
    ]);
    // A new consigne keeps its list.
    db.exec(`INSERT INTO messages (id, event_id, level, territory, kind, priority, body, author_id, author_name, author_role, at, ack_list, version, scope_path)
      VALUES ('m2', 'e1', 'local', 'D:75', 'consigne', 'info', 'x', 'u', 'U', 'samu:75', 'now', '{"kind":"custom","of":null,"members":["E:750100125"]}', 4, '/FR/R:11/D:75/')`);
    expect(db.prepare(`SELECT json_extract(ack_list, '$.members[0]') AS first FROM messages WHERE id = 'm2'`).get()).toEqual({ first: 'E:750100125' });
  } finally {
    db.close();
    t.cleanup();
  }
});
