import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

it('migration 17 gives an existing database an epoch of its own, kept with its rows', () => {
  const t = tempDir();
  const u = tempDir();
  const a = serverDbAt(16, t.dir);
  const b = serverDbAt(16, u.dir);
  try {
    a.db.exec(`INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES ('u1', 'samu75', 'SAMU', 'samu:75', 'x', 'now')`);
    migrate(a.db, SERVER_MIGRATIONS.slice(0, 17));
    migrate(b.db, SERVER_MIGRATIONS.slice(0, 17));
    const epochOf = (db: typeof a.db) => (db.prepare(`SELECT value FROM server_meta WHERE key = 'epoch'`).get() as { value: string }).value;
    expect(epochOf(a.db)).toMatch(UUID);
    expect(epochOf(b.db)).toMatch(UUID);
    expect(epochOf(a.db)).not.toBe(epochOf(b.db));
    expect(a.db.prepare(`SELECT count(*) AS n FROM users`).get()).toEqual({ n: 1 });
  } finally {
    a.db.close();
    b.db.close();
    t.cleanup();
    u.cleanup();
  }
});
