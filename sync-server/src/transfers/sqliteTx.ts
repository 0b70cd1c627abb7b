/** The transfers board's transaction slice over the server's SQLite database. */
import type Database from 'better-sqlite3';
import { holdEntity, operationEntity, transferEntity, transferSummaryEntity } from '../../../common/domain/transfers/entities';
import type { BedHold, Operation, Transfer, TransferSummary } from '../../../common/domain/transfers/model';
import type { TransfersTx } from '../../../common/domain/transfers/tx';
import type { ChangeWriter } from '../store/changeWriter';

export function sqliteTransfersTx(db: Database.Database, writer: ChangeWriter): TransfersTx {
  const st = {
    getTransfer: db.prepare<[string], { data: string }>(`SELECT data FROM transfers WHERE id = ?`),
    putTransfer: db.prepare(`INSERT INTO transfers (id, state, origin_finess, dest_finess, data, version, scope_path)
      VALUES (@id, @state, @origin, @dest, @data, @version, @scopePath)
      ON CONFLICT(id) DO UPDATE SET state = excluded.state, dest_finess = excluded.dest_finess, data = excluded.data,
        version = excluded.version, scope_path = excluded.scope_path`),
    getSummary: db.prepare<[string], { data: string }>(`SELECT data FROM transfer_summaries WHERE transfer_id = ?`),
    putSummary: db.prepare(`INSERT INTO transfer_summaries (transfer_id, data, version, scope_path) VALUES (@transferId, @data, @version, @scopePath)
      ON CONFLICT(transfer_id) DO UPDATE SET data = excluded.data, version = excluded.version, scope_path = excluded.scope_path`),
    getHold: db.prepare<[string], { data: string }>(`SELECT data FROM holds WHERE id = ?`),
    holdsOn: db.prepare<[string, string], { data: string }>(`SELECT data FROM holds WHERE finess = ? AND unit_id = ?`),
    putHold: db.prepare(`INSERT INTO holds (id, transfer_id, finess, unit_id, state, expires_at, data, version, scope_path)
      VALUES (@id, @transferId, @finess, @unitId, @state, @expiresAt, @data, @version, @scopePath)
      ON CONFLICT(id) DO UPDATE SET state = excluded.state, data = excluded.data, version = excluded.version`),
    getOperation: db.prepare<[string], { data: string }>(`SELECT data FROM operations WHERE id = ?`),
    putOperation: db.prepare(`INSERT INTO operations (id, state, data, version, scope_path) VALUES (@id, @state, @data, @version, @scopePath)
      ON CONFLICT(id) DO UPDATE SET state = excluded.state, data = excluded.data, version = excluded.version`),
  };
  return {
    getOperation: (id) => {
      const r = st.getOperation.get(id);
      return r ? (JSON.parse(r.data) as Operation) : undefined;
    },
    putOperation(o) {
      const { row, scopePath } = writer.stamp(operationEntity, o);
      st.putOperation.run({ id: row.id, state: row.state, data: JSON.stringify(row), version: row.version, scopePath });
    },
    getTransfer: (id) => {
      const r = st.getTransfer.get(id);
      return r ? (JSON.parse(r.data) as Transfer) : undefined;
    },
    putTransfer(t) {
      const { row, scopePath } = writer.stamp(transferEntity, t);
      st.putTransfer.run({ id: row.id, state: row.state, origin: row.originFiness, dest: row.destFiness, data: JSON.stringify(row), version: row.version, scopePath });
    },
    getSummary: (transferId) => {
      const r = st.getSummary.get(transferId);
      return r ? (JSON.parse(r.data) as TransferSummary) : undefined;
    },
    putSummary(summary) {
      const { row, scopePath } = writer.stamp(transferSummaryEntity, summary);
      st.putSummary.run({ transferId: row.transferId, data: JSON.stringify(row), version: row.version, scopePath });
    },
    getHold: (id) => {
      const r = st.getHold.get(id);
      return r ? (JSON.parse(r.data) as BedHold) : undefined;
    },
    holdsOn: (finess, unitId) => st.holdsOn.all(finess, unitId).map((r) => JSON.parse(r.data) as BedHold),
    putHold(h) {
      const { row, scopePath } = writer.stamp(holdEntity, h);
      st.putHold.run({ ...row, data: JSON.stringify(row), scopePath });
    },
  };
}
