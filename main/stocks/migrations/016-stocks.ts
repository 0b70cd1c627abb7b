/**
 * Cache migration 16: the stocks board (issue 9): each presentation's current stock line per
 * establishment from the server (`stock_lines`, replaced only by a line counted later, or at
 * the same time with a newer version) and the pending lines (`ov_stock_lines`). The board is
 * small (a few thousand current lines nationally): it is re-read whole when lines arrive, so
 * no change counter. New tables only.
 */
import type { CacheMigration } from '../../store/migrations';

const LINE = `
  id            TEXT NOT NULL,
  finess        TEXT NOT NULL,
  cip13         TEXT NOT NULL,
  molecule      TEXT NOT NULL,
  on_hand       REAL NOT NULL,
  used_7d       REAL,
  daily_use     REAL,
  days_out      INTEGER NOT NULL,
  delivered     REAL NOT NULL,
  comment       TEXT NOT NULL,
  source        TEXT NOT NULL,
  reported_by   TEXT NOT NULL,
  reported_role TEXT NOT NULL,
  at            TEXT NOT NULL,
  version       INTEGER NOT NULL`;

export const m016Stocks: CacheMigration = {
  version: 16,
  name: 'stocks',
  up(db) {
    db.exec(`
      CREATE TABLE stock_lines (${LINE}, PRIMARY KEY (finess, cip13)) STRICT;
      CREATE INDEX stock_lines_id ON stock_lines(id);
      CREATE TABLE ov_stock_lines (mutation_id INTEGER NOT NULL, ${LINE}) STRICT;
      CREATE INDEX ov_stock_lines_key ON ov_stock_lines(finess, cip13);
      CREATE INDEX ov_stock_lines_mutation ON ov_stock_lines(mutation_id);
    `);
  },
};
