import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 6 marks every unit report of the change log latest-only, and nothing else', () => {
  const t = tempDir();
  const { db } = serverDbAt(5, t.dir);
  try {
    const insert = db.prepare(`INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at) VALUES (?, ?, ?, '/FR/', '{}', 'now')`);
    insert.run(1, 'event', 'e1');
    insert.run(2, 'unit', 'r1');
    insert.run(3, 'unit', 'r2');
    insert.run(4, 'ack', 'a1');
    migrate(db, SERVER_MIGRATIONS.slice(0, 6));
    expect(db.prepare('SELECT entity, latest_only FROM change_log ORDER BY version').all()).toEqual([
      { entity: 'event', latest_only: 0 },
      { entity: 'unit', latest_only: 1 },
      { entity: 'unit', latest_only: 1 },
      { entity: 'ack', latest_only: 0 },
    ]);
  } finally {
    db.close();
    t.cleanup();
  }
});
