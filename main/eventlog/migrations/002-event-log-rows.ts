/**
 * Cache migration 2: The server's rows, written only from pulls and pokes. Each carries its server version so
 * an upsert can keep the newest. Messages also store their territory path (a prefix test is
 * an ancestry test) and a normalised search text, so the views filter in SQL.
 *
 * These are the event log's rows (the only board then).
 */
import type { CacheMigration } from '../../store/migrations';

export const m002EventLogRows: CacheMigration = {
  version: 2,
  name: 'server rows',
  up(db) {
    db.exec(`
      CREATE TABLE events (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        description TEXT NOT NULL,
        territory   TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('open','closed')),
        opened_at   TEXT NOT NULL,
        opened_by   TEXT NOT NULL,
        closed_at   TEXT,
        closed_by   TEXT,
        version     INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE messages (
        id             TEXT PRIMARY KEY,
        event_id       TEXT NOT NULL,
        level          TEXT NOT NULL,
        territory      TEXT NOT NULL,
        territory_path TEXT NOT NULL,
        kind           TEXT NOT NULL,
        priority       TEXT NOT NULL,
        body           TEXT NOT NULL,
        author_id      TEXT NOT NULL,
        author_name    TEXT NOT NULL,
        author_role    TEXT NOT NULL,
        at             TEXT NOT NULL,
        replaces       TEXT,
        corrects       TEXT,
        search         TEXT NOT NULL,
        version        INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX messages_event_at ON messages(event_id, at);
      CREATE INDEX messages_replaces ON messages(replaces) WHERE replaces IS NOT NULL;
      CREATE INDEX messages_corrects ON messages(corrects) WHERE corrects IS NOT NULL;
      CREATE TABLE acks (
        message_id TEXT NOT NULL,
        territory  TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        user_name  TEXT NOT NULL,
        at         TEXT NOT NULL,
        version    INTEGER NOT NULL,
        PRIMARY KEY (message_id, territory)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
