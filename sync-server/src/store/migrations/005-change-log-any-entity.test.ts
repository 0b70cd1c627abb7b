import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 5 rebuilds the change log for any entity: every row kept in order, latest_only 0, the old partial index gone', () => {
  const t = tempDir();
  const { db } = serverDbAt(4, t.dir);
  try {
    const insert = db.prepare(`INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at) VALUES (?, ?, ?, ?, ?, 'now')`);
    insert.run(1, 'event', 'e1', '/FR/', '{"v":1}');
    insert.run(2, 'unit', 'r1', '/FR/R:11/D:75/E:750100125/', '{"v":2}');
    insert.run(3, 'message', 'm1', '/FR/R:11/', '{"v":3}');
    expect(() => insert.run(4, 'transfer', 't1', '/FR/', '{}')).toThrow(/CHECK/);
    migrate(db, SERVER_MIGRATIONS.slice(0, 5));
    expect(db.prepare('SELECT version, entity, entity_id, scope_path, payload, latest_only FROM change_log ORDER BY version').all()).toEqual([
      { version: 1, entity: 'event', entity_id: 'e1', scope_path: '/FR/', payload: '{"v":1}', latest_only: 0 },
      { version: 2, entity: 'unit', entity_id: 'r1', scope_path: '/FR/R:11/D:75/E:750100125/', payload: '{"v":2}', latest_only: 0 },
      { version: 3, entity: 'message', entity_id: 'm1', scope_path: '/FR/R:11/', payload: '{"v":3}', latest_only: 0 },
    ]);
    // A new board's entity is accepted; an empty name or a bad flag is not.
    insert.run(4, 'transfer', 't1', '/FR/', '{}');
    expect(() => insert.run(5, '', 'x', '/FR/', '{}')).toThrow(/CHECK/);
    expect(() => db.exec(`INSERT INTO change_log VALUES (6, 'event', 'e', '/FR/', '{}', 'now', 2)`)).toThrow(/CHECK/);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE tbl_name = 'change_log' AND type = 'index' AND sql IS NOT NULL`).all()).toEqual([]);
  } finally {
    db.close();
    t.cleanup();
  }
});
