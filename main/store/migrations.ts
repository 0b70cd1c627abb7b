/**
 * The local cache's schema history: ordered, append-only, one small function each, applied
 * in its own transaction and recorded in `PRAGMA user_version`. A database whose
 * user_version is higher than the last known migration was written by a newer Vigie: it is
 * refused rather than guessed at.
 */
import type Database from 'better-sqlite3';
import { fr } from '../../common/i18n/fr';

export interface Migration {
  /** 1, 2, 3… with no gap: the version the database has after this step. */
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export class DatabaseTooNew extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(fr.store.tooNew(found, known));
    this.name = 'DatabaseTooNew';
  }
}

/** Meta: this workstation's client id for the user, the pull cursor, the next mutation id. */
const m001Meta: Migration = {
  version: 1,
  name: 'meta',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};

/**
 * The server's rows, written only from pulls and pokes. Each carries its server version so
 * an upsert can keep the newest. Messages also store their territory path (a prefix test is
 * an ancestry test) and a normalised search text, so the views filter in SQL.
 */
const m002ServerRows: Migration = {
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

/**
 * The outbox (every local mutation, in order, until the server answered and the user saw
 * any rejection) and the overlay tables: the pending local effects, tagged with the mutation
 * that produced them, shown on top of the server's rows.
 */
const m003OutboxOverlay: Migration = {
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

/**
 * Critical-care beds (issue 3). Three tables, all rows being whole unit reports:
 * - `units`: the server's current report per unit (`finess`, `unit_type`), written only from
 *   pulls and pokes, replaced only by a report with a newer server version
 *   (latest-report-wins in server order);
 * - `unit_history`: the reports of a unit this workstation has seen (history the user opened,
 *   and every current report that arrived), so a chart still shows something offline;
 * - `ov_units`: pending local reports, tagged with their mutation id like the other overlays.
 */
const m004Beds: Migration = {
  version: 4,
  name: 'beds',
  up(db) {
    const report = `
        id            TEXT NOT NULL,
        finess        TEXT NOT NULL,
        unit_type     TEXT NOT NULL,
        installed     INTEGER NOT NULL,
        staffed       INTEGER NOT NULL,
        available     INTEGER NOT NULL,
        covid_pos     INTEGER,
        covid_neg     INTEGER,
        extra24h      INTEGER,
        extra72h      INTEGER,
        comment       TEXT NOT NULL,
        source        TEXT NOT NULL,
        reported_by   TEXT NOT NULL,
        reported_role TEXT NOT NULL,
        at            TEXT NOT NULL,
        version       INTEGER NOT NULL`;
    db.exec(`
      CREATE TABLE units (${report},
        PRIMARY KEY (finess, unit_type)
      ) STRICT;
      CREATE INDEX units_id ON units(id);
      CREATE TABLE unit_history (${report},
        PRIMARY KEY (id)
      ) STRICT;
      CREATE INDEX unit_history_unit ON unit_history(finess, unit_type, at);
      CREATE TABLE ov_units (
        mutation_id INTEGER NOT NULL,${report},
        PRIMARY KEY (id)
      ) STRICT;
      CREATE INDEX ov_units_unit ON ov_units(finess, unit_type, mutation_id);
      CREATE INDEX ov_units_mutation ON ov_units(mutation_id);
    `);
  },
};

/**
 * A local change counter per unit, so the views can ask for the units that changed since
 * they last looked instead of re-reading a national picture (18,000 units) on every live
 * report. `unit_changes` holds, per unit, the counter value of its last visible change;
 * the counter is the table's own maximum plus one (read through the index).
 *
 * Triggers bump it on every path that can change what a unit shows, so no write path can
 * forget it: a server row inserted or replaced by a newer version, a pending report added
 * to the overlay, an overlay row removed (settled, rejected, swept by the cursor). A unit
 * whose row is gone from both tables after its change is reported as removed.
 *
 * Existing units start at 1..n, in key order, so a view that has never looked gets them all.
 */
const m005UnitChanges: Migration = {
  version: 5,
  name: 'unit change counter',
  up(db) {
    // An upsert, not INSERT OR REPLACE: a trigger's OR clause is overridden by the statement
    // that fired it (the units upsert), which would then abort on the existing row.
    const bump = (finess: string, unitType: string) => `
        INSERT INTO unit_changes (finess, unit_type, seq)
          VALUES (${finess}, ${unitType}, (SELECT coalesce(max(seq), 0) + 1 FROM unit_changes))
          ON CONFLICT (finess, unit_type) DO UPDATE SET seq = excluded.seq;`;
    db.exec(`
      CREATE TABLE unit_changes (
        finess    TEXT NOT NULL,
        unit_type TEXT NOT NULL,
        seq       INTEGER NOT NULL,
        PRIMARY KEY (finess, unit_type)
      ) STRICT;
      CREATE UNIQUE INDEX unit_changes_seq ON unit_changes(seq);
      INSERT INTO unit_changes (finess, unit_type, seq)
        SELECT finess, unit_type, row_number() OVER (ORDER BY finess, unit_type)
        FROM (SELECT finess, unit_type FROM units UNION SELECT finess, unit_type FROM ov_units);
      CREATE TRIGGER units_changed_insert AFTER INSERT ON units BEGIN${bump('NEW.finess', 'NEW.unit_type')}
      END;
      CREATE TRIGGER units_changed_update AFTER UPDATE ON units BEGIN${bump('NEW.finess', 'NEW.unit_type')}
      END;
      CREATE TRIGGER units_changed_delete AFTER DELETE ON units BEGIN${bump('OLD.finess', 'OLD.unit_type')}
      END;
      CREATE TRIGGER ov_units_changed_insert AFTER INSERT ON ov_units BEGIN${bump('NEW.finess', 'NEW.unit_type')}
      END;
      CREATE TRIGGER ov_units_changed_delete AFTER DELETE ON ov_units BEGIN${bump('OLD.finess', 'OLD.unit_type')}
      END;
    `);
  },
};

/**
 * A local change counter per message, so the main courante can ask for the messages whose
 * row changed since it last looked instead of re-reading an event of 50,000 messages on
 * every live message or acknowledgement. `message_changes` holds, per message id, the
 * counter value of its last visible change (same scheme as `unit_changes`).
 *
 * Triggers bump it on every path that changes what a message shows: a server row inserted
 * or replaced, an overlay row added or removed, an acknowledgement (server or overlay) of it
 * added, changed or removed, and a message that replaces or corrects it arriving or leaving
 * (its "remplacée par" / "corrigée par" links and its acknowledgeability change).
 *
 * Existing messages start at 1..n, in id order, so a view that has never looked gets them all.
 */
const m006MessageChanges: Migration = {
  version: 6,
  name: 'message change counter',
  up(db) {
    const bump = (id: string) => `
        INSERT INTO message_changes (message_id, seq)
          SELECT ${id}, (SELECT coalesce(max(seq), 0) + 1 FROM message_changes) WHERE ${id} IS NOT NULL
          ON CONFLICT (message_id) DO UPDATE SET seq = excluded.seq;`;
    const message = (row: 'NEW' | 'OLD') => `${bump(`${row}.id`)}${bump(`${row}.replaces`)}${bump(`${row}.corrects`)}`;
    db.exec(`
      CREATE TABLE message_changes (
        message_id TEXT NOT NULL PRIMARY KEY,
        seq        INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX message_changes_seq ON message_changes(seq);
      INSERT INTO message_changes (message_id, seq)
        SELECT id, row_number() OVER (ORDER BY id)
        FROM (SELECT id FROM messages UNION SELECT id FROM ov_messages);
      CREATE TRIGGER messages_changed_insert AFTER INSERT ON messages BEGIN${message('NEW')}
      END;
      CREATE TRIGGER messages_changed_update AFTER UPDATE ON messages BEGIN${message('OLD')}${message('NEW')}
      END;
      CREATE TRIGGER messages_changed_delete AFTER DELETE ON messages BEGIN${message('OLD')}
      END;
      CREATE TRIGGER ov_messages_changed_insert AFTER INSERT ON ov_messages BEGIN${message('NEW')}
      END;
      CREATE TRIGGER ov_messages_changed_delete AFTER DELETE ON ov_messages BEGIN${message('OLD')}
      END;
      CREATE TRIGGER acks_changed_insert AFTER INSERT ON acks BEGIN${bump('NEW.message_id')}
      END;
      CREATE TRIGGER acks_changed_update AFTER UPDATE ON acks BEGIN${bump('NEW.message_id')}
      END;
      CREATE TRIGGER acks_changed_delete AFTER DELETE ON acks BEGIN${bump('OLD.message_id')}
      END;
      CREATE TRIGGER ov_acks_changed_insert AFTER INSERT ON ov_acks BEGIN${bump('NEW.message_id')}
      END;
      CREATE TRIGGER ov_acks_changed_delete AFTER DELETE ON ov_acks BEGIN${bump('OLD.message_id')}
      END;
    `);
  },
};

export const MIGRATIONS: readonly Migration[] = [m001Meta, m002ServerRows, m003OutboxOverlay, m004Beds, m005UnitChanges, m006MessageChanges];

/**
 * Brings the database to the last migration. Each step runs in its own transaction together
 * with its user_version bump, so a crash leaves the database at a known version.
 */
export function runMigrations(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list out of order: ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const known = migrations.length;
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > known) throw new DatabaseTooNew(current, known);
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return known;
}
