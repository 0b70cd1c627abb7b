/**
 * Server migration 2: The event log rows and the change log. Each row keeps its version and the path of its
 * territory so that a scoped snapshot can be served from the tables later.
 *
 * It predates board folders: it also created the first change log, which the engine owns
 * since (rebuilt by 003 and 005).
 */
import type { ServerMigration } from '../../store/migrations';

export const m002EventLog: ServerMigration = {
  version: 2,
  name: 'event log and change log',
  up(db) {
    db.exec(`
      CREATE TABLE change_log (
        version INTEGER PRIMARY KEY,
        entity TEXT NOT NULL CHECK (entity IN ('event', 'message', 'ack')),
        entity_id TEXT NOT NULL,
        scope_path TEXT NOT NULL,
        payload TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        territory TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        opened_at TEXT NOT NULL,
        opened_by TEXT NOT NULL,
        closed_at TEXT,
        closed_by TEXT,
        version INTEGER NOT NULL,
        scope_path TEXT NOT NULL
      );
      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        level TEXT NOT NULL,
        territory TEXT NOT NULL,
        kind TEXT NOT NULL,
        priority TEXT NOT NULL,
        body TEXT NOT NULL,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        author_role TEXT NOT NULL,
        at TEXT NOT NULL,
        replaces TEXT,
        corrects TEXT,
        version INTEGER NOT NULL,
        scope_path TEXT NOT NULL
      );
      CREATE INDEX messages_event ON messages(event_id);
      CREATE INDEX messages_replaces ON messages(replaces) WHERE replaces IS NOT NULL;
      CREATE TABLE acks (
        message_id TEXT NOT NULL REFERENCES messages(id),
        territory TEXT NOT NULL,
        user_id TEXT NOT NULL,
        user_name TEXT NOT NULL,
        at TEXT NOT NULL,
        version INTEGER NOT NULL,
        scope_path TEXT NOT NULL,
        PRIMARY KEY (message_id, territory)
      ) WITHOUT ROWID;
    `);
  },
};
