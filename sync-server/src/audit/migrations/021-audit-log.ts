/**
 * Server migration 21: the audit trail (`sync-server/src/audit/`). Append-only: triggers
 * refuse every UPDATE and DELETE, so no code path of the server can rewrite it by mistake;
 * someone with the file in hand can drop them, which the hash chain then reveals
 * (`--verify-audit`). `seq` is the chain's order and is itself hashed.
 */
import type { ServerMigration } from '../../store/migrations';

export const m021AuditLog: ServerMigration = {
  version: 21,
  name: 'audit log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        actor_id TEXT,
        actor_name TEXT NOT NULL,
        actor_role TEXT NOT NULL,
        subject TEXT,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
      CREATE INDEX audit_log_kind ON audit_log (kind, seq);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
};
