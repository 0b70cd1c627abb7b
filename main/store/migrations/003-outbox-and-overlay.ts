/**
 * Cache migration 3: The outbox (every local mutation, in order, until the server answered and the user saw
 * any rejection) and the overlay tables: the pending local effects, tagged with the mutation
 * that produced them, shown on top of the server's rows.
 *
 * It predates board folders: it created the engine's outbox and the event log's overlay tables.
 */
import type { CacheMigration } from '../migrations';

export const m003OutboxOverlay: CacheMigration = {
  version: 3,
  name: 'outbox and overlay',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        mutation_id     INTEGER PRIMARY KEY,
        name            TEXT NOT NULL,
        args            TEXT NOT NULL,
        at              TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','applied','rejected')),
        reason          TEXT,
        applied_version INTEGER
      ) STRICT;
      CREATE INDEX outbox_status ON outbox(status, mutation_id);
      CREATE TABLE ov_events (
        mutation_id INTEGER NOT NULL,
        id          TEXT NOT NULL,
        title       TEXT NOT NULL,
        description TEXT NOT NULL,
        territory   TEXT NOT NULL,
        status      TEXT NOT NULL,
        opened_at   TEXT NOT NULL,
        opened_by   TEXT NOT NULL,
        closed_at   TEXT,
        closed_by   TEXT,
        version     INTEGER NOT NULL,
        PRIMARY KEY (id, mutation_id)
      ) STRICT;
      CREATE INDEX ov_events_mutation ON ov_events(mutation_id);
      CREATE TABLE ov_messages (
        mutation_id    INTEGER NOT NULL,
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
      CREATE INDEX ov_messages_mutation ON ov_messages(mutation_id);
      CREATE INDEX ov_messages_event_at ON ov_messages(event_id, at);
      CREATE INDEX ov_messages_replaces ON ov_messages(replaces) WHERE replaces IS NOT NULL;
      CREATE INDEX ov_messages_corrects ON ov_messages(corrects) WHERE corrects IS NOT NULL;
      CREATE TABLE ov_acks (
        mutation_id INTEGER NOT NULL,
        message_id  TEXT NOT NULL,
        territory   TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        user_name   TEXT NOT NULL,
        at          TEXT NOT NULL,
        version     INTEGER NOT NULL,
        PRIMARY KEY (message_id, territory)
      ) STRICT;
      CREATE INDEX ov_acks_mutation ON ov_acks(mutation_id);
    `);
  },
};
