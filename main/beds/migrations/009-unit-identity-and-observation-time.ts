/**
 * Cache migration 9: a unit has its own identifier inside its establishment (`unit_id`; the
 * units of today, one per type, get the type's code), an optional name, and reports say
 * whether their sender gave an observation time (`at_known`; every cached report had one).
 * `units` and `unit_changes` are keyed by `(finess, unit_id)` now: SQLite cannot change a
 * primary key, so both are rebuilt; the history and the pending reports gain the columns.
 */
import type { CacheMigration } from '../../store/migrations';

export const m009UnitIdentityAndObservationTime: CacheMigration = {
  version: 9,
  name: 'unit identity and observation time',
  up(db) {
    db.exec(`
      CREATE TABLE units_v9 (
        id            TEXT NOT NULL,
        finess        TEXT NOT NULL,
        unit_id       TEXT NOT NULL,
        unit_name     TEXT,
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
        at_known      INTEGER NOT NULL DEFAULT 1,
        version       INTEGER NOT NULL,
        change_seq    INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (finess, unit_id)
      ) STRICT;
      INSERT INTO units_v9 (id, finess, unit_id, unit_name, unit_type, installed, staffed, available, covid_pos, covid_neg, extra24h, extra72h,
          comment, source, reported_by, reported_role, at, at_known, version, change_seq)
        SELECT id, finess, unit_type, NULL, unit_type, installed, staffed, available, covid_pos, covid_neg, extra24h, extra72h,
          comment, source, reported_by, reported_role, at, 1, version, change_seq FROM units;
      DROP TABLE units;
      ALTER TABLE units_v9 RENAME TO units;
      CREATE INDEX units_id ON units(id);
      CREATE INDEX units_change_seq ON units(change_seq);

      ALTER TABLE unit_history ADD COLUMN unit_id TEXT NOT NULL DEFAULT '';
      ALTER TABLE unit_history ADD COLUMN unit_name TEXT;
      ALTER TABLE unit_history ADD COLUMN at_known INTEGER NOT NULL DEFAULT 1;
      UPDATE unit_history SET unit_id = unit_type;
      DROP INDEX unit_history_unit;
      CREATE INDEX unit_history_unit ON unit_history(finess, unit_id, at);

      ALTER TABLE ov_units ADD COLUMN unit_id TEXT NOT NULL DEFAULT '';
      ALTER TABLE ov_units ADD COLUMN unit_name TEXT;
      ALTER TABLE ov_units ADD COLUMN at_known INTEGER NOT NULL DEFAULT 1;
      UPDATE ov_units SET unit_id = unit_type;
      DROP INDEX ov_units_unit;
      CREATE INDEX ov_units_unit ON ov_units(finess, unit_id, mutation_id);

      CREATE TABLE unit_changes_v9 (
        finess  TEXT NOT NULL,
        unit_id TEXT NOT NULL,
        seq     INTEGER NOT NULL,
        PRIMARY KEY (finess, unit_id)
      ) STRICT;
      INSERT INTO unit_changes_v9 (finess, unit_id, seq) SELECT finess, unit_type, seq FROM unit_changes;
      DROP TABLE unit_changes;
      ALTER TABLE unit_changes_v9 RENAME TO unit_changes;
      CREATE INDEX unit_changes_seq ON unit_changes(seq);
    `);
  },
};
