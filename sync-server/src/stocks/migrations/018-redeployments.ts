/**
 * Server migration 18: regional redeployments of the stocks board (issue 9). One row per move,
 * kept whole as JSON (who and when per step) beside the columns the rules select on (its giver
 * and receiver, for the units their open moves commit). New table only.
 */
import type { ServerMigration } from '../../store/migrations';

export const m018Redeployments: ServerMigration = {
  version: 18,
  name: 'stock redeployments',
  up(db) {
    db.exec(`
      CREATE TABLE redeployments (
        id          TEXT PRIMARY KEY,
        region      TEXT NOT NULL,
        molecule    TEXT NOT NULL,
        cip13       TEXT NOT NULL CHECK (length(cip13) = 13),
        from_finess TEXT NOT NULL,
        to_finess   TEXT NOT NULL CHECK (to_finess <> from_finess),
        units       INTEGER NOT NULL CHECK (units >= 1),
        state       TEXT NOT NULL CHECK (state IN ('propose', 'expedie', 'recu', 'annule')),
        data        TEXT NOT NULL CHECK (json_valid(data)),
        version     INTEGER NOT NULL,
        scope_path  TEXT NOT NULL
      );
      CREATE INDEX redeployments_from ON redeployments(from_finess);
      CREATE INDEX redeployments_to ON redeployments(to_finess);
    `);
  },
};
