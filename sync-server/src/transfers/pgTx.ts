/**
 * The transfers board's part of the PostgreSQL store: its transaction slice (the same tables
 * as `sqliteTx.ts`, rows kept whole as JSON; reads from the mutation's read cache, writes
 * buffered: `store/pg/txRuntime.ts`) and its store part.
 */
import { holdEntity, operationEntity, transferEntity, transferSummaryEntity } from '../../../common/domain/transfers/entities';
import type { BedHold, Operation, Transfer, TransferSummary } from '../../../common/domain/transfers/model';
import type { TransfersTx } from '../../../common/domain/transfers/tx';
import type { PgBoardPart } from '../store/pg/board';
import type { PgChangeWriter } from '../store/pg/changeWriter';
import type { PgDb } from '../store/pg/db';
import { readAll, readOne, type PgTxRuntime } from '../store/pg/txRuntime';
import type { TransfersStore } from './store';

type DataRow = { data: string };
const parse = <T>(r: DataRow): T => JSON.parse(r.data) as T;

export function pgTransfersTx(rt: PgTxRuntime, writer: PgChangeWriter): TransfersTx {
  return {
    getOperation: (id) => readOne(rt, 'tr.operation', `SELECT data FROM operations WHERE id = $1`, [id], parse<Operation>),
    putOperation(o) {
      const { row, scopePath } = writer.stamp(operationEntity, o);
      rt.write(
        `INSERT INTO operations (id, state, data, version, scope_path) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, data = excluded.data, version = excluded.version`,
        [row.id, row.state, JSON.stringify(row), row.version, scopePath],
      );
    },
    getTransfer: (id) => readOne(rt, 'tr.transfer', `SELECT data FROM transfers WHERE id = $1`, [id], parse<Transfer>),
    putTransfer(t) {
      const { row, scopePath } = writer.stamp(transferEntity, t);
      rt.write(
        `INSERT INTO transfers (id, state, origin_finess, dest_finess, data, version, scope_path) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, dest_finess = excluded.dest_finess, data = excluded.data,
           version = excluded.version, scope_path = excluded.scope_path`,
        [row.id, row.state, row.originFiness, row.destFiness, JSON.stringify(row), row.version, scopePath],
      );
    },
    getSummary: (transferId) => readOne(rt, 'tr.summary', `SELECT data FROM transfer_summaries WHERE transfer_id = $1`, [transferId], parse<TransferSummary>),
    putSummary(summary) {
      const { row, scopePath } = writer.stamp(transferSummaryEntity, summary);
      rt.write(
        `INSERT INTO transfer_summaries (transfer_id, data, version, scope_path) VALUES ($1, $2, $3, $4)
         ON CONFLICT (transfer_id) DO UPDATE SET data = excluded.data, version = excluded.version, scope_path = excluded.scope_path`,
        [row.transferId, JSON.stringify(row), row.version, scopePath],
      );
    },
    getHold: (id) => readOne(rt, 'tr.hold', `SELECT data FROM holds WHERE id = $1`, [id], parse<BedHold>),
    // SQLite returns them in rowid (insertion) order; the same order here.
    holdsOn: (finess, unitId) =>
      readAll(rt, 'tr.holdsOn', `SELECT data FROM holds WHERE finess = $1 AND unit_id = $2 ORDER BY version`, [finess, unitId], parse<BedHold>),
    putHold(h) {
      const { row, scopePath } = writer.stamp(holdEntity, h);
      rt.write(
        `INSERT INTO holds (id, transfer_id, finess, unit_id, state, expires_at, data, version, scope_path) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, data = excluded.data, version = excluded.version`,
        [row.id, row.transferId, row.finess, row.unitId, row.state, row.expiresAt, JSON.stringify(row), row.version, scopePath],
      );
    },
  };
}

export function pgTransfersStore(db: PgDb): TransfersStore {
  return {
    async activeHolds(finess, unitId, now) {
      const rows = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM holds WHERE finess = $1 AND unit_id = $2 AND state = 'active' AND expires_at::timestamptz > $3::timestamptz`,
        [finess, unitId, now.toISOString()],
      );
      return rows[0]?.n ?? 0;
    },
    async countTransfers() {
      return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM transfers`))[0]?.n ?? 0;
    },
  };
}

export const transfersPg: PgBoardPart<TransfersStore> = { slice: pgTransfersTx, store: pgTransfersStore };
