/**
 * Server migration 4: Register feed API keys. Only the key's SHA-256 is stored. Each key acts through its
 * own disabled (never logs in) account, which owns the key's client id in the ledger.
 */
import type { ServerMigration } from '../../store/migrations';

export const m004FeedKeys: ServerMigration = {
  version: 4,
  name: 'register feed keys',
  up(db) {
    db.exec(`
      CREATE TABLE feed_keys (
        id TEXT PRIMARY KEY,
        key_hash TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL,
        territory TEXT NOT NULL,
        created_at TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        user_id TEXT NOT NULL REFERENCES users(id)
      );
    `);
  },
};
