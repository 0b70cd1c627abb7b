/**
 * PostgreSQL schema, step 3: SQLite server step 21, the audit trail (`sync-server/src/audit/`).
 * The same columns, so entries hash the same on both stores (`audit/chain.ts`). Differences:
 * - `audit_head` (one row: the last entry's `seq` and `hash`, genesis at first): every append
 *   takes its row lock (`SELECT … FOR UPDATE`) and moves it in its transaction, so appends
 *   from every node are serialised and the chain has one order (a `max(seq)` read would let
 *   two nodes chain to the same entry);
 * - append-only is enforced by triggers refusing UPDATE and DELETE of a row, as on SQLite,
 *   and TRUNCATE too (which row triggers do not see).
 */
import type { PgMigration } from '../migrations';

export const pg003AuditLog: PgMigration = {
  version: 3,
  name: 'audit log',
  sql: `
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  actor_id TEXT,
  actor_name TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  subject TEXT,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_kind ON audit_log (kind, seq);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
`,
};
