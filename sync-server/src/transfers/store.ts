/** The transfers board's own reads on the server, outside mutators, and the clinical summaries' retention purge. */
import type Database from 'better-sqlite3';
import { finishedAt, FINISHED_STATES, type Transfer, type TransferSummary } from '../../../common/domain/transfers/model';
import { fr } from '../../../common/i18n/fr';
import type { Change } from '../../../common/protocol';
import { privateScope } from '../../../common/territory';
import { AuditLog, type AuditInput } from '../audit/store';
import type { ScopedChange } from '../store/types';

/** One batch of the retention purge (`purgeExpiredSummaries`). */
export interface SummaryPurgeBatch {
  /** Summaries erased by the batch are of transfers finished before this instant. */
  finishedBefore: Date;
  /** The server's clock: the tombstones' `purgedAt` and the change log's `at`. */
  now: Date;
  /** At most this many summaries in the batch's transaction. */
  limit: number;
  /** Who runs the purge (the server's timer, the command line) and what its audit entry adds (never text). */
  audit: Pick<AuditInput, 'actorId' | 'actorName' | 'actorRole'> & { retentionDays: number };
}

export interface SummaryPurgeResult {
  /** The transfers whose summary this batch erased, by creation time then id (the same order on every store). */
  transferIds: string[];
  /** The tombstones' change-log rows, for the pokes sent after commit. */
  changes: ScopedChange[];
}

export interface TransfersStore {
  /** Beds held right now on a unit by active holds (tests and diagnostics). */
  activeHolds(finess: string, unitId: string, now: Date): Promise<number>;
  countTransfers(): Promise<number>;
  /**
   * Erases, in one transaction, up to `limit` clinical summaries not yet purged of transfers
   * that finished (arrived or cancelled, `finishedAt`) before `finishedBefore`: each becomes a
   * tombstone (`summary: ''`, `purgedAt`) logged as a new change to its parties' private
   * scopes, the text is scrubbed from that summary's older change-log rows, and one audit
   * entry (`summary_purge`: the count and the transfer ids) joins the same transaction.
   * Nothing is written when nothing is due.
   */
  purgeExpiredSummaries(batch: SummaryPurgeBatch): Promise<SummaryPurgeResult>;
}

interface DueRow {
  transfer: string;
  summary: string;
}

/** What one purge batch writes, computed from the due rows in the order given (both stores). */
export interface SummaryPurgePlan {
  at: string;
  transferIds: string[];
  changes: ScopedChange[];
  erased: Array<{ transferId: string; payload: string; version: number; firstVersion: number; changes: ScopedChange[] }>;
  audit: AuditInput;
}

/**
 * Picks, among finished transfers' summaries not yet purged (in creation order), up to
 * `batch.limit` whose transfer finished before `batch.finishedBefore` (rows by creation time, then id), and numbers their
 * tombstones from `head + 1` (one change-log row per party path). Null when nothing is due.
 */
export function planSummaryPurge(rows: ReadonlyArray<{ transfer: Transfer; summary: TransferSummary }>, batch: SummaryPurgeBatch, head: number): SummaryPurgePlan | null {
  const before = batch.finishedBefore.getTime();
  const due: Array<{ transfer: Transfer; summary: TransferSummary }> = [];
  for (const r of rows) {
    if (due.length >= batch.limit) break;
    const end = finishedAt(r.transfer);
    if (end !== null && Date.parse(end) < before) due.push(r);
  }
  if (due.length === 0) return null;
  const at = batch.now.toISOString();
  let version = head;
  const changes: ScopedChange[] = [];
  const erased: SummaryPurgePlan['erased'] = [];
  for (const { summary } of due) {
    const paths = [...new Set(summary.parties.map((p) => `/${privateScope(p)}/`))];
    const first = version + 1;
    version += paths.length;
    const tombstone: TransferSummary = { ...summary, summary: '', purgedAt: at, updatedAt: at, updatedBy: fr.transfers.retentionBy, version };
    const own = paths.map((scopePath, i) => ({ scopePath, change: { version: first + i, entity: 'transferSummary', data: tombstone } as Change }));
    changes.push(...own);
    erased.push({ transferId: summary.transferId, payload: JSON.stringify(tombstone), version, firstVersion: first, changes: own });
  }
  const transferIds = due.map((d) => d.transfer.id);
  return {
    at,
    transferIds,
    changes,
    erased,
    audit: {
      kind: 'summary_purge',
      actorId: batch.audit.actorId,
      actorName: batch.audit.actorName,
      actorRole: batch.audit.actorRole,
      subject: null,
      detail: { count: transferIds.length, transfers: transferIds, retentionDays: batch.audit.retentionDays, finishedBefore: batch.finishedBefore.toISOString() },
    },
  };
}

export function sqliteTransfersStore(db: Database.Database): TransfersStore {
  const finished = FINISHED_STATES.map((s) => `'${s}'`).join(', ');
  const st = {
    active: db.prepare<[string, string, string], { n: number }>(
      `SELECT count(*) AS n FROM holds WHERE finess = ? AND unit_id = ? AND state = 'active' AND julianday(expires_at) > julianday(?)`,
    ),
    count: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM transfers`),
    // Every finished transfer's summary not yet purged: when it finished is in its steps (JSON), compared in JS.
    due: db.prepare<[], DueRow>(`SELECT t.data AS transfer, s.data AS summary FROM transfer_summaries s JOIN transfers t ON t.id = s.transfer_id
      WHERE t.state IN (${finished}) AND json_extract(s.data, '$.purgedAt') IS NULL ORDER BY json_extract(t.data, '$.createdAt'), t.id`),
    maxVersion: db.prepare<[], { v: number }>(`SELECT coalesce(max(version), 0) AS v FROM change_log`),
    append: db.prepare<[number, string, string, string, string]>(
      `INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at, latest_only) VALUES (?, 'transferSummary', ?, ?, ?, ?, 0)`,
    ),
    putSummary: db.prepare<[string, number, string]>(`UPDATE transfer_summaries SET data = ?, version = ? WHERE transfer_id = ?`),
    // The exception to the append-only change log (as server migration 15): the older rows keep their place, not their text.
    scrub: db.prepare<[string, string, number]>(
      `UPDATE change_log SET payload = json_set(payload, '$.summary', '', '$.purgedAt', ?) WHERE entity = 'transferSummary' AND entity_id = ? AND version < ?`,
    ),
  };
  const audit = new AuditLog(db);

  const purge = db.transaction((batch: SummaryPurgeBatch): SummaryPurgeResult => {
    const rows = st.due.all().map((r) => ({ transfer: JSON.parse(r.transfer) as Transfer, summary: JSON.parse(r.summary) as TransferSummary }));
    const plan = planSummaryPurge(rows, batch, st.maxVersion.get()?.v ?? 0);
    if (!plan) return { transferIds: [], changes: [] };
    for (const e of plan.erased) {
      st.scrub.run(plan.at, e.transferId, e.firstVersion);
      for (const c of e.changes) st.append.run(c.change.version, e.transferId, c.scopePath, e.payload, plan.at);
      st.putSummary.run(e.payload, e.version, e.transferId);
    }
    audit.append(plan.audit, batch.now);
    return { transferIds: plan.transferIds, changes: plan.changes };
  }).immediate;

  return {
    async activeHolds(finess, unitId, now) {
      return st.active.get(finess, unitId, now.toISOString())?.n ?? 0;
    },
    async countTransfers() {
      return st.count.get()?.n ?? 0;
    },
    async purgeExpiredSummaries(batch) {
      return purge(batch);
    },
  };
}
