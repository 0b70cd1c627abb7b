/**
 * Cache migration 10: surge beds and the rest of the ROR capacity picture. Every report
 * (server copy, history, pending) gains `surge` (beds opened beyond the installed ones,
 * counted as such), `assignment` (COVID+/− units), `temporary` (a unit opened for the
 * crisis) and `ror` (JSON: reserved, closed, surge not yet opened, crisis type, source,
 * forecasts). A cached report said none of it: nulls, and not temporary.
 */
import type { CacheMigration } from '../../store/migrations';

export const m010SurgeAndRorDetail: CacheMigration = {
  version: 10,
  name: 'surge beds and ROR detail',
  up(db) {
    for (const table of ['units', 'unit_history', 'ov_units']) {
      db.exec(`
        ALTER TABLE ${table} ADD COLUMN surge INTEGER;
        ALTER TABLE ${table} ADD COLUMN assignment TEXT;
        ALTER TABLE ${table} ADD COLUMN temporary INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE ${table} ADD COLUMN ror TEXT;
      `);
    }
  },
};
