/**
 * How `beds.changes` carries unit views across the bridge (Electron IPC or the web host):
 * compact rows, each establishment's place once. Pure: main encodes, the renderer decodes.
 */
import type { Assignment, ReportSource, RorDetail } from './model';
import type { UnitChangesView, UnitRef, UnitView } from './views';

/** A unit's report and its pending flag (1: a local report not yet confirmed). */
export type UnitWireRow = [
  id: string,
  finess: string,
  unitId: string,
  unitName: string | null,
  unitType: string,
  installed: number,
  staffed: number,
  available: number,
  covidPos: number | null,
  covidNeg: number | null,
  extra24h: number | null,
  extra72h: number | null,
  comment: string,
  source: ReportSource,
  reportedBy: string,
  reportedRole: string,
  at: string,
  atKnown: 0 | 1,
  version: number,
  pending: 0 | 1,
  surge: number | null,
  assignment: Assignment | null,
  temporary: 0 | 1,
  ror: RorDetail | null,
];

/** Where an establishment is: its FINESS first. */
export type PlaceWireRow = [
  finess: string,
  establishmentName: string,
  establishmentShortName: string,
  city: string,
  dep: string,
  region: string,
  lat: number | null,
  lon: number | null,
];

/**
 * How `beds.changes` carries unit views across the bridge: each unit as one array of its
 * report's fields in a fixed order, and each establishment's place once. A national
 * picture (18,000 units in 3,000 establishments) is then about a third of the JSON of
 * 18,000 view objects (no field names, no place repeated per unit), cheaper to serialise
 * in main and to parse in the renderer. Pure: main encodes, the renderer decodes.
 */
export interface UnitChangesWire {
  full: boolean;
  rows: UnitWireRow[];
  /** The place of every establishment that `rows` names, once each. */
  places: PlaceWireRow[];
  removed: UnitRef[];
  cursor: number;
}

/** The fields of a unit's report that its wire row carries (a view has them, and so has main's visible report). */
export type UnitRowFields = Pick<UnitView, 'id' | 'finess' | 'unitId' | 'unitName' | 'unitType' | 'installed' | 'staffed' | 'available' | 'covidPos' | 'covidNeg' | 'extra24h' | 'extra72h' | 'comment' | 'source' | 'reportedBy' | 'reportedRole' | 'at' | 'atKnown' | 'version' | 'pending' | 'surge' | 'assignment' | 'temporary' | 'ror'>;

/** A unit's row on the wire, in the order `UnitWireRow` fixes. */
export function unitWireRow(u: UnitRowFields): UnitWireRow {
  return [
    u.id,
    u.finess,
    u.unitId,
    u.unitName,
    u.unitType,
    u.installed,
    u.staffed,
    u.available,
    u.covidPos,
    u.covidNeg,
    u.extra24h,
    u.extra72h,
    u.comment,
    u.source,
    u.reportedBy,
    u.reportedRole,
    u.at,
    u.atKnown ? 1 : 0,
    u.version,
    u.pending ? 1 : 0,
    u.surge,
    u.assignment,
    u.temporary ? 1 : 0,
    u.ror,
  ];
}

export function encodeUnitChanges(c: UnitChangesView): UnitChangesWire {
  const places = new Map<string, PlaceWireRow>();
  const rows = c.units.map((u): UnitWireRow => {
    if (!places.has(u.finess)) places.set(u.finess, [u.finess, u.establishmentName, u.establishmentShortName, u.city, u.dep, u.region, u.lat, u.lon]);
    return unitWireRow(u);
  });
  return { full: c.full, rows, places: [...places.values()], removed: c.removed, cursor: c.cursor };
}

export function decodeUnitChanges(w: UnitChangesWire): UnitChangesView {
  const places = new Map<string, PlaceWireRow>();
  for (const p of w.places) places.set(p[0], p);
  const units = w.rows.map((r): UnitView => {
    const p = places.get(r[1]);
    return {
      id: r[0],
      finess: r[1],
      unitId: r[2],
      unitName: r[3],
      unitType: r[4],
      installed: r[5],
      staffed: r[6],
      available: r[7],
      covidPos: r[8],
      covidNeg: r[9],
      extra24h: r[10],
      extra72h: r[11],
      comment: r[12],
      source: r[13],
      reportedBy: r[14],
      reportedRole: r[15],
      at: r[16],
      atKnown: r[17] === 1,
      version: r[18],
      pending: r[19] === 1,
      surge: r[20],
      assignment: r[21],
      temporary: r[22] === 1,
      ror: r[23],
      establishmentName: p ? p[1] : r[1],
      establishmentShortName: p ? p[2] : r[1],
      city: p ? p[3] : '',
      dep: p ? p[4] : '',
      region: p ? p[5] : '',
      lat: p ? p[6] : null,
      lon: p ? p[7] : null,
    };
  });
  return { full: w.full, units, removed: w.removed, cursor: w.cursor };
}
