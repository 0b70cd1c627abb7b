/**
 * PostgreSQL schema, step 2: SQLite server step 20 (two-factor login and refreshable
 * sessions; see `../../migrations/020-second-factor-and-session-families.ts` for what each
 * table is for). The same tables and rules; integer flags stay INTEGER as in step 1.
 *
 * Sessions opened before this step have no family: they are ended, as on SQLite.
 */
import type { PgMigration } from '../migrations';

export const pg002SecondFactorAndSessionFamilies: PgMigration = {
  version: 2,
  name: 'second factor and session families',
  sql: `
DELETE FROM sessions;
CREATE TABLE session_families (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_id TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX session_families_user ON session_families(user_id);
CREATE INDEX session_families_expires ON session_families(expires_at);
ALTER TABLE sessions ADD COLUMN family_id TEXT REFERENCES session_families(id) ON DELETE CASCADE;
CREATE INDEX sessions_family ON sessions(family_id);
CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES session_families(id) ON DELETE CASCADE,
  used INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
  expires_at TEXT NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
CREATE TABLE user_second_factors (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret TEXT NOT NULL,
  confirmed_at TEXT,
  last_step BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE recovery_codes (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at TEXT,
  PRIMARY KEY (user_id, code_hash)
);
CREATE TABLE login_tickets (
  ticket_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'enrol')),
  expires_at TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0
);
INSERT INTO server_meta (key, value) VALUES ('sessions_generation', '0');
`,
};
