/**
 * Server migration 9: a unit has its own identifier inside its establishment, and its
 * current figures are its latest by observation time.
 *
 * - `unit_reports` gains `unit_id` (the units of today, one per type, get the type's code),
 *   `unit_name` and `at_known` (every stored report had its time: 1).
 * - `unit_current` is keyed by `(finess, unit_id)` and keeps the current report's
 *   observation time (`at`), which a later report must reach to replace it. SQLite cannot
 *   change a primary key: the table is rebuilt.
 * - The change-log rows of the current reports (what a pull serves) gain the same fields, so
 *   every unit a client pulls names its unit; older history rows are served from
 *   `unit_reports`, which has them.
 */
import type { ServerMigration } from '../../store/migrations';

export const m009UnitIdentityAndObservationTime: ServerMigration = {
  version: 9,
  name: 'unit identity and observation time',
  up(db) {
    db.exec(`
      ALTER TABLE unit_reports ADD COLUMN unit_id TEXT NOT NULL DEFAULT '';
      ALTER TABLE unit_reports ADD COLUMN unit_name TEXT;
      ALTER TABLE unit_reports ADD COLUMN at_known INTEGER NOT NULL DEFAULT 1 CHECK (at_known IN (0, 1));
      UPDATE unit_reports SET unit_id = unit_type;
      DROP INDEX unit_reports_unit;
      CREATE INDEX unit_reports_unit ON unit_reports(finess, unit_id, version);

      CREATE TABLE unit_current_v9 (
        finess TEXT NOT NULL,
        unit_id TEXT NOT NULL,
        report_id TEXT NOT NULL REFERENCES unit_reports(id),
        version INTEGER NOT NULL,
        scope_path TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (finess, unit_id)
      ) WITHOUT ROWID;
      INSERT INTO unit_current_v9 (finess, unit_id, report_id, version, scope_path, at)
        SELECT c.finess, c.unit_type, c.report_id, c.version, c.scope_path, r.at
        FROM unit_current c JOIN unit_reports r ON r.id = c.report_id;
      DROP TABLE unit_current;
      ALTER TABLE unit_current_v9 RENAME TO unit_current;
      CREATE INDEX unit_current_version ON unit_current(version, scope_path);

      UPDATE change_log
        SET payload = json_set(payload, '$.unitId', json_extract(payload, '$.unitType'), '$.unitName', json('null'), '$.atKnown', json('true'))
        WHERE version IN (SELECT version FROM unit_current);
    `);
  },
};
