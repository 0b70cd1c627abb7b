/**
 * Cache migration 11: a consigne keeps the distribution list its author chose (issue 7), in
 * the server's rows and in the pending ones. Messages already cached keep none (NULL): a
 * consigne from before lists expects the level just below its territory, as it did.
 */
import type { CacheMigration } from '../../store/migrations';

export const m011ConsigneAckLists: CacheMigration = {
  version: 11,
  name: 'consigne acknowledgement lists',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN ack_list TEXT;
      ALTER TABLE ov_messages ADD COLUMN ack_list TEXT;
    `);
  },
};
