/**
 * Server migration 17: the server's epoch. A random id kept in the database itself, so it
 * travels with every copy: a backup restored later carries the epoch it had, and the
 * operator gives the restored database a new one (`--new-epoch`), which tells every client
 * that its cursor and cached rows belong to a history the server no longer has
 * (docs/protocol.md §3). A new database gets its own epoch by this same step.
 */
import { randomUUID } from 'node:crypto';
import type { ServerMigration } from '../migrations';

export const m017ServerEpoch: ServerMigration = {
  version: 17,
  name: 'server epoch',
  up(db) {
    db.exec(`CREATE TABLE server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT`);
    db.prepare(`INSERT INTO server_meta (key, value) VALUES ('epoch', ?)`).run(randomUUID());
  },
};
