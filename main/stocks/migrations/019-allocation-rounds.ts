/**
 * Cache migration 19: national allocation rounds (issue 9). The server's rows of validated
 * rounds and of the lines this user sees (`allocation_rounds`, `allocation_lines`, kept whole
 * as JSON; a later state replaces an earlier one by version) and the pending ones
 * (`ov_allocation_rounds`, `ov_allocation_lines`, tagged with their mutation). Read whole
 * when they change (a few rounds, a few hundred lines): no change counter. New tables only.
 */
import type { CacheMigration } from '../../store/migrations';

export const m019AllocationRounds: CacheMigration = {
  version: 19,
  name: 'allocation rounds',
  up(db) {
    db.exec(`
      CREATE TABLE allocation_rounds (id TEXT PRIMARY KEY, data TEXT NOT NULL, version INTEGER NOT NULL) STRICT;
      CREATE TABLE ov_allocation_rounds (mutation_id INTEGER NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, version INTEGER NOT NULL) STRICT;
      CREATE INDEX ov_allocation_rounds_mutation ON ov_allocation_rounds(mutation_id);
      CREATE TABLE allocation_lines (id TEXT PRIMARY KEY, round_id TEXT NOT NULL, finess TEXT NOT NULL, data TEXT NOT NULL, version INTEGER NOT NULL) STRICT;
      CREATE INDEX allocation_lines_round ON allocation_lines(round_id);
      CREATE TABLE ov_allocation_lines (mutation_id INTEGER NOT NULL, id TEXT NOT NULL, round_id TEXT NOT NULL, finess TEXT NOT NULL, data TEXT NOT NULL, version INTEGER NOT NULL) STRICT;
      CREATE INDEX ov_allocation_lines_id ON ov_allocation_lines(id);
      CREATE INDEX ov_allocation_lines_mutation ON ov_allocation_lines(mutation_id);
    `);
  },
};
