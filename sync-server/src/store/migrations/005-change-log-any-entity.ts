/**
 * Server migration 5: the change log opens to every registered entity. Its CHECK listed the
 * entities of the first two boards, so each new board would have rebuilt it; the names are
 * now checked where rows are written (only the registry's entities can be). It also gains
 * `latest_only`: 1 for rows of entities pulled as "latest per key" (they are served from
 * their board's current table, never from the log), 0 for rows every client in scope gets.
 * SQLite cannot drop a CHECK: the table is rebuilt, rows kept (every row starts at 0; the
 * boards whose rows are latest-only mark theirs in their own next step). The pull index
 * comes after those steps (007), so marking rows does not maintain it.
 */
import type { ServerMigration } from '../migrations';

export const m005ChangeLogAnyEntity: ServerMigration = {
  version: 5,
  name: 'change log for any registered entity',
  up(db) {
    db.exec(`
      CREATE TABLE change_log_v5 (
        version INTEGER PRIMARY KEY,
        entity TEXT NOT NULL CHECK (length(entity) BETWEEN 1 AND 40),
        entity_id TEXT NOT NULL,
        scope_path TEXT NOT NULL,
        payload TEXT NOT NULL,
        at TEXT NOT NULL,
        latest_only INTEGER NOT NULL DEFAULT 0 CHECK (latest_only IN (0, 1))
      );
      INSERT INTO change_log_v5 (version, entity, entity_id, scope_path, payload, at)
        SELECT version, entity, entity_id, scope_path, payload, at FROM change_log ORDER BY version;
      DROP TABLE change_log;
      ALTER TABLE change_log_v5 RENAME TO change_log;
    `);
  },
};
