/**
 * Cache migration 17: each outbox row gets the id it carries on the wire (`wire_id`), apart
 * from its local id (`mutation_id`, which its overlay rows and the user's list of refusals
 * name). They are equal until the server is restored from a backup that forgot some of this
 * workstation's mutations: the rebuild then numbers the mutations the restored server has
 * not seen from its own last id + 1, since the server takes ids in sequence only
 * (docs/protocol.md §3, §5). A refused mutation is never sent again: after such a rebuild
 * its wire id is cleared. Existing rows keep their id on both sides.
 */
import type { CacheMigration } from '../migrations';

export const m017OutboxWireIds: CacheMigration = {
  version: 17,
  name: 'outbox wire ids',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN wire_id INTEGER;
      UPDATE outbox SET wire_id = mutation_id;
      CREATE UNIQUE INDEX outbox_wire ON outbox(wire_id);
      INSERT INTO meta (key, value) SELECT 'next_wire_id', value FROM meta WHERE key = 'next_mutation_id';
    `);
  },
};
