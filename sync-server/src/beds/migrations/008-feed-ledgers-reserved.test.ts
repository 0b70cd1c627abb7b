import { expect, it } from 'vitest';
import { SERVER_MIGRATIONS } from '../../boards';
import { migrate } from '../../store/migrations';
import { serverDbAt, tempDir } from '../../testing/fixtures';

it('migration 8 reserves each existing feed key’s ledger, and hands back one a user had taken', () => {
  const t = tempDir();
  const { db } = serverDbAt(7, t.dir);
  try {
    db.exec(`
      INSERT INTO users (id, username, display_name, role, password_hash, disabled, created_at) VALUES
        ('k1', 'feed-a', 'ROR IdF', 'ars:11', '', 1, 'now'), ('k2', 'feed-b', 'ROR BZH', 'ars:53', '', 1, 'now'),
        ('u1', 'samu75', 'SAMU 75', 'samu:75', 'x', 0, 'now');
      INSERT INTO feed_keys (id, key_hash, label, territory, created_at, user_id) VALUES ('a', 'h1', 'ROR IdF', 'R:11', 'now', 'k1'), ('b', 'h2', 'ROR BZH', 'R:53', 'now', 'k2');
      INSERT INTO clients (client_id, user_id, last_mutation_id) VALUES ('feed-b', 'u1', 3), ('workstation-1', 'u1', 7);
    `);
    migrate(db, SERVER_MIGRATIONS.slice(0, 8));
    expect(db.prepare('SELECT client_id, user_id, last_mutation_id FROM clients ORDER BY client_id').all()).toEqual([
      { client_id: 'feed-a', user_id: 'k1', last_mutation_id: 0 },
      // Squatted: back to its key, numbering continues after what was applied.
      { client_id: 'feed-b', user_id: 'k2', last_mutation_id: 3 },
      { client_id: 'workstation-1', user_id: 'u1', last_mutation_id: 7 },
    ]);
  } finally {
    db.close();
    t.cleanup();
  }
});
