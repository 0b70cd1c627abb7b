/**
 * Cache migration 14: the transfers board (issue 8): the server's transfers and bed holds,
 * and their pending overlays. New tables only.
 */
import type { CacheMigration } from '../../store/migrations';

const TRANSFER = `
  id            TEXT NOT NULL,
  state         TEXT NOT NULL,
  origin_finess TEXT NOT NULL,
  dest_finess   TEXT,
  data          TEXT NOT NULL,
  version       INTEGER NOT NULL`;

const HOLD = `
  id          TEXT NOT NULL,
  transfer_id TEXT NOT NULL,
  finess      TEXT NOT NULL,
  unit_id     TEXT NOT NULL,
  state       TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  data        TEXT NOT NULL,
  version     INTEGER NOT NULL`;

const OPERATION = `
  id      TEXT NOT NULL,
  state   TEXT NOT NULL,
  data    TEXT NOT NULL,
  version INTEGER NOT NULL`;

export const m014Transfers: CacheMigration = {
  version: 14,
  name: 'transfers and bed holds',
  up(db) {
    db.exec(`
      CREATE TABLE transfers (${TRANSFER}, PRIMARY KEY (id)) STRICT;
      CREATE TABLE ov_transfers (mutation_id INTEGER NOT NULL, ${TRANSFER}) STRICT;
      CREATE INDEX ov_transfers_id ON ov_transfers(id);
      CREATE INDEX ov_transfers_mutation ON ov_transfers(mutation_id);
      CREATE TABLE holds (${HOLD}, PRIMARY KEY (id)) STRICT;
      CREATE INDEX holds_unit ON holds(finess, unit_id);
      CREATE TABLE ov_holds (mutation_id INTEGER NOT NULL, ${HOLD}) STRICT;
      CREATE INDEX ov_holds_id ON ov_holds(id);
      CREATE INDEX ov_holds_mutation ON ov_holds(mutation_id);
      CREATE INDEX ov_holds_unit ON ov_holds(finess, unit_id);
      CREATE TABLE operations (${OPERATION}, PRIMARY KEY (id)) STRICT;
      CREATE TABLE ov_operations (mutation_id INTEGER NOT NULL, ${OPERATION}) STRICT;
      CREATE INDEX ov_operations_id ON ov_operations(id);
      CREATE INDEX ov_operations_mutation ON ov_operations(mutation_id);
    `);
  },
};
