/**
 * Server migration 7: the index pulls walk for the rows every client in scope gets: version
 * order with the scope path beside it, leaving latest-only rows (most of a national log:
 * the bed reports' history) out of the walk.
 */
import type { ServerMigration } from '../migrations';

export const m007ChangeLogPullIndex: ServerMigration = {
  version: 7,
  name: 'change log pull index',
  up(db) {
    db.exec(`CREATE INDEX change_log_pull ON change_log(version, scope_path) WHERE latest_only = 0`);
  },
};
