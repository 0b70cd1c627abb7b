/**
 * Server migration 1: Accounts, sessions, clients and the exactly-once ledger.
 */
import type { ServerMigration } from '../../store/migrations';

export const m001Accounts: ServerMigration = {
  version: 1,
  name: 'accounts',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX sessions_expires ON sessions(expires_at);
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE clients (
        client_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        last_mutation_id INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE mutation_results (
        client_id TEXT NOT NULL REFERENCES clients(client_id),
        mutation_id INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
        reason TEXT,
        version INTEGER,
        PRIMARY KEY (client_id, mutation_id)
      ) WITHOUT ROWID;
    `);
  },
};
