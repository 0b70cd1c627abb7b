/**
 * Server migration 10: surge beds and the rest of the ROR capacity picture. Every stored
 * report gains `surge` (beds opened beyond the installed ones, counted as such),
 * `assignment` (COVID+/− units), `temporary` (a unit opened for the crisis) and `ror` (JSON:
 * reserved, closed, surge not yet opened, crisis type, source, forecasts). A stored report
 * said none of it: nulls, and not temporary. The change-log payloads of the current reports
 * (what a pull serves) gain the same fields, so every unit a client pulls has them.
 */
import type { ServerMigration } from '../../store/migrations';

export const m010SurgeAndRorDetail: ServerMigration = {
  version: 10,
  name: 'surge beds and ROR detail',
  up(db) {
    db.exec(`
      ALTER TABLE unit_reports ADD COLUMN surge INTEGER;
      ALTER TABLE unit_reports ADD COLUMN assignment TEXT CHECK (assignment IN ('covid+', 'covid-'));
      ALTER TABLE unit_reports ADD COLUMN temporary INTEGER NOT NULL DEFAULT 0 CHECK (temporary IN (0, 1));
      ALTER TABLE unit_reports ADD COLUMN ror TEXT;
      UPDATE change_log
        SET payload = json_set(payload, '$.surge', json('null'), '$.assignment', json('null'), '$.temporary', json('false'), '$.ror', json('null'))
        WHERE version IN (SELECT version FROM unit_current);
    `);
  },
};
