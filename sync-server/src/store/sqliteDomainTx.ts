/**
 * `DomainTx` over the server's SQLite tables. Every write stamps the next change-log version
 * on the row, appends the change-log row and remembers the change for the pokes sent after
 * commit. The owner runs it inside a transaction; `startMutation`/`discard` keep the in-memory
 * side in step with a rolled-back savepoint (`discard`).
 */
import type Database from 'better-sqlite3';
import type { DomainTx } from '../../../common/domain/mutation';
import type { UnitReport } from '../../../common/domain/beds';
import type { Ack, CrisisEvent, Message } from '../../../common/domain/eventLog';
import type { Change } from '../../../common/protocol';
import type { ScopedChange } from './types';

const EVENT_COLUMNS = `id, title, description, territory, status, opened_at AS openedAt, opened_by AS openedBy,
  closed_at AS closedAt, closed_by AS closedBy, version`;
const MESSAGE_COLUMNS = `id, event_id AS eventId, level, territory, kind, priority, body, author_id AS authorId,
  author_name AS authorName, author_role AS authorRole, at, replaces, corrects, version`;
const ACK_COLUMNS = `message_id AS messageId, territory, user_id AS userId, user_name AS userName, at, version`;
/** A `unit_reports` row as a `UnitReport` (aliased `r`). */
export const REPORT_COLUMNS = `r.id, r.finess, r.unit_type AS unitType, r.installed, r.staffed, r.available,
  r.covid_pos AS covidPos, r.covid_neg AS covidNeg, r.extra_24h AS extra24h, r.extra_72h AS extra72h, r.comment,
  r.source, r.reported_by AS reportedBy, r.reported_role AS reportedRole, r.at, r.version`;

/** Prepared once per database: per-row work on the hot path is binding and stepping only. */
export function prepareDomainStatements(db: Database.Database) {
  return {
    getEvent: db.prepare<[string], CrisisEvent>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`),
    getMessage: db.prepare<[string], Message>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`),
    isReplaced: db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM messages WHERE replaces = ? LIMIT 1`),
    getAck: db.prepare<[string, string], Ack>(`SELECT ${ACK_COLUMNS} FROM acks WHERE message_id = ? AND territory = ?`),
    putEvent: db.prepare(`
      INSERT INTO events (id, title, description, territory, status, opened_at, opened_by, closed_at, closed_by, version, scope_path)
      VALUES (@id, @title, @description, @territory, @status, @openedAt, @openedBy, @closedAt, @closedBy, @version, @scopePath)
      ON CONFLICT(id) DO UPDATE SET title = excluded.title, description = excluded.description,
        territory = excluded.territory, status = excluded.status, opened_at = excluded.opened_at,
        opened_by = excluded.opened_by, closed_at = excluded.closed_at, closed_by = excluded.closed_by,
        version = excluded.version, scope_path = excluded.scope_path`),
    insertMessage: db.prepare(`
      INSERT INTO messages (id, event_id, level, territory, kind, priority, body, author_id, author_name, author_role,
        at, replaces, corrects, version, scope_path)
      VALUES (@id, @eventId, @level, @territory, @kind, @priority, @body, @authorId, @authorName, @authorRole,
        @at, @replaces, @corrects, @version, @scopePath)`),
    putAck: db.prepare(`
      INSERT INTO acks (message_id, territory, user_id, user_name, at, version, scope_path)
      VALUES (@messageId, @territory, @userId, @userName, @at, @version, @scopePath)
      ON CONFLICT(message_id, territory) DO UPDATE SET user_id = excluded.user_id, user_name = excluded.user_name,
        at = excluded.at, version = excluded.version, scope_path = excluded.scope_path`),
    getCurrentReport: db.prepare<[string, string], UnitReport>(`SELECT ${REPORT_COLUMNS}
      FROM unit_current c JOIN unit_reports r ON r.id = c.report_id WHERE c.finess = ? AND c.unit_type = ?`),
    getReport: db.prepare<[string], UnitReport>(`SELECT ${REPORT_COLUMNS} FROM unit_reports r WHERE r.id = ?`),
    insertReport: db.prepare<[string, string, string, number, number, number, number | null, number | null, number | null, number | null, string, string, string, string, string, number, string]>(`
      INSERT INTO unit_reports (id, finess, unit_type, installed, staffed, available, covid_pos, covid_neg,
        extra_24h, extra_72h, comment, source, reported_by, reported_role, at, version, scope_path)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    // Latest report in server order wins: versions only grow, so the upsert always replaces.
    putCurrent: db.prepare<[string, string, string, number, string]>(`
      INSERT INTO unit_current (finess, unit_type, report_id, version, scope_path) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(finess, unit_type) DO UPDATE SET report_id = excluded.report_id, version = excluded.version,
        scope_path = excluded.scope_path`),
    appendChange: db.prepare<[number, string, string, string, string, string]>(
      `INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    maxVersion: db.prepare<[], { v: number }>(`SELECT coalesce(max(version), 0) AS v FROM change_log`),
  };
}

export type DomainStatements = ReturnType<typeof prepareDomainStatements>;

export class SqliteDomainTx implements DomainTx {
  private version = 0;
  private changes: ScopedChange[] = [];
  private at = '';

  constructor(
    private readonly st: DomainStatements,
    /** Resolves a territory key to its path; throws when unknown (mutators validate first). */
    private readonly scopeOf: (territory: string) => string,
  ) {}

  /** Starts a batch: call inside its transaction, so the max version cannot move under us. */
  begin(serverAt: string): void {
    this.version = this.st.maxVersion.get()?.v ?? 0;
    this.changes = [];
    this.at = serverAt;
  }

  /** Starts one mutation of the batch: `written()` and `discard()` then concern it alone. */
  startMutation(): void {
    this.changes = [];
  }

  /** The changes written by the current mutation, in version order. */
  written(): ScopedChange[] {
    return this.changes;
  }

  lastVersion(): number {
    return this.version;
  }

  /** Forgets the current mutation's writes after its savepoint rolled back (the rows are gone already). */
  discard(): void {
    this.version -= this.changes.length;
    this.changes = [];
  }

  getEvent(id: string): CrisisEvent | undefined {
    return this.st.getEvent.get(id);
  }
  getMessage(id: string): Message | undefined {
    return this.st.getMessage.get(id);
  }
  isReplaced(messageId: string): boolean {
    return this.st.isReplaced.get(messageId) !== undefined;
  }
  getAck(messageId: string, territory: string): Ack | undefined {
    return this.st.getAck.get(messageId, territory);
  }

  putEvent(event: CrisisEvent): void {
    const row: CrisisEvent = { ...event, version: ++this.version };
    const scopePath = this.scopeOf(row.territory);
    this.st.putEvent.run({ ...row, scopePath });
    this.record({ version: row.version, entity: 'event', data: row }, row.id, scopePath);
  }

  insertMessage(message: Message): void {
    const row: Message = { ...message, version: ++this.version };
    const scopePath = this.scopeOf(row.territory);
    this.st.insertMessage.run({ ...row, scopePath });
    this.record({ version: row.version, entity: 'message', data: row }, row.id, scopePath);
  }

  putAck(ack: Ack): void {
    const row: Ack = { ...ack, version: ++this.version };
    // An ack is seen by the acknowledging territory's branch: its path is the scope.
    const scopePath = this.scopeOf(row.territory);
    this.st.putAck.run({ ...row, scopePath });
    this.record({ version: row.version, entity: 'ack', data: row }, `${row.messageId}|${row.territory}`, scopePath);
  }

  getCurrentReport(finess: string, unitType: string): UnitReport | undefined {
    return this.st.getCurrentReport.get(finess, unitType);
  }

  getReport(id: string): UnitReport | undefined {
    return this.st.getReport.get(id);
  }

  insertReport(report: UnitReport): void {
    const r: UnitReport = { ...report, version: ++this.version };
    // A unit's figures are seen by its establishment's branch: the establishment, its
    // département's SAMU, its ARS and the national level.
    const scopePath = this.scopeOf(`E:${r.finess}`);
    this.st.insertReport.run(
      r.id, r.finess, r.unitType, r.installed, r.staffed, r.available, r.covidPos, r.covidNeg,
      r.extra24h, r.extra72h, r.comment, r.source, r.reportedBy, r.reportedRole, r.at, r.version, scopePath,
    );
    this.st.putCurrent.run(r.finess, r.unitType, r.id, r.version, scopePath);
    this.record({ version: r.version, entity: 'unit', data: r }, r.id, scopePath);
  }

  private record(change: Change, entityId: string, scopePath: string): void {
    this.st.appendChange.run(change.version, change.entity, entityId, scopePath, JSON.stringify(change.data), this.at);
    this.changes.push({ scopePath, change });
  }
}
