/**
 * Server migration 3: Critical-care beds (issue 3). The change log learns the `unit` entity (SQLite cannot
 * alter a CHECK constraint: the table is rebuilt, rows kept). Pulls of events, messages and
 * acks walk a partial index that leaves unit reports out, and units are served from
 * `unit_current` (one row per unit, its latest version): a pull never scans the history.
 */
import type { ServerMigration } from '../../store/migrations';

export const m003Beds: ServerMigration = {
  version: 3,
  name: 'beds',
  up(db) {
    db.exec(`
      CREATE TABLE change_log_v3 (
        version INTEGER PRIMARY KEY,
        entity TEXT NOT NULL CHECK (entity IN ('event', 'message', 'ack', 'unit')),
        entity_id TEXT NOT NULL,
        scope_path TEXT NOT NULL,
        payload TEXT NOT NULL,
        at TEXT NOT NULL
      );
      INSERT INTO change_log_v3 (version, entity, entity_id, scope_path, payload, at)
        SELECT version, entity, entity_id, scope_path, payload, at FROM change_log;
      DROP TABLE change_log;
      ALTER TABLE change_log_v3 RENAME TO change_log;
      CREATE INDEX change_log_sync ON change_log(version, scope_path) WHERE entity <> 'unit';
      CREATE TABLE unit_reports (
        id TEXT PRIMARY KEY,
        finess TEXT NOT NULL,
        unit_type TEXT NOT NULL,
        installed INTEGER NOT NULL,
        staffed INTEGER NOT NULL,
        available INTEGER NOT NULL,
        covid_pos INTEGER,
        covid_neg INTEGER,
        extra_24h INTEGER,
        extra_72h INTEGER,
        comment TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('app', 'import', 'feed')),
        reported_by TEXT NOT NULL,
        reported_role TEXT NOT NULL,
        at TEXT NOT NULL,
        version INTEGER NOT NULL,
        scope_path TEXT NOT NULL
      );
      CREATE INDEX unit_reports_unit ON unit_reports(finess, unit_type, version);
      CREATE TABLE unit_current (
        finess TEXT NOT NULL,
        unit_type TEXT NOT NULL,
        report_id TEXT NOT NULL REFERENCES unit_reports(id),
        version INTEGER NOT NULL,
        scope_path TEXT NOT NULL,
        PRIMARY KEY (finess, unit_type)
      ) WITHOUT ROWID;
      CREATE INDEX unit_current_version ON unit_current(version, scope_path);
    `);
  },
};
