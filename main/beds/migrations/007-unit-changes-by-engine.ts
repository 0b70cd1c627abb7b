/**
 * Cache migration 7: the unit change counter is moved by the sync engine, not by triggers.
 * Triggers fired once per row (a national first sync writes 18,000 units, each a second row
 * in `unit_changes`); now a server row carries the counter value of its last change in its
 * own `change_seq` column, and `unit_changes` keeps only what pending reports do (written,
 * settled, dropped). One value per transaction, so `seq` is no longer unique. Existing
 * values stay (`change_seq` starts at 0, below them).
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
      ALTER TABLE units ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX units_change_seq ON units(change_seq);
      DROP INDEX unit_changes_seq;
      CREATE INDEX unit_changes_seq ON unit_changes(seq);
    `);
  },
};
