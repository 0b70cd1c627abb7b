/**
 * The server schema, as an ordered list of small migrations. Migration i (0-based) brings
 * the database from `user_version` i to i + 1, inside one transaction with the version bump,
 * so a crash leaves the database at a version it fully has. Append only: never edit or
 * reorder a migration that has shipped.
 */
import type Database from 'better-sqlite3';
import { fr } from '../../../common/i18n/fr';

export type Migration = (db: Database.Database) => void;

export class DatabaseTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(fr.server.dbTooNew(found, known));
    this.name = 'DatabaseTooNewError';
  }
}

export const migrations: readonly Migration[] = [
  // 1: accounts, sessions, clients and the exactly-once ledger.
  (db) => {
    db.exec(`
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX sessions_expires ON sessions(expires_at);
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE clients (
        client_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        last_mutation_id INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE mutation_results (
        client_id TEXT NOT NULL REFERENCES clients(client_id),
        mutation_id INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
        reason TEXT,
        version INTEGER,
        PRIMARY KEY (client_id, mutation_id)
      ) WITHOUT ROWID;
    `);
  },
  // 2: the event log rows and the change log. Each row keeps its version and the path of its
  // territory so that a scoped snapshot can be served from the tables later.
  (db) => {
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
  // 3: critical-care beds (issue 3). The change log learns the `unit` entity (SQLite cannot
  // alter a CHECK constraint: the table is rebuilt, rows kept). Pulls of events, messages and
  // acks walk a partial index that leaves unit reports out, and units are served from
  // `unit_current` (one row per unit, its latest version): a pull never scans the history.
  (db) => {
    db.exec(`
      CREATE TABLE change_log_v3 (
        version INTEGER PRIMARY KEY,
        entity TEXT NOT NULL CHECK (entity IN ('event', 'message', 'ack', 'unit')),
        entity_id TEXT NOT NULL,
        scope_path TEXT NOT NULL,
        payload TEXT NOT NULL,
        at TEXT NOT NULL
      );
      INSERT INTO change_log_v3 (version, entity, entity_id, scope_path, payload, at)
        SELECT version, entity, entity_id, scope_path, payload, at FROM change_log;
      DROP TABLE change_log;
      ALTER TABLE change_log_v3 RENAME TO change_log;
      CREATE INDEX change_log_sync ON change_log(version, scope_path) WHERE entity <> 'unit';
      CREATE TABLE unit_reports (
        id TEXT PRIMARY KEY,
        finess TEXT NOT NULL,
        unit_type TEXT NOT NULL,
        installed INTEGER NOT NULL,
        staffed INTEGER NOT NULL,
        available INTEGER NOT NULL,
        covid_pos INTEGER,
        covid_neg INTEGER,
        extra_24h INTEGER,
        extra_72h INTEGER,
        comment TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('app', 'import', 'feed')),
        reported_by TEXT NOT NULL,
        reported_role TEXT NOT NULL,
        at TEXT NOT NULL,
        version INTEGER NOT NULL,
        scope_path TEXT NOT NULL
      );
      CREATE INDEX unit_reports_unit ON unit_reports(finess, unit_type, version);
      CREATE TABLE unit_current (
        finess TEXT NOT NULL,
        unit_type TEXT NOT NULL,
        report_id TEXT NOT NULL REFERENCES unit_reports(id),
        version INTEGER NOT NULL,
        scope_path TEXT NOT NULL,
        PRIMARY KEY (finess, unit_type)
      ) WITHOUT ROWID;
      CREATE INDEX unit_current_version ON unit_current(version, scope_path);
    `);
  },
  // 4: register feed API keys. Only the key's SHA-256 is stored. Each key acts through its
  // own disabled (never logs in) account, which owns the key's client id in the ledger.
  (db) => {
    db.exec(`
      CREATE TABLE feed_keys (
        id TEXT PRIMARY KEY,
        key_hash TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL,
        territory TEXT NOT NULL,
        created_at TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        user_id TEXT NOT NULL REFERENCES users(id)
      );
    `);
  },
];

/** The schema version this code produces. */
export const LATEST_SCHEMA_VERSION = migrations.length;

/**
 * Brings `db` to the latest version, one transaction per migration. Throws
 * `DatabaseTooNewError` (French message) for a database written by a newer server: running
 * old code on it could corrupt data it does not understand.
 */
export function migrate(db: Database.Database, list: readonly Migration[] = migrations): number {
  const readVersion = (): number => db.pragma('user_version', { simple: true }) as number;
  const first = readVersion();
  if (first > list.length) throw new DatabaseTooNewError(first, list.length);
  for (let v = first; v < list.length; v++) {
    const step = list[v];
    db.transaction(() => {
      // Re-read under the write lock: another process (the CLI adding a user while the
      // server starts) may have migrated meanwhile.
      if (readVersion() !== v) return;
      step(db);
      // PRAGMA takes no bound parameters; v is an integer we computed.
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  return list.length;
}
