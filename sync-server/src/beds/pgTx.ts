/**
 * The bed board's part of the PostgreSQL store: its transaction slice (the same rules as
 * `sqliteTx.ts`, reads from the mutation's read cache, writes buffered: `store/pg/txRuntime.ts`)
 * and its store part (the same interface as `store.ts`).
 */
import { randomUUID } from 'node:crypto';
import { unitEntity } from '../../../common/domain/beds/entities';
import type { UnitReport } from '../../../common/domain/beds/model';
import type { BedsTx } from '../../../common/domain/beds/tx';
import type { PgBoardPart } from '../store/pg/board';
import type { PgChangeWriter } from '../store/pg/changeWriter';
import type { PgDb } from '../store/pg/db';
import { pgColumns, readOne, type PgTxRuntime } from '../store/pg/txRuntime';
import { REPORT_COLUMNS, toReport, type ReportRow } from './sqliteTx';
import { feedClientIdOf, type BedsStore, type FeedKeyRecord } from './store';

const COLS = pgColumns(REPORT_COLUMNS);

const INSERT_REPORT = `INSERT INTO unit_reports (id, finess, unit_id, unit_name, unit_type, installed, staffed, available, covid_pos, covid_neg,
    extra_24h, extra_72h, surge, assignment, temporary, ror, comment, source, reported_by, reported_role, at, at_known, version, scope_path)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)`;

// Latest by observation time wins; at equal times the later version (versions only grow).
const PUT_CURRENT = `INSERT INTO unit_current (finess, unit_id, report_id, version, scope_path, at) VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (finess, unit_id) DO UPDATE SET report_id = excluded.report_id, version = excluded.version,
    scope_path = excluded.scope_path, at = excluded.at
  WHERE excluded.at::timestamptz >= unit_current.at::timestamptz`;

export function pgBedsTx(rt: PgTxRuntime, writer: PgChangeWriter): BedsTx {
  return {
    getCurrentReport: (finess, unitId) =>
      readOne(rt, 'beds.current', `SELECT ${COLS} FROM unit_current c JOIN unit_reports r ON r.id = c.report_id WHERE c.finess = $1 AND c.unit_id = $2`, [finess, unitId], toReport),
    getReport: (id) => readOne(rt, 'beds.report', `SELECT ${COLS} FROM unit_reports r WHERE r.id = $1`, [id], toReport),
    insertReport(report) {
      const { row: r, scopePath } = writer.stamp(unitEntity, report);
      rt.write(INSERT_REPORT, [
        r.id, r.finess, r.unitId, r.unitName, r.unitType, r.installed, r.staffed, r.available, r.covidPos, r.covidNeg,
        r.extra24h, r.extra72h, r.surge, r.assignment, r.temporary ? 1 : 0, r.ror ? JSON.stringify(r.ror) : null, r.comment, r.source,
        r.reportedBy, r.reportedRole, r.at, r.atKnown ? 1 : 0, r.version, scopePath,
      ]);
      rt.write(PUT_CURRENT, [r.finess, r.unitId, r.id, r.version, scopePath, r.at]);
    },
  };
}

export function pgBedsStore(db: PgDb): BedsStore {
  const pictureNow = `SELECT ${COLS} FROM unit_current c JOIN unit_reports r ON r.id = c.report_id
    WHERE c.scope_path >= $1 AND c.scope_path < $2`;
  const pictureAt = `SELECT ${COLS} FROM unit_current c JOIN unit_reports r ON r.id = (
      SELECT r2.id FROM unit_reports r2
      WHERE r2.finess = c.finess AND r2.unit_id = c.unit_id AND r2.at::timestamptz <= $3::timestamptz
      ORDER BY r2.at::timestamptz DESC, r2.version DESC LIMIT 1)
    WHERE c.scope_path >= $1 AND c.scope_path < $2`;
  return {
    async unitHistory(finess, unitId, since, limit) {
      const rows = await db.query<ReportRow>(
        `SELECT ${COLS} FROM unit_reports r WHERE r.finess = $1 AND r.unit_id = $2 AND ($3::text IS NULL OR r.at::timestamptz >= $3::timestamptz)
         ORDER BY r.at::timestamptz DESC, r.version DESC LIMIT $4`,
        [finess, unitId, since ?? null, limit],
      );
      return rows.map(toReport);
    },
    async insertFeedKey(key) {
      const id = randomUUID();
      const userId = randomUUID();
      const createdAt = key.createdAt.toISOString();
      await db.tx(async (q) => {
        await q.query(`INSERT INTO users (id, username, display_name, role, password_hash, disabled, created_at) VALUES ($1, $2, $3, $4, '', 1, $5)`, [
          userId, feedClientIdOf(id), key.label, key.role, createdAt,
        ]);
        await q.query(`INSERT INTO feed_keys (id, key_hash, label, territory, created_at, disabled, user_id) VALUES ($1, $2, $3, $4, $5, 0, $6)`, [
          id, key.keyHash, key.label, key.territory, createdAt, userId,
        ]);
        await q.query(`INSERT INTO clients (client_id, user_id, last_mutation_id) VALUES ($1, $2, 0)`, [feedClientIdOf(id), userId]);
      });
      return { id, label: key.label, territory: key.territory, userId, role: key.role, disabled: false, createdAt };
    },
    async findFeedKey(keyHash) {
      const rows = await db.query<Omit<FeedKeyRecord, 'disabled'> & { disabled: number }>(
        `SELECT k.id, k.label, k.territory, k.user_id AS "userId", u.role, k.disabled, k.created_at AS "createdAt"
         FROM feed_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = $1`,
        [keyHash],
      );
      const row = rows[0];
      return row && { ...row, disabled: row.disabled !== 0 };
    },
    async disableFeedKey(id) {
      const rows = await db.query<{ id: string }>(`UPDATE feed_keys SET disabled = 1 WHERE id = $1 RETURNING id`, [id]);
      return rows.length > 0;
    },
    async countUnits() {
      return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM unit_current`))[0]?.n ?? 0;
    },
    async picture(paths, at) {
      const out: UnitReport[] = [];
      for (const p of paths) {
        const rows = at ? await db.query<ReportRow>(pictureAt, [p, `${p}\uffff`, at]) : await db.query<ReportRow>(pictureNow, [p, `${p}\uffff`]);
        for (const r of rows) out.push(toReport(r));
      }
      return out;
    },
  };
}

export const bedsPg: PgBoardPart<BedsStore> = { slice: pgBedsTx, store: pgBedsStore };
