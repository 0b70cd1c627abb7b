/**
 * Cache migration 18: regional redeployments of the stocks board (issue 9): the server's moves
 * this user sees (`redeployments`, a later state replaces an earlier one) and the pending ones
 * (`ov_redeployments`). New tables only.
 */
import type { CacheMigration } from '../../store/migrations';

const MOVE = `
  id          TEXT NOT NULL,
  from_finess TEXT NOT NULL,
  to_finess   TEXT NOT NULL,
  state       TEXT NOT NULL,
  data        TEXT NOT NULL,
  version     INTEGER NOT NULL`;

export const m018Redeployments: CacheMigration = {
  version: 18,
  name: 'stock redeployments',
  up(db) {
    db.exec(`
      CREATE TABLE redeployments (${MOVE}, PRIMARY KEY (id)) STRICT;
      CREATE INDEX redeployments_from ON redeployments(from_finess);
      CREATE INDEX redeployments_to ON redeployments(to_finess);
      CREATE TABLE ov_redeployments (mutation_id INTEGER NOT NULL, ${MOVE}) STRICT;
      CREATE INDEX ov_redeployments_id ON ov_redeployments(id);
      CREATE INDEX ov_redeployments_mutation ON ov_redeployments(mutation_id);
    `);
  },
};
