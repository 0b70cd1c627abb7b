/** Cache migration 1: meta, this workstation's client id for the user, the pull cursor, the next mutation id. */
import type { CacheMigration } from '../migrations';

export const m001Meta: CacheMigration = {
  version: 1,
  name: 'meta',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
