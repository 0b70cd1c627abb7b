/**
 * The bed board's transaction slice on the client: a unit's current report is its newest
 * pending one, else the server's; a new report goes to the overlay, tagged with its mutation.
 */
import type { UnitReport } from '../../common/domain/beds/model';
import { isEarlier } from '../../common/domain/beds/totals';
import type { BedsTx } from '../../common/domain/beds/tx';
import type { LocalStore } from '../store/localStore';
import { UNIT_COLS, UNIT_VALUES, rowToUnit, unitToRow, type UnitRow } from './rows';

/** The newest pending report of the unit, unless the server's current one was observed later; else the server's. */
export function visibleUnit(engine: LocalStore, finess: string, unitId: string): UnitReport | undefined {
  const pending = engine.stmt(`SELECT ${UNIT_COLS} FROM ov_units WHERE finess = ? AND unit_id = ? ORDER BY mutation_id DESC LIMIT 1`).get(finess, unitId) as
    | UnitRow
    | undefined;
  const server = engine.stmt(`SELECT ${UNIT_COLS} FROM units WHERE finess = ? AND unit_id = ?`).get(finess, unitId) as UnitRow | undefined;
  const row = pending && server && isEarlier(pending.at, server.at) ? server : (pending ?? server);
  return row ? rowToUnit(row) : undefined;
}

export function cacheBedsTx(engine: LocalStore, mutationId: number): BedsTx {
  return {
    getCurrentReport: (finess, unitId) => visibleUnit(engine, finess, unitId),
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
