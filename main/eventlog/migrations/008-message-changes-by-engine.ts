/**
 * Cache migration 8: the message change counter is moved by the sync engine, not by
 * triggers. Its per-row triggers (three bumps a message: itself, the consigne it replaces,
 * the message it corrects) tripled the cold bootstrap of 100,000 messages; the engine now
 * bumps every key a transaction touched in one statement, with the same keys (a message,
 * the messages it replaces or corrects, the message an acknowledgement is of). The counter
 * table and its values stay as they are.
 */
import type { CacheMigration } from '../../store/migrations';

export const m008MessageChangesByEngine: CacheMigration = {
  version: 8,
  name: 'message change counter moved by the engine',
  up(db) {
    db.exec(`
      DROP TRIGGER messages_changed_insert;
      DROP TRIGGER messages_changed_update;
      DROP TRIGGER messages_changed_delete;
      DROP TRIGGER ov_messages_changed_insert;
      DROP TRIGGER ov_messages_changed_delete;
      DROP TRIGGER acks_changed_insert;
      DROP TRIGGER acks_changed_update;
      DROP TRIGGER acks_changed_delete;
      DROP TRIGGER ov_acks_changed_insert;
      DROP TRIGGER ov_acks_changed_delete;
    `);
  },
};
