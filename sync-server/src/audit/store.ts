/**
 * The audit trail's SQL (table `audit_log`, server migration 21): append one entry chained
 * to the last, read pages with filters, walk every entry for verification. Appends join the
 * caller's transaction when there is one (a mutation, a user change), so an entry exists
 * exactly when what it records was committed.
 */
import type Database from 'better-sqlite3';
import type { AuditKind, AuditPage, AuditQuery, AuditRow } from '../../../common/admin/api';
import { canonicalJson, entryHash, GENESIS_HASH, type CanonicalValue } from './chain';

/** What a caller records; the store adds the time, the sequence number and the hashes. */
export interface AuditInput {
  kind: AuditKind;
  actorId: string | null;
  actorName: string;
  actorRole: string;
  subject?: string | null;
  /** Never clinical content: ids, names of operations, results. */
  detail: { [key: string]: CanonicalValue | undefined };
}

/** The actor of what the server's operator does from the command line. */
export const CLI_ACTOR = { actorId: null, actorName: 'ligne de commande', actorRole: 'cli' } as const;

const COLS = `seq, at, kind, actor_id AS actorId, actor_name AS actorName, actor_role AS actorRole, subject, detail,
  prev_hash AS prevHash, hash`;

export class AuditLog {
  private readonly st;
  private readonly appendTx: (input: AuditInput, at: string) => AuditRow;

  constructor(private readonly db: Database.Database) {
    this.st = {
      head: db.prepare<[], { seq: number; hash: string }>(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`),
      insert: db.prepare(`INSERT INTO audit_log (seq, at, kind, actor_id, actor_name, actor_role, subject, detail, prev_hash, hash)
        VALUES (@seq, @at, @kind, @actorId, @actorName, @actorRole, @subject, @detail, @prevHash, @hash)`),
      all: db.prepare<[], AuditRow>(`SELECT ${COLS} FROM audit_log ORDER BY seq`),
    };
    this.appendTx = db.transaction((input: AuditInput, at: string) => this.write(input, at)).immediate;
  }

  /** Appends one entry after the last; inside the caller's transaction if one is open, else in its own. */
  append(input: AuditInput, at: Date): AuditRow {
    const iso = at.toISOString();
    return this.db.inTransaction ? this.write(input, iso) : this.appendTx(input, iso);
  }

  private write(input: AuditInput, at: string): AuditRow {
    const head = this.st.head.get();
    const fields = {
      seq: (head?.seq ?? 0) + 1,
      at,
      kind: input.kind,
      actorId: input.actorId,
      actorName: input.actorName,
      actorRole: input.actorRole,
      subject: input.subject ?? null,
      detail: canonicalJson(input.detail),
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const row: AuditRow = { ...fields, hash: entryHash(fields) };
    this.st.insert.run(row);
    return row;
  }

  /** Newest first, filtered; `total` counts every matching entry. */
  page(q: AuditQuery): AuditPage {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    if (q.from) {
      where.push('at >= @from');
      params.from = new Date(q.from).toISOString();
    }
    if (q.to) {
      where.push('at < @to');
      params.to = new Date(q.to).toISOString();
    }
    if (q.kind) {
      where.push('kind = @kind');
      params.kind = q.kind;
    }
    if (q.user) {
      // An account id (as actor or as subject) or a part of the actor's name.
      where.push(`(actor_id = @user OR subject = @user OR actor_name LIKE @userLike ESCAPE '\\')`);
      params.user = q.user;
      params.userLike = `%${q.user.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM audit_log ${cond}`).get(params) as { n: number }).n;
    const rows = this.db
      .prepare<Record<string, string | number>, AuditRow>(`SELECT ${COLS} FROM audit_log ${cond} ORDER BY seq DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: q.limit, offset: q.offset });
    return { rows, total };
  }

  /** Every entry in chain order, streamed (for verification). */
  entries(): IterableIterator<AuditRow> {
    return this.st.all.iterate();
  }
}
