import { expect, it } from 'vitest';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 4 stores feed keys by hash only, each bound to an existing account', () => {
  const t = tempDir();
  const { db } = serverDbAt(4, t.dir);
  try {
    db.pragma('foreign_keys = ON');
    db.exec(`INSERT INTO users (id, username, display_name, role, password_hash, disabled, created_at) VALUES ('k1', 'feed-1', 'ROR', 'ars:11', '', 1, 'now')`);
    db.exec(`INSERT INTO feed_keys (id, key_hash, label, territory, created_at, user_id) VALUES ('1', 'h', 'ROR', 'R:11', 'now', 'k1')`);
    expect(db.prepare('SELECT disabled FROM feed_keys').get()).toEqual({ disabled: 0 });
    expect(() => db.exec(`INSERT INTO feed_keys (id, key_hash, label, territory, created_at, user_id) VALUES ('2', 'h', 'X', 'FR', 'now', 'k1')`)).toThrow(/UNIQUE/);
    expect(() => db.exec(`INSERT INTO feed_keys (id, key_hash, label, territory, created_at, user_id) VALUES ('3', 'h3', 'X', 'FR', 'now', 'nobody')`)).toThrow(/FOREIGN KEY/);
  } finally {
    db.close();
    t.cleanup();
  }
});
