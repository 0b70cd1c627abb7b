/**
 * Server migration 19: national allocation rounds (issue 9). A validated round
 * (`allocation_rounds`, scoped `FR`, parameters and totals) and its lines, one per
 * establishment (`allocation_lines`, scoped `E:<FINESS>`: inputs, figures, quota, receipt),
 * both kept whole as JSON with the columns the rules read. `log` entities: every state is in
 * the change log. New tables only.
 */
import type { ServerMigration } from '../../store/migrations';

export const m019AllocationRounds: ServerMigration = {
  version: 19,
  name: 'allocation rounds',
  up(db) {
    db.exec(`
      CREATE TABLE allocation_rounds (
        id         TEXT PRIMARY KEY,
        cip13      TEXT NOT NULL CHECK (length(cip13) = 13),
        data       TEXT NOT NULL CHECK (json_valid(data)),
        version    INTEGER NOT NULL,
        scope_path TEXT NOT NULL
      );
      CREATE TABLE allocation_lines (
        id           TEXT PRIMARY KEY,
        round_id     TEXT NOT NULL REFERENCES allocation_rounds(id),
        finess       TEXT NOT NULL,
        quota        INTEGER NOT NULL CHECK (quota >= 0),
        confirmed_at TEXT,
        data         TEXT NOT NULL CHECK (json_valid(data)),
        version      INTEGER NOT NULL,
        scope_path   TEXT NOT NULL,
        UNIQUE (round_id, finess)
      );
    `);
  },
};
