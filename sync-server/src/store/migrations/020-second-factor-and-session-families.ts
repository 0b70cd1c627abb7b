/**
 * Server migration 20: two-factor login and refreshable sessions (docs/security.md,
 * "Connexion").
 *
 * - `session_families`: one login on one workstation. Its refresh tokens rotate (each is
 *   used once); its access tokens (`sessions`, now short-lived) point to it. The family is
 *   bound to the workstation's client id; revoking it ends every token it issued.
 * - `refresh_tokens`: digests only; `used` stays 1 after a rotation so that a replay is
 *   recognised (and ends the family) rather than merely unknown.
 * - `user_second_factors`: the TOTP secret, confirmed or still being enrolled, and the last
 *   time step accepted (a code is never accepted twice).
 * - `recovery_codes`: digests, each usable once.
 * - `login_tickets`: the step between a correct password and the second factor.
 * - `server_meta.sessions_generation`: bumped by every revocation, so every server process
 *   (and one started by the CLI) learns within a second that sockets must be cut.
 *
 * Sessions opened before this step have no family: they are ended (everyone logs in again,
 * now with the second factor where it is required). Cached data and outboxes are untouched.
 */
import type { ServerMigration } from '../migrations';

export const m020SecondFactorAndSessionFamilies: ServerMigration = {
  version: 20,
  name: 'second factor and session families',
  up(db) {
    db.exec(`
      DELETE FROM sessions;
      CREATE TABLE session_families (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        client_id TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX session_families_user ON session_families(user_id);
      ALTER TABLE sessions ADD COLUMN family_id TEXT REFERENCES session_families(id) ON DELETE CASCADE;
      CREATE INDEX sessions_family ON sessions(family_id);
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES session_families(id) ON DELETE CASCADE,
        used INTEGER NOT NULL DEFAULT 0,
        expires_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
      CREATE TABLE user_second_factors (
        user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        secret TEXT NOT NULL,
        confirmed_at TEXT,
        last_step INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE recovery_codes (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash TEXT NOT NULL,
        used_at TEXT,
        PRIMARY KEY (user_id, code_hash)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE login_tickets (
        ticket_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'enrol')),
        expires_at TEXT NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      INSERT INTO server_meta (key, value) VALUES ('sessions_generation', '0');
    `);
  },
};
