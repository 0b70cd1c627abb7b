/**
 * The bed board's transaction slice over the server's SQLite tables: every report is kept
 * (`unit_reports`) and becomes its unit's current one (`unit_current`, latest in server order:
 * versions only grow). Reports are stamped through the engine's `ChangeWriter`.
 */
import type Database from 'better-sqlite3';
import { unitEntity } from '../../../common/domain/beds/entities';
import type { UnitReport } from '../../../common/domain/beds/model';
import type { BedsTx } from '../../../common/domain/beds/tx';
import type { ChangeWriter } from '../store/changeWriter';

/** A `unit_reports` row as a `UnitReport` (aliased `r`). */
export const REPORT_COLUMNS = `r.id, r.finess, r.unit_type AS unitType, r.installed, r.staffed, r.available,
  r.covid_pos AS covidPos, r.covid_neg AS covidNeg, r.extra_24h AS extra24h, r.extra_72h AS extra72h, r.comment,
  r.source, r.reported_by AS reportedBy, r.reported_role AS reportedRole, r.at, r.version`;

type ReportValues = [string, string, string, number, number, number, number | null, number | null, number | null, number | null, string, string, string, string, string, number, string];

function prepare(db: Database.Database) {
  return {
    getCurrentReport: db.prepare<[string, string], UnitReport>(`SELECT ${REPORT_COLUMNS}
      FROM unit_current c JOIN unit_reports r ON r.id = c.report_id WHERE c.finess = ? AND c.unit_type = ?`),
    getReport: db.prepare<[string], UnitReport>(`SELECT ${REPORT_COLUMNS} FROM unit_reports r WHERE r.id = ?`),
    insertReport: db.prepare<ReportValues>(`
      INSERT INTO unit_reports (id, finess, unit_type, installed, staffed, available, covid_pos, covid_neg,
        extra_24h, extra_72h, comment, source, reported_by, reported_role, at, version, scope_path)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    // Latest report in server order wins: versions only grow, so the upsert always replaces.
    putCurrent: db.prepare<[string, string, string, number, string]>(`
      INSERT INTO unit_current (finess, unit_type, report_id, version, scope_path) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(finess, unit_type) DO UPDATE SET report_id = excluded.report_id, version = excluded.version,
        scope_path = excluded.scope_path`),
  };
}

export function sqliteBedsTx(db: Database.Database, writer: ChangeWriter): BedsTx {
  const st = prepare(db);
  return {
    getCurrentReport: (finess, unitType) => st.getCurrentReport.get(finess, unitType),
    getReport: (id) => st.getReport.get(id),
    insertReport(report) {
      const { row: r, scopePath } = writer.stamp(unitEntity, report);
      st.insertReport.run(
        r.id, r.finess, r.unitType, r.installed, r.staffed, r.available, r.covidPos, r.covidNeg,
        r.extra24h, r.extra72h, r.comment, r.source, r.reportedBy, r.reportedRole, r.at, r.version, scopePath,
      );
      st.putCurrent.run(r.finess, r.unitType, r.id, r.version, scopePath);
    },
  };
}
