/**
 * Server migration 6: unit reports are latest-only rows of the change log. Pulls serve a
 * unit's current report from `unit_current` (migration 3); its history stays in the log for
 * the audit and for `beds:history`, and is never scanned by a pull.
 */
import type { ServerMigration } from '../../store/migrations';

export const m006UnitReportsLatestOnly: ServerMigration = {
  version: 6,
  name: 'unit reports are latest-only',
  up(db) {
    db.exec(`UPDATE change_log SET latest_only = 1 WHERE entity = 'unit'`);
  },
};
