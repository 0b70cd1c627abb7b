/**
 * Server migration 12: the reinforcement rooms of SAMU (issue 7), rows of the event log:
 * the posts opened for the surge and the shifts on them, each scoped to its room
 * (`SR:<département>`). New tables only: nothing existing moves.
 */
import type { ServerMigration } from '../../store/migrations';

export const m012ReinforcementRooms: ServerMigration = {
  version: 12,
  name: 'reinforcement rooms',
  up(db) {
    db.exec(`
      CREATE TABLE room_posts (
        id         TEXT PRIMARY KEY,
        event_id   TEXT NOT NULL REFERENCES events(id),
        room       TEXT NOT NULL,
        label      TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('regulation', 'phone', 'other')),
        opened_at  TEXT NOT NULL,
        opened_by  TEXT NOT NULL,
        closed_at  TEXT,
        closed_by  TEXT,
        version    INTEGER NOT NULL,
        scope_path TEXT NOT NULL
      );
      CREATE INDEX room_posts_event ON room_posts(event_id, room);
      CREATE TABLE room_shifts (
        id            TEXT PRIMARY KEY,
        post_id       TEXT NOT NULL REFERENCES room_posts(id),
        event_id      TEXT NOT NULL REFERENCES events(id),
        room          TEXT NOT NULL,
        person        TEXT NOT NULL,
        qualification TEXT NOT NULL,
        starts_at     TEXT NOT NULL,
        ends_at       TEXT NOT NULL,
        assigned_by   TEXT NOT NULL,
        assigned_at   TEXT NOT NULL,
        cancelled_at  TEXT,
        cancelled_by  TEXT,
        version       INTEGER NOT NULL,
        scope_path    TEXT NOT NULL
      );
      CREATE INDEX room_shifts_post ON room_shifts(post_id);
    `);
  },
};
