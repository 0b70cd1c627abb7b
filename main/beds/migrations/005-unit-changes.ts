/**
 * Cache migration 5: A local change counter per unit, so the views can ask for the units that changed since
 * they last looked instead of re-reading a national picture (18,000 units) on every live
 * report. `unit_changes` holds, per unit, the counter value of its last visible change;
 * the counter is the table's own maximum plus one (read through the index).
 *
 * Triggers bump it on every path that can change what a unit shows, so no write path can
 * forget it: a server row inserted or replaced by a newer version, a pending report added
 * to the overlay, an overlay row removed (settled, rejected, swept by the cursor). A unit
 * whose row is gone from both tables after its change is reported as removed.
 *
 * Existing units start at 1..n, in key order, so a view that has never looked gets them all.
 */
import type { CacheMigration } from '../../store/migrations';

export const m005UnitChanges: CacheMigration = {
  version: 5,
  name: 'unit change counter',
  up(db) {
    // An upsert, not INSERT OR REPLACE: a trigger's OR clause is overridden by the statement
    // that fired it (the units upsert), which would then abort on the existing row.
    const bump = (finess: string, unitType: string) => `
        INSERT INTO unit_changes (finess, unit_type, seq)
          VALUES (${finess}, ${unitType}, (SELECT coalesce(max(seq), 0) + 1 FROM unit_changes))
          ON CONFLICT (finess, unit_type) DO UPDATE SET seq = excluded.seq;`;
    db.exec(`
      CREATE TABLE unit_changes (
        finess    TEXT NOT NULL,
        unit_type TEXT NOT NULL,
        seq       INTEGER NOT NULL,
        PRIMARY KEY (finess, unit_type)
      ) STRICT;
      CREATE UNIQUE INDEX unit_changes_seq ON unit_changes(seq);
      INSERT INTO unit_changes (finess, unit_type, seq)
        SELECT finess, unit_type, row_number() OVER (ORDER BY finess, unit_type)
        FROM (SELECT finess, unit_type FROM units UNION SELECT finess, unit_type FROM ov_units);
      CREATE TRIGGER units_changed_insert AFTER INSERT ON units BEGIN${bump('NEW.finess', 'NEW.unit_type')}
      END;
      CREATE TRIGGER units_changed_update AFTER UPDATE ON units BEGIN${bump('NEW.finess', 'NEW.unit_type')}
      END;
      CREATE TRIGGER units_changed_delete AFTER DELETE ON units BEGIN${bump('OLD.finess', 'OLD.unit_type')}
      END;
      CREATE TRIGGER ov_units_changed_insert AFTER INSERT ON ov_units BEGIN${bump('NEW.finess', 'NEW.unit_type')}
      END;
      CREATE TRIGGER ov_units_changed_delete AFTER DELETE ON ov_units BEGIN${bump('OLD.finess', 'OLD.unit_type')}
      END;
    `);
  },
};
