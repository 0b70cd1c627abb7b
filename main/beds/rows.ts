/**
 * Row shapes of the bed board in the local cache and their mapping to the shared domain
 * types. Pure: the SQL lives in the board's cache, slice and queries.
 */
import type { Assignment, ReportSource, RorDetail, UnitReport } from '../../common/domain/beds/model';

export interface UnitRow {
  id: string;
  finess: string;
  unit_id: string;
  unit_name: string | null;
  unit_type: string;
  installed: number;
  staffed: number;
  available: number;
  covid_pos: number | null;
  covid_neg: number | null;
  extra24h: number | null;
  extra72h: number | null;
  surge: number | null;
  assignment: string | null;
  temporary: number;
  /** The ROR detail as JSON, or null. */
  ror: string | null;
  comment: string;
  source: string;
  reported_by: string;
  reported_role: string;
  at: string;
  at_known: number;
  version: number;
}

export const UNIT_COLS =
  'id, finess, unit_id, unit_name, unit_type, installed, staffed, available, covid_pos, covid_neg, extra24h, extra72h, surge, assignment, temporary, ror, comment, source, reported_by, reported_role, at, at_known, version';
/** Named placeholders in UNIT_COLS order. */
export const UNIT_VALUES =
  '@id, @finess, @unit_id, @unit_name, @unit_type, @installed, @staffed, @available, @covid_pos, @covid_neg, @extra24h, @extra72h, @surge, @assignment, @temporary, @ror, @comment, @source, @reported_by, @reported_role, @at, @at_known, @version';

export function unitToRow(r: UnitReport): UnitRow {
  return {
    id: r.id,
    finess: r.finess,
    // A row from before unit identity (a change-log payload of an older server) names no unit: one per type.
    unit_id: r.unitId ?? r.unitType,
    unit_name: r.unitName ?? null,
    unit_type: r.unitType,
    installed: r.installed,
    staffed: r.staffed,
    available: r.available,
    covid_pos: r.covidPos,
    covid_neg: r.covidNeg,
    extra24h: r.extra24h,
    extra72h: r.extra72h,
    // Fields a server of an older release does not send: nothing said.
    surge: r.surge ?? null,
    assignment: r.assignment ?? null,
    temporary: r.temporary ? 1 : 0,
    ror: r.ror ? JSON.stringify(r.ror) : null,
    comment: r.comment,
    source: r.source,
    reported_by: r.reportedBy,
    reported_role: r.reportedRole,
    at: r.at,
    at_known: r.atKnown === false ? 0 : 1,
    version: r.version,
  };
}

export function rowToUnit(r: UnitRow): UnitReport {
  return {
    id: r.id,
    finess: r.finess,
    unitId: r.unit_id,
    unitName: r.unit_name,
    unitType: r.unit_type,
    installed: r.installed,
    staffed: r.staffed,
    available: r.available,
    covidPos: r.covid_pos,
    covidNeg: r.covid_neg,
    extra24h: r.extra24h,
    extra72h: r.extra72h,
    surge: r.surge,
    assignment: r.assignment === 'covid+' || r.assignment === 'covid-' ? (r.assignment satisfies Assignment) : null,
    temporary: r.temporary === 1,
    ror: r.ror ? (JSON.parse(r.ror) as RorDetail) : null,
    comment: r.comment,
    source: (r.source === 'import' || r.source === 'feed' ? r.source : 'app') satisfies ReportSource,
    reportedBy: r.reported_by,
    reportedRole: r.reported_role,
    at: r.at,
    atKnown: r.at_known !== 0,
    version: r.version,
  };
}
