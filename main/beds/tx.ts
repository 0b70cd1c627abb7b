/**
 * The bed board's transaction slice on the client: a unit's current report is its newest
 * pending one, else the server's; a new report goes to the overlay, tagged with its mutation.
 */
import type { UnitReport } from '../../common/domain/beds/model';
import type { BedsTx } from '../../common/domain/beds/tx';
import type { LocalStore } from '../store/localStore';
import { UNIT_COLS, UNIT_VALUES, rowToUnit, unitToRow, type UnitRow } from './rows';

/** The newest pending report of the unit, else the server's current one. */
export function visibleUnit(engine: LocalStore, finess: string, unitType: string): UnitReport | undefined {
  const row = (engine.stmt(`SELECT ${UNIT_COLS} FROM ov_units WHERE finess = ? AND unit_type = ? ORDER BY mutation_id DESC LIMIT 1`).get(finess, unitType) ??
    engine.stmt(`SELECT ${UNIT_COLS} FROM units WHERE finess = ? AND unit_type = ?`).get(finess, unitType)) as UnitRow | undefined;
  return row ? rowToUnit(row) : undefined;
}

export function cacheBedsTx(engine: LocalStore, mutationId: number): BedsTx {
  return {
    getCurrentReport: (finess, unitType) => visibleUnit(engine, finess, unitType),
    getReport: (id) => {
      const row = (engine.stmt(`SELECT ${UNIT_COLS} FROM ov_units WHERE id = ?`).get(id) ??
        engine.stmt(`SELECT ${UNIT_COLS} FROM units WHERE id = ?`).get(id) ??
        engine.stmt(`SELECT ${UNIT_COLS} FROM unit_history WHERE id = ?`).get(id)) as UnitRow | undefined;
      return row ? rowToUnit(row) : undefined;
    },
    insertReport: (report) => {
      engine.stmt(`INSERT INTO ov_units (mutation_id, ${UNIT_COLS}) VALUES (@mutation_id, ${UNIT_VALUES})`).run({
        mutation_id: mutationId,
        ...unitToRow(report),
      });
    },
  };
}
