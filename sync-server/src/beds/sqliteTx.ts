/**
 * The bed board's transaction slice over the server's SQLite tables: every report is kept
 * (`unit_reports`) and becomes its unit's current one (`unit_current`) unless it was observed
 * before it (latest by observation time; equal times: the later version). Reports are
 * stamped through the engine's `ChangeWriter`.
 */
import type Database from 'better-sqlite3';
import { unitEntity } from '../../../common/domain/beds/entities';
import type { RorDetail, UnitReport } from '../../../common/domain/beds/model';
import type { BedsTx } from '../../../common/domain/beds/tx';
import type { ChangeWriter } from '../store/changeWriter';

/** A `unit_reports` row as a `UnitReport` (aliased `r`). */
export const REPORT_COLUMNS = `r.id, r.finess, r.unit_id AS unitId, r.unit_name AS unitName, r.unit_type AS unitType, r.installed, r.staffed,
  r.available, r.covid_pos AS covidPos, r.covid_neg AS covidNeg, r.extra_24h AS extra24h, r.extra_72h AS extra72h,
  r.surge, r.assignment, r.temporary, r.ror, r.comment,
  r.source, r.reported_by AS reportedBy, r.reported_role AS reportedRole, r.at, r.at_known AS atKnown, r.version`;

type ReportValues = [
  string, string, string, string | null, string, number, number, number, number | null, number | null, number | null, number | null,
  number | null, string | null, number, string | null,
  string, string, string, string, string, number, number, string,
];

/** A `unit_reports` row as the driver returns it (`atKnown`, `temporary` as 0/1, `ror` as JSON). */
export type ReportRow = Omit<UnitReport, 'atKnown' | 'temporary' | 'ror'> & { atKnown: number; temporary: number; ror: string | null };
export const toReport = (r: ReportRow): UnitReport => ({ ...r, atKnown: r.atKnown === 1, temporary: r.temporary === 1, ror: r.ror ? (JSON.parse(r.ror) as RorDetail) : null });

function prepare(db: Database.Database) {
  return {
    // Through the unit's history index (its current row has the unit's current version), whose
    // leaf the report about to be written goes into anyway, rather than through the id index,
    // where random (v4) ids put each unit's current report on a page of its own: a feed
    // request's first pass over cold units reads half as many pages.
    getCurrentReport: db.prepare<[string, string], ReportRow>(`SELECT ${REPORT_COLUMNS}
      FROM unit_current c JOIN unit_reports r INDEXED BY unit_reports_unit
        ON r.finess = c.finess AND r.unit_id = c.unit_id AND r.version = c.version AND r.id = c.report_id
      WHERE c.finess = ? AND c.unit_id = ?`),
    getReport: db.prepare<[string], ReportRow>(`SELECT ${REPORT_COLUMNS} FROM unit_reports r WHERE r.id = ?`),
    insertReport: db.prepare<ReportValues>(`
      INSERT INTO unit_reports (id, finess, unit_id, unit_name, unit_type, installed, staffed, available, covid_pos, covid_neg,
        extra_24h, extra_72h, surge, assignment, temporary, ror, comment, source, reported_by, reported_role, at, at_known, version, scope_path)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    // Latest by observation time wins; at equal times the later version (versions only grow).
    // julianday() compares instants across offsets (`Z`, `+01:00`).
    putCurrent: db.prepare<[string, string, string, number, string, string]>(`
      INSERT INTO unit_current (finess, unit_id, report_id, version, scope_path, at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(finess, unit_id) DO UPDATE SET report_id = excluded.report_id, version = excluded.version,
        scope_path = excluded.scope_path, at = excluded.at
      WHERE julianday(excluded.at) >= julianday(unit_current.at)`),
  };
}

export function sqliteBedsTx(db: Database.Database, writer: ChangeWriter): BedsTx {
  const st = prepare(db);
  return {
    getCurrentReport: (finess, unitId) => {
      const r = st.getCurrentReport.get(finess, unitId);
      return r && toReport(r);
    },
    getReport: (id) => {
      const r = st.getReport.get(id);
      return r && toReport(r);
    },
    insertReport(report) {
      const { row: r, scopePath } = writer.stamp(unitEntity, report);
      st.insertReport.run(
        r.id, r.finess, r.unitId, r.unitName, r.unitType, r.installed, r.staffed, r.available, r.covidPos, r.covidNeg,
        r.extra24h, r.extra72h, r.surge, r.assignment, r.temporary ? 1 : 0, r.ror ? JSON.stringify(r.ror) : null, r.comment, r.source, r.reportedBy, r.reportedRole, r.at, r.atKnown ? 1 : 0, r.version, scopePath,
      );
      st.putCurrent.run(r.finess, r.unitId, r.id, r.version, scopePath, r.at);
    },
  };
}
