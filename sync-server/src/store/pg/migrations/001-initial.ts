/**
 * PostgreSQL schema, step 1: the SQLite server schema's state after its step 19 (engine and
 * every board), in one step. Differences from SQLite, each on purpose:
 * - `scope_path` is `COLLATE "C"`: pulls select a subtree with a byte-order range
 *   (`>= path AND < path || U+10FFFF`), which a linguistic collation would break;
 * - `version` is `BIGINT`, `change_log_head` holds the last version given (see
 *   `pgStore.ts`: the row lock on it orders writers, so versions become visible in order);
 * - usernames are unique case-insensitively through an index on `lower(username)`;
 * - timestamps stay ISO text as in SQLite (payloads carry them verbatim); comparisons cast
 *   them to `timestamptz`, as SQLite's `julianday()` did.
 */
import type { PgMigration } from '../migrations';

export const pg001Initial: PgMigration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (lower(username));
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
  last_mutation_id BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE mutation_results (
  client_id TEXT NOT NULL REFERENCES clients(client_id),
  mutation_id BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
  reason TEXT,
  version BIGINT,
  PRIMARY KEY (client_id, mutation_id)
);
CREATE TABLE change_log (
  version BIGINT PRIMARY KEY,
  entity TEXT NOT NULL CHECK (length(entity) BETWEEN 1 AND 40),
  entity_id TEXT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL,
  payload TEXT NOT NULL,
  at TEXT NOT NULL,
  latest_only INTEGER NOT NULL DEFAULT 0 CHECK (latest_only IN (0, 1))
);
CREATE INDEX change_log_pull ON change_log(version, scope_path) WHERE latest_only = 0;
CREATE TABLE change_log_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO change_log_head (id, version) VALUES (1, 0);
CREATE TABLE server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO server_meta (key, value) VALUES ('epoch', gen_random_uuid()::text);

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
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL
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
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL,
  ack_list TEXT,
  received_at TEXT
);
CREATE INDEX messages_event ON messages(event_id);
CREATE INDEX messages_replaces ON messages(replaces) WHERE replaces IS NOT NULL;
CREATE TABLE acks (
  message_id TEXT NOT NULL REFERENCES messages(id),
  territory TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  at TEXT NOT NULL,
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (message_id, territory)
);
CREATE TABLE room_posts (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  room TEXT NOT NULL,
  label TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('regulation', 'phone', 'other')),
  opened_at TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  closed_at TEXT,
  closed_by TEXT,
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL
);
CREATE INDEX room_posts_event ON room_posts(event_id, room);
CREATE TABLE room_shifts (
  id TEXT PRIMARY KEY,
  post_id TEXT NOT NULL REFERENCES room_posts(id),
  event_id TEXT NOT NULL REFERENCES events(id),
  room TEXT NOT NULL,
  person TEXT NOT NULL,
  qualification TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  assigned_by TEXT NOT NULL,
  assigned_at TEXT NOT NULL,
  cancelled_at TEXT,
  cancelled_by TEXT,
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL
);
CREATE INDEX room_shifts_post ON room_shifts(post_id);

CREATE TABLE unit_reports (
  id TEXT PRIMARY KEY,
  finess TEXT NOT NULL,
  unit_id TEXT NOT NULL DEFAULT '',
  unit_name TEXT,
  unit_type TEXT NOT NULL,
  installed INTEGER NOT NULL,
  staffed INTEGER NOT NULL,
  available INTEGER NOT NULL,
  covid_pos INTEGER,
  covid_neg INTEGER,
  extra_24h INTEGER,
  extra_72h INTEGER,
  surge INTEGER,
  assignment TEXT CHECK (assignment IN ('covid+', 'covid-')),
  temporary INTEGER NOT NULL DEFAULT 0 CHECK (temporary IN (0, 1)),
  ror TEXT,
  comment TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('app', 'import', 'feed')),
  reported_by TEXT NOT NULL,
  reported_role TEXT NOT NULL,
  at TEXT NOT NULL,
  at_known INTEGER NOT NULL DEFAULT 1 CHECK (at_known IN (0, 1)),
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL
);
CREATE INDEX unit_reports_unit ON unit_reports(finess, unit_id, version);
CREATE TABLE unit_current (
  finess TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  report_id TEXT NOT NULL REFERENCES unit_reports(id),
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (finess, unit_id)
);
CREATE INDEX unit_current_version ON unit_current(version, scope_path);
CREATE INDEX unit_current_scope ON unit_current(scope_path);
CREATE TABLE feed_keys (
  id TEXT PRIMARY KEY,
  key_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  territory TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  user_id TEXT NOT NULL REFERENCES users(id)
);

CREATE TABLE transfers (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  origin_finess TEXT NOT NULL,
  dest_finess TEXT,
  data TEXT NOT NULL CHECK (data::jsonb IS NOT NULL),
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL
);
CREATE TABLE holds (
  id TEXT PRIMARY KEY,
  transfer_id TEXT NOT NULL REFERENCES transfers(id),
  finess TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'released', 'arrived')),
  expires_at TEXT NOT NULL,
  data TEXT NOT NULL CHECK (data::jsonb IS NOT NULL),
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL
);
CREATE INDEX holds_unit ON holds(finess, unit_id);
CREATE TABLE operations (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  data TEXT NOT NULL CHECK (data::jsonb IS NOT NULL),
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL
);
CREATE TABLE transfer_summaries (
  transfer_id TEXT PRIMARY KEY REFERENCES transfers(id),
  data TEXT NOT NULL CHECK (data::jsonb IS NOT NULL),
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL
);

CREATE TABLE stock_lines (
  id TEXT PRIMARY KEY,
  finess TEXT NOT NULL,
  cip13 TEXT NOT NULL CHECK (length(cip13) = 13),
  molecule TEXT NOT NULL,
  on_hand DOUBLE PRECISION NOT NULL CHECK (on_hand >= 0),
  used_7d DOUBLE PRECISION CHECK (used_7d IS NULL OR used_7d >= 0),
  daily_use DOUBLE PRECISION CHECK (daily_use IS NULL OR daily_use >= 0),
  days_out INTEGER NOT NULL CHECK (days_out BETWEEN 0 AND 7),
  delivered DOUBLE PRECISION NOT NULL CHECK (delivered >= 0),
  comment TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('pui', 'correction')),
  reported_by TEXT NOT NULL,
  reported_role TEXT NOT NULL,
  at TEXT NOT NULL,
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL
);
CREATE INDEX stock_lines_presentation ON stock_lines(finess, cip13, version);
CREATE TABLE stock_current (
  finess TEXT NOT NULL,
  cip13 TEXT NOT NULL,
  line_id TEXT NOT NULL REFERENCES stock_lines(id),
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (finess, cip13)
);
CREATE INDEX stock_current_version ON stock_current(version, scope_path);
CREATE TABLE redeployments (
  id TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  molecule TEXT NOT NULL,
  cip13 TEXT NOT NULL CHECK (length(cip13) = 13),
  from_finess TEXT NOT NULL,
  to_finess TEXT NOT NULL CHECK (to_finess <> from_finess),
  units INTEGER NOT NULL CHECK (units >= 1),
  state TEXT NOT NULL CHECK (state IN ('propose', 'expedie', 'recu', 'annule')),
  data TEXT NOT NULL CHECK (data::jsonb IS NOT NULL),
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL
);
CREATE INDEX redeployments_from ON redeployments(from_finess);
CREATE INDEX redeployments_to ON redeployments(to_finess);
CREATE TABLE allocation_rounds (
  id TEXT PRIMARY KEY,
  cip13 TEXT NOT NULL CHECK (length(cip13) = 13),
  data TEXT NOT NULL CHECK (data::jsonb IS NOT NULL),
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL
);
CREATE TABLE allocation_lines (
  id TEXT PRIMARY KEY,
  round_id TEXT NOT NULL REFERENCES allocation_rounds(id),
  finess TEXT NOT NULL,
  quota INTEGER NOT NULL CHECK (quota >= 0),
  confirmed_at TEXT,
  data TEXT NOT NULL CHECK (data::jsonb IS NOT NULL),
  version BIGINT NOT NULL,
  scope_path TEXT COLLATE "C" NOT NULL,
  UNIQUE (round_id, finess)
);
`,
};
