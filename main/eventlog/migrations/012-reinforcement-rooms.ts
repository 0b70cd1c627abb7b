/**
 * Cache migration 12: the reinforcement rooms (issue 7): the server's rows of room posts and
 * shifts, and their pending overlays. New tables only: nothing cached moves.
 */
import type { CacheMigration } from '../../store/migrations';

const POST = `
  id        TEXT NOT NULL,
  event_id  TEXT NOT NULL,
  room      TEXT NOT NULL,
  label     TEXT NOT NULL,
  kind      TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  closed_at TEXT,
  closed_by TEXT,
  version   INTEGER NOT NULL`;

const SHIFT = `
  id            TEXT NOT NULL,
  post_id       TEXT NOT NULL,
  event_id      TEXT NOT NULL,
  room          TEXT NOT NULL,
  person        TEXT NOT NULL,
  qualification TEXT NOT NULL,
  starts_at     TEXT NOT NULL,
  ends_at       TEXT NOT NULL,
  assigned_by   TEXT NOT NULL,
  assigned_at   TEXT NOT NULL,
  cancelled_at  TEXT,
  cancelled_by  TEXT,
  version       INTEGER NOT NULL`;

export const m012ReinforcementRooms: CacheMigration = {
  version: 12,
  name: 'reinforcement rooms',
  up(db) {
    db.exec(`
      CREATE TABLE room_posts (${POST}, PRIMARY KEY (id)) STRICT;
      CREATE INDEX room_posts_event ON room_posts(event_id, room);
      CREATE TABLE ov_room_posts (mutation_id INTEGER NOT NULL, ${POST}) STRICT;
      CREATE INDEX ov_room_posts_id ON ov_room_posts(id);
      CREATE INDEX ov_room_posts_mutation ON ov_room_posts(mutation_id);
      CREATE TABLE room_shifts (${SHIFT}, PRIMARY KEY (id)) STRICT;
      CREATE INDEX room_shifts_post ON room_shifts(post_id);
      CREATE INDEX room_shifts_event ON room_shifts(event_id);
      CREATE TABLE ov_room_shifts (mutation_id INTEGER NOT NULL, ${SHIFT}) STRICT;
      CREATE INDEX ov_room_shifts_id ON ov_room_shifts(id);
      CREATE INDEX ov_room_shifts_mutation ON ov_room_shifts(mutation_id);
    `);
  },
};
