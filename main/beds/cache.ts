/**
 * How the client cache keeps the bed board's rows: each unit's current report from the
 * server in `units` (replaced only by a report observed later, or at the same time with a
 * newer server version: a late report of old figures never replaces newer ones), every
 * report seen kept in `unit_history` (so a chart still shows something offline), pending
 * reports in `ov_units`, and the unit change counter the live bed views read (`unit_changes`).
 */
import { unitEntity } from '../../common/domain/beds/entities';
import type { UnitReport } from '../../common/domain/beds/model';
import { defineCacheEntity, type ChangeCounter } from '../store/cacheEntity';
import { UNIT_COLS, UNIT_VALUES, unitToRow } from './rows';

export const unitChanges: ChangeCounter = { table: 'unit_changes', keyColumns: ['finess', 'unit_id'] };

export const unitCache = defineCacheEntity<UnitReport>({
  entity: unitEntity,
  table: 'units',
  overlay: 'ov_units',
  copies: ['unit_history'],
  keyColumns: ['finess', 'unit_id'],
  // A row from an older server names no unit: one unit per type.
  keyOf: (r) => [r.finess, r.unitId ?? r.unitType],
  // A unit's server row at or after a report's version already shows it or a later one.
  settle: 'version',
  writer({ stmt }) {
    const up = stmt(
      `INSERT INTO units (${UNIT_COLS}, change_seq) VALUES (${UNIT_VALUES}, @change_seq)
       ON CONFLICT(finess, unit_id) DO UPDATE SET id = excluded.id, unit_name = excluded.unit_name, unit_type = excluded.unit_type,
         installed = excluded.installed, staffed = excluded.staffed, available = excluded.available, covid_pos = excluded.covid_pos,
         covid_neg = excluded.covid_neg, extra24h = excluded.extra24h, extra72h = excluded.extra72h, surge = excluded.surge,
         assignment = excluded.assignment, temporary = excluded.temporary, ror = excluded.ror, comment = excluded.comment,
         source = excluded.source, reported_by = excluded.reported_by, reported_role = excluded.reported_role, at = excluded.at,
         at_known = excluded.at_known, version = excluded.version, change_seq = excluded.change_seq
       WHERE julianday(excluded.at) > julianday(units.at)
          OR (julianday(excluded.at) = julianday(units.at) AND excluded.version > units.version)`,
    );
    const keep = stmt(`INSERT INTO unit_history (${UNIT_COLS}) VALUES (${UNIT_VALUES}) ON CONFLICT(id) DO NOTHING`);
    return {
      upsert(r, seq) {
        const row = unitToRow(r);
        keep.run(row);
        return up.run({ ...row, change_seq: seq }).changes > 0;
      },
    };
  },
  // A server row carries its own change (`change_seq`); pending rows move the unit in `unit_changes`.
  counter: { counter: unitChanges, stamp: 'change_seq', keysOf: () => [], overlayColumns: [['finess', 'unit_id']] },
});

export const bedCache = [unitCache] as const;
