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
import { appendAudit } from '../store/pg/audit';
import { FINISHED_STATES } from '../../../common/domain/transfers/model';
import { planSummaryPurge, type TransfersStore } from './store';

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
    // As the SQLite part, under the change log's head lock first (the order pushes take locks:
    // head, then audit), so versions stay gap-free and in commit order across nodes, and two
    // nodes' hourly purges run one after the other (the second finds nothing left).
    async purgeExpiredSummaries(batch) {
      return db.tx(async (q) => {
        const head = (await q.query<{ version: number }>('SELECT version FROM change_log_head WHERE id = 1 FOR UPDATE')).rows[0]?.version ?? 0;
        const due = await q.query<{ transfer: string; summary: string }>(
          `SELECT t.data AS transfer, s.data AS summary FROM transfer_summaries s JOIN transfers t ON t.id = s.transfer_id
           WHERE t.state = ANY($1::text[]) AND (s.data::jsonb ->> 'purgedAt') IS NULL
           ORDER BY (t.data::jsonb ->> 'createdAt'), t.id`,
          [[...FINISHED_STATES]],
        );
        const rows = due.rows.map((r) => ({ transfer: JSON.parse(r.transfer) as Transfer, summary: JSON.parse(r.summary) as TransferSummary }));
        const plan = planSummaryPurge(rows, batch, head);
        if (!plan) return { transferIds: [], changes: [] };
        for (const e of plan.erased) {
          // The exception to the append-only change log (as SQLite migration 15): older rows keep their place, not their text.
          await q.query(
            `UPDATE change_log SET payload = jsonb_set(jsonb_set(payload::jsonb, '{summary}', '""'), '{purgedAt}', to_jsonb($1::text))::text
             WHERE entity = 'transferSummary' AND entity_id = $2 AND version < $3`,
            [plan.at, e.transferId, e.firstVersion],
          );
          for (const c of e.changes) {
            await q.query(`INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at, latest_only) VALUES ($1, 'transferSummary', $2, $3, $4, $5, 0)`, [
              c.change.version,
              e.transferId,
              c.scopePath,
              e.payload,
              plan.at,
            ]);
          }
          await q.query(`UPDATE transfer_summaries SET data = $1, version = $2 WHERE transfer_id = $3`, [e.payload, e.version, e.transferId]);
        }
        const last = plan.erased[plan.erased.length - 1]?.version ?? head;
        await q.query(`UPDATE change_log_head SET version = $1 WHERE id = 1`, [last]);
        await appendAudit(q, plan.audit, batch.now);
        return { transferIds: plan.transferIds, changes: plan.changes };
      });
    },
  };
}

export const transfersPg: PgBoardPart<TransfersStore> = { slice: pgTransfersTx, store: pgTransfersStore };
