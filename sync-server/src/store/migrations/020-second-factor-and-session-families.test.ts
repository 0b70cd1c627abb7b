import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 20 ends the sessions opened before it (they have no family), keeps the accounts and starts the sessions generation at 0', () => {
  const t = tempDir();
  const { db } = serverDbAt(19, t.dir);
  try {
    db.exec(`INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES ('u1', 'ars-idf', 'ARS', 'ars:11', 'x', 'now')`);
    db.exec(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('h1', 'u1', 'a', '9999')`);
    migrate(db, SERVER_MIGRATIONS.slice(0, 20));
    expect(db.prepare(`SELECT count(*) AS n FROM sessions`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM users`).get()).toEqual({ n: 1 });
    expect(db.prepare(`SELECT value FROM server_meta WHERE key = 'sessions_generation'`).get()).toEqual({ value: '0' });
    // A family's end takes its access and refresh tokens with it.
    db.exec(`INSERT INTO session_families (id, user_id, client_id, created_at, expires_at) VALUES ('f1', 'u1', NULL, 'a', '9999')`);
    db.exec(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at, family_id) VALUES ('h2', 'u1', 'a', '9999', 'f1')`);
    db.exec(`INSERT INTO refresh_tokens (token_hash, family_id, expires_at) VALUES ('r1', 'f1', '9999')`);
    db.pragma('foreign_keys = ON');
    db.exec(`DELETE FROM session_families WHERE id = 'f1'`);
    expect(db.prepare(`SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM refresh_tokens) AS n`).get()).toEqual({ n: 0 });
  } finally {
    db.close();
    t.cleanup();
  }
});
