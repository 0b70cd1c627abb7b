/**
 * The transfers board's slice on a workstation: reads see the server's rows with the pending
 * ones on top (each key's newest pending row); writes go to the overlay of the mutation.
 */
import type { BedHold, Operation, Transfer, TransferSummary } from '../../common/domain/transfers/model';
import type { TransfersTx } from '../../common/domain/transfers/tx';
import type { LocalStore } from '../store/localStore';
import { visibleData } from '../store/visibleRows';
import { HOLD_COLS, OPERATION_COLS, SUMMARY_COLS, TRANSFER_COLS, holdToRow, operationToRow, summaryToRow, transferToRow } from './rows';

/** Each transfer's clinical summary this cache holds, pending text on top (`ids`: those transfers only). */
export function visibleSummaries(engine: LocalStore, ids?: readonly string[]): Map<string, { summary: TransferSummary; pending: boolean }> {
  const where = ids ? `transfer_id IN (SELECT value FROM json_each(?))` : '1 = 1';
  const params = ids ? [JSON.stringify(ids)] : [];
  const server = engine.stmt(`SELECT data FROM transfer_summaries WHERE ${where}`).all(...params) as Array<{ data: string }>;
  const pending = engine.stmt(`SELECT data FROM ov_transfer_summaries WHERE ${where} ORDER BY mutation_id`).all(...params) as Array<{ data: string }>;
  const out = new Map<string, { summary: TransferSummary; pending: boolean }>();
  for (const r of server) {
    const s = JSON.parse(r.data) as TransferSummary;
    out.set(s.transferId, { summary: s, pending: false });
  }
  for (const r of pending) {
    const s = JSON.parse(r.data) as TransferSummary;
    out.set(s.transferId, { summary: s, pending: true });
  }
  return out;
}

export function cacheTransfersTx(engine: LocalStore, mutationId: number): TransfersTx {
  return {
    getOperation: (id) => visibleData<Operation>(engine, 'operations', 'id = ?', [id])[0]?.row,
    putOperation(o) {
      engine.stmt(`INSERT INTO ov_operations (mutation_id, ${OPERATION_COLS}) VALUES (@mutation_id, @id, @state, @data, @version)`).run({ mutation_id: mutationId, ...operationToRow(o) });
    },
    getTransfer: (id) => visibleData<Transfer>(engine, 'transfers', 'id = ?', [id])[0]?.row,
    putTransfer(t) {
      engine.stmt(`INSERT INTO ov_transfers (mutation_id, ${TRANSFER_COLS}) VALUES (@mutation_id, @id, @state, @origin_finess, @dest_finess, @data, @version)`).run({ mutation_id: mutationId, ...transferToRow(t) });
    },
    getSummary: (transferId) => visibleSummaries(engine, [transferId]).get(transferId)?.summary,
    putSummary(s) {
      engine.stmt(`INSERT INTO ov_transfer_summaries (mutation_id, ${SUMMARY_COLS}) VALUES (@mutation_id, @transfer_id, @data, @version)`).run({ mutation_id: mutationId, ...summaryToRow(s) });
    },
    getHold: (id) => visibleData<BedHold>(engine, 'holds', 'id = ?', [id])[0]?.row,
    holdsOn: (finess, unitId) => visibleData<BedHold>(engine, 'holds', 'finess = ? AND unit_id = ?', [finess, unitId]).map((r) => r.row),
    putHold(h) {
      engine
        .stmt(`INSERT INTO ov_holds (mutation_id, ${HOLD_COLS}) VALUES (@mutation_id, @id, @transfer_id, @finess, @unit_id, @state, @expires_at, @data, @version)`)
        .run({ mutation_id: mutationId, ...holdToRow(h) });
    },
  };
}
