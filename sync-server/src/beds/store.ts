/**
 * The bed board's own reads and writes on the server, outside mutators: a unit's report
 * history, the register feed's API keys (each with its own account, which owns the key's
 * client id in the exactly-once ledger), and counts.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { UnitReport } from '../../../common/domain/beds/model';
import { REPORT_COLUMNS, toReport, type ReportRow } from './sqliteTx';

/** A register feed's API key (its secret is never stored, only its SHA-256). */
export interface FeedKeyRecord {
  id: string;
  label: string;
  /** `FR` or `R:<region>`. */
  territory: string;
  /** The key's own account (disabled: it never logs in), which owns the key's client id. */
  userId: string;
  /** The role the key acts with: `national` or `ars:<region>`. */
  role: string;
  disabled: boolean;
  createdAt: string;
}

export interface NewFeedKey {
  keyHash: string;
  label: string;
  territory: string;
  role: string;
  createdAt: Date;
}

/** The client id a key writes through: one per key, so the exactly-once ledger keeps its order. */
export function feedClientIdOf(keyId: string): string {
  return `${FEED_CLIENT_PREFIX}${keyId}`;
}

/** Client ids the register feed owns: a workstation may not use one (refused at the handshake). */
export const FEED_CLIENT_PREFIX = 'feed-';

export interface BedsStore {
  /** A unit's reports, newest observation first (equal times: later version first); `since`: reports observed at or after it. */
  unitHistory(finess: string, unitId: string, since: string | undefined, limit: number): Promise<UnitReport[]>;
  /** Stores a feed key and its account in one transaction. */
  insertFeedKey(key: NewFeedKey): Promise<FeedKeyRecord>;
  /** The key with this hash, disabled or not. */
  findFeedKey(keyHash: string): Promise<FeedKeyRecord | undefined>;
  /** False when no key has this id. */
  disableFeedKey(id: string): Promise<boolean>;
  /** Units with at least one report. */
  countUnits(): Promise<number>;
  /**
   * Each unit under one of `paths` (scope paths, a unit's being its establishment's): its
   * latest report observed at or before `at` (equal instants: later version), or its current
   * report without `at`. Units with no report by then are absent.
   */
  picture(paths: readonly string[], at: string | undefined): Promise<UnitReport[]>;
}

export function sqliteBedsStore(db: Database.Database): BedsStore {
  const st = {
    // The unit's rows through its (finess, unit_id, version) index, ordered by observation
    // instant (a unit has a few hundred reports at most). julianday() compares instants across
    // offsets (`Z`, `+01:00`).
    unitHistory: db.prepare<[string, string, string | null, string | null, number], ReportRow>(`SELECT ${REPORT_COLUMNS}
      FROM unit_reports r WHERE r.finess = ? AND r.unit_id = ? AND (? IS NULL OR julianday(r.at) >= julianday(?))
      ORDER BY julianday(r.at) DESC, r.version DESC LIMIT ?`),
    insertFeedUser: db.prepare<[string, string, string, string, string]>(
      `INSERT INTO users (id, username, display_name, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, '', 1, ?)`,
    ),
    insertFeedKey: db.prepare<[string, string, string, string, string, string]>(
      `INSERT INTO feed_keys (id, key_hash, label, territory, created_at, disabled, user_id) VALUES (?, ?, ?, ?, ?, 0, ?)`,
    ),
    findFeedKey: db.prepare<[string], Omit<FeedKeyRecord, 'disabled'> & { disabled: number }>(
      `SELECT k.id, k.label, k.territory, k.user_id AS userId, u.role, k.disabled, k.created_at AS createdAt
       FROM feed_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = ?`,
    ),
    disableFeedKey: db.prepare<[string]>(`UPDATE feed_keys SET disabled = 1 WHERE id = ?`),
    // The key's ledger (the engine's clients table) is its own from the start: nobody else may claim its client id.
    reserveLedger: db.prepare<[string, string]>(`INSERT INTO clients (client_id, user_id, last_mutation_id) VALUES (?, ?, 0)`),
    countUnits: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM unit_current`),
    // unit_current lists the units (one row each) with their scope path; a prefix range on
    // it selects a territory's units.
    pictureNow: db.prepare<[string, string], ReportRow>(`SELECT ${REPORT_COLUMNS}
      FROM unit_current c JOIN unit_reports r ON r.id = c.report_id
      WHERE c.scope_path >= ? AND c.scope_path < ?`),
    // The report current at an instant: the unit's latest by observation up to it, through
    // the (finess, unit_id, version) index (a unit has a few hundred reports at most).
    pictureAt: db.prepare<[string, string, string], ReportRow>(`SELECT ${REPORT_COLUMNS}
      FROM unit_current c JOIN unit_reports r ON r.id = (
        SELECT r2.id FROM unit_reports r2
        WHERE r2.finess = c.finess AND r2.unit_id = c.unit_id AND julianday(r2.at) <= julianday(?)
        ORDER BY julianday(r2.at) DESC, r2.version DESC LIMIT 1)
      WHERE c.scope_path >= ? AND c.scope_path < ?`),
  };
  return {
    async unitHistory(finess, unitId, since, limit) {
      return st.unitHistory.all(finess, unitId, since ?? null, since ?? null, limit).map(toReport);
    },
    async insertFeedKey(key) {
      const id = randomUUID();
      const userId = randomUUID();
      const createdAt = key.createdAt.toISOString();
      db.transaction(() => {
        // The account exists for the ledger (clients.user_id) and as the reports' author; with
        // an empty hash and `disabled`, it can never log in.
        st.insertFeedUser.run(userId, feedClientIdOf(id), key.label, key.role, createdAt);
        st.insertFeedKey.run(id, key.keyHash, key.label, key.territory, createdAt, userId);
        st.reserveLedger.run(feedClientIdOf(id), userId);
      })();
      return { id, label: key.label, territory: key.territory, userId, role: key.role, disabled: false, createdAt };
    },
    async findFeedKey(keyHash) {
      const row = st.findFeedKey.get(keyHash);
      return row && { ...row, disabled: row.disabled !== 0 };
    },
    async disableFeedKey(id) {
      return st.disableFeedKey.run(id).changes > 0;
    },
    async countUnits() {
      return st.countUnits.get()?.n ?? 0;
    },
    async picture(paths, at) {
      const out: UnitReport[] = [];
      // Paths end with '/'; every path below one starts with it and sorts before it + U+FFFF.
      for (const p of paths) {
        const rows = at ? st.pictureAt.all(at, p, `${p}\uffff`) : st.pictureNow.all(p, `${p}\uffff`);
        for (const r of rows) out.push(toReport(r));
      }
      return out;
    },
  };
}
