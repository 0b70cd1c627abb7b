/**
 * Server migration 16: the stocks board (issue 9). Every stock line is kept
 * (`stock_lines`, the history); `stock_current` holds each presentation's current line per
 * establishment (latest by count time; equal times: the later version) with its version and
 * scope path, which pulls read (`latest` entity). The change log's rows of stock lines are
 * latest-only (the engine marks them). New tables only.
 */
import type { ServerMigration } from '../../store/migrations';

export const m016Stocks: ServerMigration = {
  version: 16,
  name: 'stocks',
  up(db) {
    db.exec(`
      CREATE TABLE stock_lines (
        id            TEXT PRIMARY KEY,
        finess        TEXT NOT NULL,
        cip13         TEXT NOT NULL CHECK (length(cip13) = 13),
        molecule      TEXT NOT NULL,
        on_hand       REAL NOT NULL CHECK (on_hand >= 0),
        used_7d       REAL CHECK (used_7d IS NULL OR used_7d >= 0),
        daily_use     REAL CHECK (daily_use IS NULL OR daily_use >= 0),
        days_out      INTEGER NOT NULL CHECK (days_out BETWEEN 0 AND 7),
        delivered     REAL NOT NULL CHECK (delivered >= 0),
        comment       TEXT NOT NULL,
        source        TEXT NOT NULL CHECK (source IN ('pui', 'correction')),
        reported_by   TEXT NOT NULL,
        reported_role TEXT NOT NULL,
        at            TEXT NOT NULL,
        version       INTEGER NOT NULL,
        scope_path    TEXT NOT NULL
      );
      CREATE INDEX stock_lines_presentation ON stock_lines(finess, cip13, version);
      CREATE TABLE stock_current (
        finess     TEXT NOT NULL,
        cip13      TEXT NOT NULL,
        line_id    TEXT NOT NULL REFERENCES stock_lines(id),
        version    INTEGER NOT NULL,
        scope_path TEXT NOT NULL,
        at         TEXT NOT NULL,
        PRIMARY KEY (finess, cip13)
      ) WITHOUT ROWID;
      CREATE INDEX stock_current_version ON stock_current(version, scope_path);
    `);
  },
};
