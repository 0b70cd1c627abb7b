/**
 * Cache migration 4: Critical-care beds (issue 3). Three tables, all rows being whole unit reports:
 * - `units`: the server's current report per unit (`finess`, `unit_type`), written only from
 *   pulls and pokes, replaced only by a report with a newer server version
 *   (latest-report-wins in server order);
 * - `unit_history`: the reports of a unit this workstation has seen (history the user opened,
 *   and every current report that arrived), so a chart still shows something offline;
 * - `ov_units`: pending local reports, tagged with their mutation id like the other overlays.
 */
import type { CacheMigration } from '../../store/migrations';

export const m004Beds: CacheMigration = {
  version: 4,
  name: 'beds',
  up(db) {
    const report = `
        id            TEXT NOT NULL,
        finess        TEXT NOT NULL,
        unit_type     TEXT NOT NULL,
        installed     INTEGER NOT NULL,
        staffed       INTEGER NOT NULL,
        available     INTEGER NOT NULL,
        covid_pos     INTEGER,
        covid_neg     INTEGER,
        extra24h      INTEGER,
        extra72h      INTEGER,
        comment       TEXT NOT NULL,
        source        TEXT NOT NULL,
        reported_by   TEXT NOT NULL,
        reported_role TEXT NOT NULL,
        at            TEXT NOT NULL,
        version       INTEGER NOT NULL`;
    db.exec(`
      CREATE TABLE units (${report},
        PRIMARY KEY (finess, unit_type)
      ) STRICT;
      CREATE INDEX units_id ON units(id);
      CREATE TABLE unit_history (${report},
        PRIMARY KEY (id)
      ) STRICT;
      CREATE INDEX unit_history_unit ON unit_history(finess, unit_type, at);
      CREATE TABLE ov_units (
        mutation_id INTEGER NOT NULL,${report},
        PRIMARY KEY (id)
      ) STRICT;
      CREATE INDEX ov_units_unit ON ov_units(finess, unit_type, mutation_id);
      CREATE INDEX ov_units_mutation ON ov_units(mutation_id);
    `);
  },
};
