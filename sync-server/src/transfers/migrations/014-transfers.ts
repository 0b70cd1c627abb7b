/**
 * Server migration 14: the transfers board (issue 8): transfers, the bed holds placed on
 * destination units, and mass evacuations (operations). A transfer is kept whole as JSON (its timeline grows with each step)
 * beside the columns the rules and reads select on. New tables only.
 */
import type { ServerMigration } from '../../store/migrations';

export const m014Transfers: ServerMigration = {
  version: 14,
  name: 'transfers and bed holds',
  up(db) {
    db.exec(`
      CREATE TABLE transfers (
        id            TEXT PRIMARY KEY,
        state         TEXT NOT NULL,
        origin_finess TEXT NOT NULL,
        dest_finess   TEXT,
        data          TEXT NOT NULL CHECK (json_valid(data)),
        version       INTEGER NOT NULL,
        scope_path    TEXT NOT NULL
      );
      CREATE TABLE holds (
        id          TEXT PRIMARY KEY,
        transfer_id TEXT NOT NULL REFERENCES transfers(id),
        finess      TEXT NOT NULL,
        unit_id     TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('active', 'released', 'arrived')),
        expires_at  TEXT NOT NULL,
        data        TEXT NOT NULL CHECK (json_valid(data)),
        version     INTEGER NOT NULL,
        scope_path  TEXT NOT NULL
      );
      CREATE INDEX holds_unit ON holds(finess, unit_id);
      CREATE TABLE operations (
        id         TEXT PRIMARY KEY,
        state      TEXT NOT NULL,
        data       TEXT NOT NULL CHECK (json_valid(data)),
        version    INTEGER NOT NULL,
        scope_path TEXT NOT NULL
      );
    `);
  },
};
