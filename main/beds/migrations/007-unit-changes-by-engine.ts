/**
 * Cache migration 7: the unit change counter is moved by the sync engine, not by triggers.
 * A trigger fired once per row (a national first sync writes 18,000 units, a bootstrap
 * 100,000 rows); the engine now bumps every key a transaction touched in one statement
 * (server rows from each pulled page or poke, pending reports when written, overlay rows it
 * settles or drops). The counter table and its values stay as they are.
 */
import type { CacheMigration } from '../../store/migrations';

export const m007UnitChangesByEngine: CacheMigration = {
  version: 7,
  name: 'unit change counter moved by the engine',
  up(db) {
    db.exec(`
      DROP TRIGGER units_changed_insert;
      DROP TRIGGER units_changed_update;
      DROP TRIGGER units_changed_delete;
      DROP TRIGGER ov_units_changed_insert;
      DROP TRIGGER ov_units_changed_delete;
    `);
  },
};
