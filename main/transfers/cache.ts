/** How the cache keeps the transfers board's entities: a later state of a row replaces the earlier one. */
import { holdEntity, operationEntity, transferEntity, transferSummaryEntity } from '../../common/domain/transfers/entities';
import type { BedHold, Operation, Transfer, TransferSummary } from '../../common/domain/transfers/model';
import { defineCacheEntity } from '../store/cacheEntity';
import { HOLD_COLS, OPERATION_COLS, SUMMARY_COLS, TRANSFER_COLS, holdToRow, operationToRow, summaryToRow, transferToRow } from './rows';

export const transferCache = defineCacheEntity<Transfer>({
  entity: transferEntity,
  table: 'transfers',
  overlay: 'ov_transfers',
  keyColumns: ['id'],
  keyOf: (t) => [t.id],
  settle: 'version',
  writer({ stmt }) {
    const up = stmt(
      `INSERT INTO transfers (${TRANSFER_COLS}) VALUES (@id, @state, @origin_finess, @dest_finess, @data, @version)
       ON CONFLICT(id) DO UPDATE SET state = excluded.state, origin_finess = excluded.origin_finess, dest_finess = excluded.dest_finess,
         data = excluded.data, version = excluded.version
       WHERE excluded.version > transfers.version`,
    );
    const held = stmt('SELECT state FROM transfers WHERE id = ?');
    // A transfer is news when this cache did not have it, or had it in another state (a step).
    return {
      upsert: (t) => up.run(transferToRow(t)).changes > 0,
      isNew: (t) => (held.get(t.id) as { state: string } | undefined)?.state !== t.state,
    };
  },
});

/** A transfer's clinical summary: only a party's cache ever receives one. */
export const transferSummaryCache = defineCacheEntity<TransferSummary>({
  entity: transferSummaryEntity,
  table: 'transfer_summaries',
  overlay: 'ov_transfer_summaries',
  keyColumns: ['transfer_id'],
  keyOf: (s) => [s.transferId],
  settle: 'version',
  writer({ stmt }) {
    const up = stmt(
      `INSERT INTO transfer_summaries (${SUMMARY_COLS}) VALUES (@transfer_id, @data, @version)
       ON CONFLICT(transfer_id) DO UPDATE SET data = excluded.data, version = excluded.version
       WHERE excluded.version > transfer_summaries.version`,
    );
    return { upsert: (s) => up.run(summaryToRow(s)).changes > 0 };
  },
});

export const holdCache = defineCacheEntity<BedHold>({
  entity: holdEntity,
  table: 'holds',
  overlay: 'ov_holds',
  keyColumns: ['id'],
  keyOf: (h) => [h.id],
  settle: 'version',
  writer({ stmt }) {
    const up = stmt(
      `INSERT INTO holds (${HOLD_COLS}) VALUES (@id, @transfer_id, @finess, @unit_id, @state, @expires_at, @data, @version)
       ON CONFLICT(id) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at, data = excluded.data, version = excluded.version
       WHERE excluded.version > holds.version`,
    );
    return { upsert: (h) => up.run(holdToRow(h)).changes > 0 };
  },
});

export const operationCache = defineCacheEntity<Operation>({
  entity: operationEntity,
  table: 'operations',
  overlay: 'ov_operations',
  keyColumns: ['id'],
  keyOf: (o) => [o.id],
  settle: 'version',
  writer({ stmt }) {
    const up = stmt(
      `INSERT INTO operations (${OPERATION_COLS}) VALUES (@id, @state, @data, @version)
       ON CONFLICT(id) DO UPDATE SET state = excluded.state, data = excluded.data, version = excluded.version
       WHERE excluded.version > operations.version`,
    );
    return { upsert: (o) => up.run(operationToRow(o)).changes > 0 };
  },
});

export const transfersCache = [transferCache, transferSummaryCache, holdCache, operationCache] as const;
