/** How the cache keeps transfers and holds: the row whole as JSON, beside the columns reads select on. */
import type { BedHold, Operation, Transfer, TransferSummary } from '../../common/domain/transfers/model';

export const OPERATION_COLS = 'id, state, data, version';
export const operationToRow = (o: Operation) => ({ id: o.id, state: o.state, data: JSON.stringify(o), version: o.version });

export const TRANSFER_COLS = 'id, state, origin_finess, dest_finess, data, version';
export const HOLD_COLS = 'id, transfer_id, finess, unit_id, state, expires_at, data, version';

export const transferToRow = (t: Transfer) => ({ id: t.id, state: t.state, origin_finess: t.originFiness, dest_finess: t.destFiness, data: JSON.stringify(t), version: t.version });
export const holdToRow = (h: BedHold) => ({
  id: h.id,
  transfer_id: h.transferId,
  finess: h.finess,
  unit_id: h.unitId,
  state: h.state,
  expires_at: h.expiresAt,
  data: JSON.stringify(h),
  version: h.version,
});

export const SUMMARY_COLS = 'transfer_id, data, version';
export const summaryToRow = (s: TransferSummary) => ({ transfer_id: s.transferId, data: JSON.stringify(s), version: s.version });
