/**
 * The audit trail on PostgreSQL (step 3: `audit_log`, `audit_head`): the same entries and
 * hashes as the SQLite trail (`audit/store.ts`, `audit/chain.ts`), so `verifyChain` holds on
 * both. Appends are serialised across nodes by the row lock of `audit_head` (the last entry's
 * seq and hash), taken inside the transaction of what the entry records and held until its
 * commit: the next append, on any node, chains to it. Pushes take it after the change-log
 * head's lock and nothing takes them the other way round, so the two locks cannot deadlock.
 */
import type { AuditPage, AuditQuery, AuditRow } from '../../../../common/admin/api';
import { canonicalJson, entryHash, GENESIS_HASH, verifyChain, type ChainStart, type ChainVerdict } from '../../audit/chain';
import type { AuditInput } from '../../audit/store';
import type { Queryable } from './txRuntime';

/** The head, locked until the transaction ends. */
export const AUDIT_HEAD_SQL = `SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE`;

/** The entry and the head's move in one statement. */
export const AUDIT_INSERT_SQL = `WITH entry AS (
    INSERT INTO audit_log (seq, at, kind, actor_id, actor_name, actor_role, subject, detail, prev_hash, hash)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING seq, hash)
  UPDATE audit_head SET seq = entry.seq, hash = entry.hash FROM entry WHERE audit_head.id = 1`;

const COLS = `seq, at, kind, actor_id AS "actorId", actor_name AS "actorName", actor_role AS "actorRole", subject, detail,
  prev_hash AS "prevHash", hash`;

/** Entries read per round trip while verifying. */
const VERIFY_PAGE = 5_000;

/** The entry that follows `head`: its fields and hash (pure). */
export function auditEntry(head: { seq: number; hash: string }, input: AuditInput, at: Date): AuditRow {
  const fields = {
    seq: head.seq + 1,
    at: at.toISOString(),
    kind: input.kind,
    actorId: input.actorId,
    actorName: input.actorName,
    actorRole: input.actorRole,
    subject: input.subject ?? null,
    detail: canonicalJson(input.detail),
    prevHash: head.hash,
  };
  return { ...fields, hash: entryHash(fields) };
}

/** The parameters of `AUDIT_INSERT_SQL` for `row`. */
export function auditInsertParams(row: AuditRow): unknown[] {
  return [row.seq, row.at, row.kind, row.actorId, row.actorName, row.actorRole, row.subject, row.detail, row.prevHash, row.hash];
}

/** Locks the head of the chain (inside the caller's transaction). */
export async function lockAuditHead(q: Queryable): Promise<{ seq: number; hash: string }> {
  const head = (await q.query<{ seq: number; hash: string }>(AUDIT_HEAD_SQL)).rows[0];
  if (!head) throw new Error('the server database has no audit head (audit_head)');
  return head;
}

/** Appends one entry inside the caller's transaction (two round trips: the head's lock, the entry). */
export async function appendAudit(q: Queryable, input: AuditInput, at: Date): Promise<AuditRow> {
  const row = auditEntry(await lockAuditHead(q), input, at);
  await q.query(AUDIT_INSERT_SQL, auditInsertParams(row));
  return row;
}

/** Newest first, filtered as on SQLite (a name matched case-insensitively, as SQLite's LIKE does for ASCII). */
export async function auditPage(q: Queryable, query: AuditQuery): Promise<AuditPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (query.from) where.push(`at >= ${param(new Date(query.from).toISOString())}`);
  if (query.to) where.push(`at < ${param(new Date(query.to).toISOString())}`);
  if (query.kind) where.push(`kind = ${param(query.kind)}`);
  if (query.user) {
    const user = param(query.user);
    const like = param(`%${query.user.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(actor_id = ${user} OR subject = ${user} OR actor_name ILIKE ${like} ESCAPE '\\')`);
  }
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (await q.query<{ n: number }>(`SELECT count(*) AS n FROM audit_log ${cond}`, params)).rows[0]?.n ?? 0;
  const rows = (
    await q.query<AuditRow>(`SELECT ${COLS} FROM audit_log ${cond} ORDER BY seq DESC LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`, params)
  ).rows;
  return { rows, total };
}

/** Walks the whole chain by pages of `seq` (a committed entry's predecessors are committed: appends hold the head's lock). */
export async function verifyAuditChain(q: Queryable): Promise<ChainVerdict> {
  let start: ChainStart = { count: 0, head: GENESIS_HASH };
  let after = 0;
  for (;;) {
    const rows = (await q.query<AuditRow>(`SELECT ${COLS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, VERIFY_PAGE])).rows;
    const verdict = verifyChain(rows, start);
    if (!verdict.ok || rows.length < VERIFY_PAGE) return verdict;
    start = verdict;
    after = rows[rows.length - 1].seq;
  }
}
